import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const generator = fileURLToPath(new URL('../../../scripts/generate-winograd-wat.mjs', import.meta.url));
const wat = fileURLToPath(new URL('./kernels.wat', import.meta.url));

it("kernels.wat's Winograd transforms are what scripts/generate-winograd-wat.mjs generates", async () => {
  const module = (await import(pathToFileURL(generator).href)) as { MARKER: string; generatedWat(): string };
  const text = readFileSync(wat, 'utf8');
  const at = text.indexOf(module.MARKER);
  expect(at).toBeGreaterThan(0);
  expect(text.slice(at)).toBe(module.generatedWat());
});
