// The one way the packages with hand-written SIMD kernels (@curvad/manifolds, @curvad/runtime) turn
// their embedded module (the base64 that wat-embed writes) into running code: compiled once,
// instantiated once per WebAssembly.Memory it imports (tfjs-backend-wasm's heap, so a tensor's heap
// offset is directly a pointer for the kernels). Runtime code, not a build step: the packages list
// @curvad/wat-embed as a devDependency and tsup bundles this file into their dist.

/** Bytes of a base64 string (atob exists in every runtime tfjs supports, Node >= 16 included). */
function decodeBase64(base64) {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

/**
 * The embedded module `base64` as instances bound to memories. `instanceFor(memory)` gives the
 * module's exports bound to `memory`, or null when the kernels cannot run there: no WebAssembly, an
 * engine without 128-bit SIMD (the module does not validate), `memory` not a WebAssembly.Memory (a
 * build that does not export its heap), or a memory the module cannot import (the threaded build's
 * shared memory). Callers then keep their tensor-op or JS fallbacks. `bound()` lists the memories
 * with running instances.
 */
export function embeddedWasmModule(base64) {
  const api = globalThis.WebAssembly;
  /** undefined: not compiled yet; null: cannot be compiled in this engine. */
  let compiled;
  const instances = new Map();

  function compileOnce() {
    if (compiled !== undefined) return compiled;
    compiled = null;
    if (api === undefined) return compiled;
    const bytes = decodeBase64(base64);
    try {
      if (api.validate(bytes)) compiled = new api.Module(bytes);
    } catch {
      compiled = null;
    }
    return compiled;
  }

  return {
    instanceFor(memory) {
      if (api === undefined || !(memory instanceof api.Memory)) return null;
      const known = instances.get(memory);
      if (known !== undefined) return known;
      const module = compileOnce();
      let exports = null;
      if (module !== null) {
        try {
          exports = new api.Instance(module, { env: { memory } }).exports;
        } catch {
          exports = null;
        }
      }
      instances.set(memory, exports);
      return exports;
    },
    *bound() {
      for (const [memory, exports] of instances) if (exports !== null) yield [memory, exports];
    },
  };
}
