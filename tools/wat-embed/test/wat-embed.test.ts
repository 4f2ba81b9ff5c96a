// The wat -> base64 TypeScript module round trip the SIMD packages rely on.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, expect, it } from 'vitest';

import { compileWat, embedWat, renderBase64Module } from '../wat-embed.mjs';

const CLI = fileURLToPath(new URL('../wat-embed.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wat-embed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Adds two float32x4 vectors from memory: enough to prove SIMD is on and the memory is imported.
const WAT = `(module
  (import "env" "memory" (memory 1))
  (func (export "add4") (param $a i32) (param $b i32) (param $out i32)
    (v128.store (local.get $out) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))))`;

function run(args: string[]): { status: number; out: string } {
  try {
    return { status: 0, out: execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

it('compiles, embeds and the embedded bytes run', async () => {
  const bytes: Uint8Array = await compileWat(WAT);
  const text: string = renderBase64Module(bytes, { exportName: 'ADD4_WASM', source: 'add4.wat' });
  expect(text).toContain(`export const ADD4_WASM =`);
  expect(text).toContain(`(${bytes.length} bytes)`);
  const base64 = [...text.matchAll(/'([A-Za-z0-9+/=]*)'/g)].map((m) => m[1]).join('');
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, 'base64')), { env: { memory } });
  const heap = new Float32Array(memory.buffer);
  heap.set([1, 2, 3, 4, 10, 20, 30, 40]);
  (instance.exports.add4 as (a: number, b: number, out: number) => void)(0, 16, 32);
  expect(Array.from(heap.subarray(8, 12))).toEqual([11, 22, 33, 44]);
});

it('writes with the CLI, then --check passes; a stale file fails --check and is left alone', async () => {
  const wat = join(dir, 'add4.wat');
  const out = join(dir, 'add4-wasm.ts');
  writeFileSync(wat, WAT);
  expect(run([wat, out, 'ADD4_WASM']).out).toContain('wrote');
  expect(run([wat, out, 'ADD4_WASM', '--check'])).toMatchObject({ status: 0 });
  writeFileSync(out, '// stale\n');
  expect(run([wat, out, 'ADD4_WASM', '--check'])).toMatchObject({ status: 1 });
  expect(readFileSync(out, 'utf8')).toBe('// stale\n');
  expect(await embedWat(wat, out, 'ADD4_WASM')).toBe(false);
  expect(await embedWat(wat, out, 'ADD4_WASM', { check: true })).toBe(true);
}, 30_000);

it('reports a syntax error with its line, and bad arguments with the usage', () => {
  const bad = join(dir, 'bad.wat');
  writeFileSync(bad, '(module\n  (func (export "f") (result i32)\n    (i32.add (i32.const 1))))\n');
  const failed = run([bad, join(dir, 'bad.ts'), 'BAD']);
  expect(failed.status).toBe(1);
  expect(failed.out).toMatch(/wat-embed: .*(bad\.wat|3:)/s);
  expect(run([bad])).toMatchObject({ status: 2 });
  expect(run([bad, join(dir, 'x.ts'), 'not a name']).status).toBe(2);
}, 30_000);
