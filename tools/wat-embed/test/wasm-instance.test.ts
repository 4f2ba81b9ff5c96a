// The instantiation helper both SIMD packages use: one compile, one instance per memory, null (so the
// callers fall back) wherever the kernels cannot run.
import { expect, it } from 'vitest';
import { embeddedWasmModule } from '../wasm-instance.mjs';
import { compileWat } from '../wat-embed.mjs';

const WAT = `(module
  (import "env" "memory" (memory 1))
  (func (export "add4") (param $a i32) (param $b i32) (param $out i32)
    (v128.store (local.get $out) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))))`;

interface Add4 {
  add4(a: number, b: number, out: number): void;
}

it('instantiates once per memory, on that memory, and lists the bound memories', async () => {
  const base64 = Buffer.from(await compileWat(WAT)).toString('base64');
  const module = embeddedWasmModule<Add4>(base64);
  const first = new WebAssembly.Memory({ initial: 1 });
  const second = new WebAssembly.Memory({ initial: 1 });
  const kernels = module.instanceFor(first)!;
  expect(module.instanceFor(first)).toBe(kernels);
  const view = new Float32Array(first.buffer);
  view.set([1, 2, 3, 4, 10, 20, 30, 40]);
  kernels.add4(0, 16, 32);
  expect(Array.from(view.subarray(8, 12))).toEqual([11, 22, 33, 44]);
  expect(module.instanceFor(second)).not.toBe(kernels);
  expect([...module.bound()].map(([memory]) => memory)).toEqual([first, second]);
});

it('gives null where the kernels cannot run: no memory, a module the engine rejects, a shared memory', async () => {
  const base64 = Buffer.from(await compileWat(WAT)).toString('base64');
  const module = embeddedWasmModule<Add4>(base64);
  expect(module.instanceFor(undefined)).toBeNull();
  expect(module.instanceFor(new ArrayBuffer(8))).toBeNull();
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
  expect(module.instanceFor(shared)).toBeNull(); // the module imports an unshared memory
  expect([...module.bound()]).toEqual([]);
  const broken = embeddedWasmModule<Add4>(Buffer.from('not wasm').toString('base64'));
  expect(broken.instanceFor(new WebAssembly.Memory({ initial: 1 }))).toBeNull();
});
