#!/usr/bin/env node
// Compiles src/wasm/simd/kernels.wat (wabt, a devDependency) into src/wasm/simd/kernels-wasm.ts,
// the module's bytes as base64, so that building and using the package need no wabt.
//
//   node packages/runtime/scripts/build-simd.mjs
//
// src/wasm/simd/simd-module.test.ts recompiles the .wat and checks the committed bytes match.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const WAT = fileURLToPath(new URL('../src/wasm/simd/kernels.wat', import.meta.url));
const OUT = fileURLToPath(new URL('../src/wasm/simd/kernels-wasm.ts', import.meta.url));

/** The .wat compiled to wasm bytes (SIMD and bulk memory enabled, no debug names). */
export async function compileKernelsWat() {
  const wabt = await initWabt();
  const parsed = wabt.parseWat('kernels.wat', readFileSync(WAT, 'utf8'), { simd: true, bulk_memory: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    return new Uint8Array(parsed.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    parsed.destroy();
  }
}

/** The TypeScript module holding `bytes`. */
export function renderKernelsModule(bytes) {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,96}/g) ?? [];
  return [
    '// Generated from kernels.wat by packages/runtime/scripts/build-simd.mjs; do not edit by hand.',
    '/** The compiled SIMD kernels module, base64. */',
    'export const KERNELS_WASM_BASE64 =',
    `${lines.map((line) => `  '${line}'`).join(' +\n')};`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await compileKernelsWat();
  writeFileSync(OUT, renderKernelsModule(bytes));
  console.log(`wrote ${OUT} (${bytes.length} bytes of wasm)`);
}
