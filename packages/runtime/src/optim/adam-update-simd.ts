import { embeddedWasmModule } from '@curvad/wat-embed/instance';
import type { WasmBackendInternals } from '../wasm/wasm-backend-internals';
import { ADAM_UPDATE_WASM_BASE64 } from './adam-update-wasm-bytes';

/** adam-update.wat's export: pointers are byte offsets in tfjs-backend-wasm's heap; scalars float32. */
export interface AdamUpdateSimd {
  adam_update(
    x: number,
    m: number,
    v: number,
    g: number,
    xOut: number,
    mOut: number,
    vOut: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    correction1: number,
    correction2: number,
    epsilon: number,
    negativeLr: number,
  ): void;
}

const adamModule = embeddedWasmModule<AdamUpdateSimd>(ADAM_UPDATE_WASM_BASE64);

/** The SIMD Adam loop bound to `backend`'s heap, or undefined where it cannot run (no wasm SIMD, no exported heap). */
export function adamUpdateSimd(backend: WasmBackendInternals): AdamUpdateSimd | undefined {
  return adamModule.instanceFor(backend.wasm?.asm?.memory) ?? undefined;
}
