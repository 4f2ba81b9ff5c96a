#!/usr/bin/env node
// Compiles src/fused/row-kernels.wat with wabt (a dev dependency) and writes its bytes, base64, to
// src/fused/row-kernels-wasm.ts, so that building and using the package need no wabt.
//   pnpm --filter @curvad/manifolds build:wasm      (add --check to only compare)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { compileRowKernels, renderRowKernelsModule } from './row-kernels-source.mjs';

const watPath = fileURLToPath(new URL('../src/fused/row-kernels.wat', import.meta.url));
const tsPath = fileURLToPath(new URL('../src/fused/row-kernels-wasm.ts', import.meta.url));
const rendered = renderRowKernelsModule(await compileRowKernels(readFileSync(watPath, 'utf8')));
if (process.argv.includes('--check')) {
  const current = readFileSync(tsPath, 'utf8');
  if (current !== rendered) {
    console.error(`${tsPath} is out of date with row-kernels.wat; run pnpm --filter @curvad/manifolds build:wasm`);
    process.exit(1);
  }
  console.log('row-kernels-wasm.ts is up to date');
} else {
  writeFileSync(tsPath, rendered);
  console.log(`wrote ${tsPath}`);
}
