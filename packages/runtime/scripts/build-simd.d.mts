/** The .wat compiled to wasm bytes (SIMD and bulk memory enabled, no debug names). */
export function compileKernelsWat(): Promise<Uint8Array>;
/** The TypeScript module holding `bytes`. */
export function renderKernelsModule(bytes: Uint8Array): string;
