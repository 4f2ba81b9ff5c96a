import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parameterCount } from './parameter-count';
import { createBackbone } from './registry';
import { withClassifier } from './with-classifier';

const CLASSES = 10;
const PUBLISHED_TOLERANCE = 0.01;

// Closed-form trainable-parameter counts in plain JS (conv kernels, BN gamma + beta, the classifier),
// written from the papers' descriptions, independent of the model code.
const conv = (k: number, cin: number, cout: number) => k * k * cin * cout;
const bn = (c: number) => 2 * c;
const fc = (cin: number, cout: number) => cin * cout + cout;

function wrnCount(depth: number, widen: number): number {
  const n = (depth - 4) / 6;
  let total = conv(3, 3, 16);
  let cin = 16;
  for (const base of [16, 32, 64]) {
    const cout = base * widen;
    for (let i = 0; i < n; i++) {
      total += bn(cin) + conv(3, cin, cout) + bn(cout) + conv(3, cout, cout) + (cin !== cout ? conv(1, cin, cout) : 0);
      cin = cout;
    }
  }
  return total + bn(cin) + fc(cin, CLASSES);
}

function denseNetBCCount(depth: number, k: number): number {
  const n = (depth - 4) / 6;
  let c = 2 * k;
  let total = conv(3, 3, c);
  for (let block = 0; block < 3; block++) {
    for (let i = 0; i < n; i++) {
      total += bn(c) + conv(1, c, 4 * k) + bn(4 * k) + conv(3, 4 * k, k);
      c += k;
    }
    if (block < 2) {
      const out = Math.floor(c / 2);
      total += bn(c) + conv(1, c, out);
      c = out;
    }
  }
  return total + bn(c) + fc(c, CLASSES);
}

function resnet18Count(): number {
  let total = conv(3, 3, 64) + bn(64);
  let cin = 64;
  [64, 128, 256, 512].forEach((cout, stage) => {
    for (let block = 0; block < 2; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      total += conv(3, cin, cout) + bn(cout) + conv(3, cout, cout) + bn(cout);
      if (stride !== 1 || cin !== cout) total += conv(1, cin, cout) + bn(cout);
      cin = cout;
    }
  });
  return total + fc(512, CLASSES);
}

function countWithClassifier(name: Parameters<typeof createBackbone>[0], options: object = {}) {
  const backbone = createBackbone(name, options);
  const model = withClassifier(backbone, CLASSES);
  try {
    expect(backbone.getLayer('embedding').output).toBe(backbone.outputs[0]);
    return { count: parameterCount(model), outputShape: model.outputs[0]!.shape, embeddingShape: backbone.outputs[0]!.shape };
  } finally {
    model.dispose();
  }
}

describe('parameter counts with a 10-class classifier (no forward pass)', () => {
  const published = [
    // Zagoruyko & Komodakis 2016, Table 4 (36.5M); 36.48M as the issue and common implementations quote it.
    { name: 'wrn-28-10', published: 36.48e6, exact: wrnCount(28, 10), embedding: 640 },
    // Huang et al. 2017, Table 2 ("0.8M"); 0.769M unrounded.
    { name: 'densenet-bc-100-12', published: 0.769e6, exact: denseNetBCCount(100, 12), embedding: 342 },
    // The CIFAR ResNet-18 (3x3 stem, no max-pool) used by CSI: 11.17M.
    { name: 'resnet18', published: 11.17e6, exact: resnet18Count(), embedding: 512 },
  ] as const;

  for (const { name, published: reference, exact, embedding } of published) {
    it(`${name}: within 1% of the published ${reference / 1e6}M and equal to the closed form`, () => {
      const before = tf.memory().numTensors;
      const { count, outputShape, embeddingShape } = countWithClassifier(name);
      expect(embeddingShape).toEqual([null, embedding]);
      console.info(`${name}: ${count.trainable} trainable parameters (published ${reference / 1e6}M)`);
      expect(Math.abs(count.trainable - reference) / reference).toBeLessThan(PUBLISHED_TOLERANCE);
      expect(count.trainable).toBe(exact);
      expect(outputShape).toEqual([null, CLASSES]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('WRN-16-4 and WRN-40-2 equal the closed form (2.7M and 2.2M in the WRN paper, rounded)', () => {
    const wrn164Built = countWithClassifier('wrn-16-4');
    const wrn402Built = countWithClassifier('wrn-40-2');
    expect(wrn164Built.embeddingShape).toEqual([null, 256]);
    expect(wrn402Built.embeddingShape).toEqual([null, 128]);
    const wrn164 = wrn164Built.count.trainable;
    const wrn402 = wrn402Built.count.trainable;
    expect(wrn164).toBe(wrnCount(16, 4));
    expect(wrn402).toBe(wrnCount(40, 2));
    expect(Math.round(wrn164 / 1e5) / 10).toBe(2.7);
    expect(Math.round(wrn402 / 1e5) / 10).toBe(2.2);
  });

  it('counts batch-norm moving statistics as non-trainable', () => {
    const { count } = countWithClassifier('densenet-bc', { depth: 10 });
    // DenseNet-BC-10-12 BN widths: block 1 (24, 48), transition 36 -> 18, block 2 (18, 48),
    // transition 30 -> 15, block 3 (15, 48), final 27; each holds a moving mean and variance per channel.
    const bnChannels = [24, 48, 36, 18, 48, 30, 15, 48, 27].reduce((a, c) => a + c, 0);
    expect(count.nonTrainable).toBe(2 * bnChannels);
    expect(count.total).toBe(count.trainable + count.nonTrainable);
  });
});
