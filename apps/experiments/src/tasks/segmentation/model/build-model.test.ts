import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSegmentationConfig } from '../config/segmentation-config';
import { pixelRowsOf } from '../score/pixel-rows';
import { scorePixels } from '../score/score-model';
import { TINY_SEGMENTATION } from '../test-support';
import { sceneBatch, trainSegmenter } from '../train/train-model';
import { buildSegmenter, pixelRows } from './build-model';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const config = parseSegmentationConfig({ ...TINY_SEGMENTATION, scenes: { size: 32, grid: 1, train: 4, test: 2 } });
const split = (n: number) => {
  const images = new Uint8Array(n * 32 * 32).map((_, i) => (i * 37) % 256);
  const labels = new Uint8Array(n * 32 * 32).map((_, i) => (i % 7 === 0 ? 255 : i % 3));
  const masks = new Uint8Array(n * 32 * 32).map((_, i) => (i % 5 === 0 ? 1 : 0));
  return { images: { images, labels: new Uint8Array(n), shape: [n, 32, 32, 1] as [number, number, number, number] }, labels, masks };
};

describe('pixelRows', () => {
  it('pixel (scene i, row r, column col) is row (i * h + r) * w + col, its channels in order', () => {
    const [b, h, w, c] = [2, 3, 4, 2];
    // Each value names its place: 1000 scene + 100 row + 10 column + channel.
    const place = (i: number, r: number, col: number, ch: number) => 1000 * i + 100 * r + 10 * col + ch;
    const values: number[][][][] = Array.from({ length: b }, (_, i) =>
      Array.from({ length: h }, (_, r) =>
        Array.from({ length: w }, (_, col) => Array.from({ length: c }, (_, ch) => place(i, r, col, ch))),
      ),
    );
    const logits = tf.tensor4d(values);
    const rows = pixelRows(logits);
    expect(rows.shape).toEqual([b * h * w, c]);
    const got = rows.arraySync();
    for (let i = 0; i < b; i++)
      for (let r = 0; r < h; r++)
        for (let col = 0; col < w; col++) expect(got[(i * h + r) * w + col]).toEqual([place(i, r, col, 0), place(i, r, col, 1)]);
    tf.dispose([logits, rows]);
  });
});

describe('buildSegmenter', () => {
  it('MiT: per-pixel logits of every space; the detectors see each pixel as a row, in (scene, row, column) order', () => {
    const built = buildSegmenter('MiT', config, [32, 32, 1], 3, 5);
    expect(built.spaces).toEqual(['euclidean', 'sphere', 'poincare']);
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 1);
    const maps = built.model.predict(x) as tf.Tensor[];
    const rows = built.pixelDetectorModel.apply!(x);
    maps.forEach((m, i) => {
      expect(m.shape).toEqual([2, 32, 32, 3]);
      const pixel = tf.slice(m, [1, 7, 9, 0], [1, 1, 1, 3]).dataSync();
      const row = tf.slice(rows[i]!, [(1 * 32 + 7) * 32 + 9, 0], [1, 3]).dataSync();
      expect(Array.from(row)).toEqual(Array.from(pixel));
    });
    tf.dispose([x, ...maps, ...rows]);
    built.model.dispose();
  });

  it('the loss is l_E + 0.1 l_S + 0.1 l_H; training and scoring do not grow tf.memory().numTensors', async () => {
    const built = buildSegmenter('MiT', config, [32, 32, 1], 3, 5);
    const train = split(4);
    const batch = sceneBatch(train, [0, 1]);
    const outputs = built.model.apply(batch.inputs) as tf.Tensor[];
    const loss = built.loss(outputs, batch.targets).dataSync()[0]!;
    const { pixelCrossEntropy } = await import('@curvad/geo-layers');
    const terms = outputs.map((o) => pixelCrossEntropy(o, batch.targets, { ignoreLabel: 255 }).dataSync()[0]!);
    expect(loss).toBeCloseTo(terms[0]! + 0.1 * terms[1]! + 0.1 * terms[2]!, 5);
    tf.dispose([...outputs, batch.inputs, batch.targets]);
    await trainSegmenter(built, train, config, 1);
    const before = tf.memory().numTensors;
    await trainSegmenter(built, train, config, 2);
    const rows = pixelRowsOf('MiT', config);
    scorePixels(built, rows, split(2));
    const again = scorePixels(built, rows, split(2));
    expect(tf.memory().numTensors).toBe(before);
    expect(again.maps.get('MiT (text: 1 - tanh z)')).toEqual(again.maps.get('MiT')!.map((v) => -v));
    built.model.dispose();
  });
});
