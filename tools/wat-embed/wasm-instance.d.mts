/** The part of WebAssembly.Memory the callers see (the packages' TypeScript libs have no DOM types). */
export interface EmbeddedWasmMemory {
  readonly buffer: ArrayBuffer;
}

/** An embedded module, instantiated once per memory (see embeddedWasmModule). */
export interface EmbeddedWasmModule<Exports extends object> {
  /** The exports bound to `memory`, or null when the kernels cannot run there (see embeddedWasmModule). */
  instanceFor(memory: unknown): Exports | null;
  /** The memories with a running instance, and its exports. */
  bound(): Iterable<[EmbeddedWasmMemory, Exports]>;
}

/**
 * The base64 module that wat-embed wrote, compiled once and instantiated once per WebAssembly.Memory
 * it imports as env.memory (tfjs-backend-wasm's heap).
 */
export function embeddedWasmModule<Exports extends object>(base64: string): EmbeddedWasmModule<Exports>;
