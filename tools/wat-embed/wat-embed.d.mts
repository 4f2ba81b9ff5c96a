/** The .wat text compiled to wasm bytes (SIMD and bulk memory on, plus `features`; names resolved, validated). */
export function compileWat(watText: string, fileName?: string, features?: Record<string, boolean>): Promise<Uint8Array>;
/** The TypeScript module exporting `bytes` as the base64 string constant `exportName`. */
export function renderBase64Module(bytes: Uint8Array, options: { exportName: string; source: string }): string;
/** The module text that should be committed for the .wat at `watPath`. */
export function embeddedModuleFor(watPath: string, exportName: string): Promise<string>;
/** Writes `outPath` (or with `check` only compares); resolves to whether it was up to date. */
export function embedWat(watPath: string, outPath: string, exportName: string, options?: { check?: boolean }): Promise<boolean>;
