import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

const srcDir = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

describe('public API', () => {
  it('exposes the readers named in the design, with the issue-6 call shapes', () => {
    for (const name of [
      'fashionMnist',
      'mnist',
      'cifar10',
      'cifar100',
      'odinOodSet',
      'tinyImageNet',
      'mvtecAd',
      'streetHazards',
      'fetchDataset',
      'oneClassSplit',
      'segmentationScenes',
      'cutPasteAnomalies',
      'batches',
      'rotationBatch',
      'samplePatches',
    ] as const) {
      expect(typeof api[name]).toBe('function');
    }
    expect(api.DatasetError.isInstance(new api.DatasetError('x'))).toBe(true);
  });

  it('nothing outside src/tfjs imports TensorFlow.js, so the readers run without it', () => {
    const offenders = sources(srcDir)
      .filter((f) => !relative(srcDir, f).startsWith('tfjs'))
      .filter((f) => /from '@tensorflow\//.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
