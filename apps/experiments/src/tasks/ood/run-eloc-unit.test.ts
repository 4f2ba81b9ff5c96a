import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elocScore } from '@curvad/anomaly-scores';
import { imageSetToTensor } from '@curvad/datasets/tfjs';
import { loadModel } from '@curvad/geo-layers';
import { evaluate } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResultsFile } from '../../core/results/results-file';
import { type OodConfigInput, parseOodConfig } from './config/ood-config';
import { loadConfigurationData } from './data/load-data';
import { rescoreRun } from './rescore-run';
import { runOodExperiment } from './run-ood-experiment';

// The smallest ELOC run: MNIST 0-3 as ID (2 folds of 2 kept classes), one epoch, both ELOC models.
const input: OodConfigInput = {
  name: 'tiny-eloc',
  configurations: [
    {
      name: 'holdout',
      description: 'MNIST 0-3 vs uniform noise',
      id: { dataset: 'mnist', classes: [0, 1, 2, 3], partition: 0.7 },
      ood: [{ kind: 'noise', name: 'Uniform', noise: 'uniform', count: 60 }],
    },
  ],
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 8,
  models: ['ELOC', 'ELOC+HiT'],
  detectors: { msp: false, odin: false },
  eloc: { folds: 2, epsilon: 0.01 },
  optimizer: { name: 'adam', learningRate: 3e-3 },
  epochs: 1,
  batchSize: 64,
  trials: 1,
  seed: 2,
  limits: { train: 300, test: 60, ood: 60 },
};
const config = parseOodConfig(input);

let root: string;
let outDir: string;
let results: ResultsFile;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-eloc-'));
  outDir = join(root, 'run');
  results = (await runOodExperiment({ config, outDir, command: 'test', backend: 'wasm', report: false })).results;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const trialDir = () => join(outDir, 'scores', 'holdout', 'trial-0');

async function savedScores(method: string): Promise<{ id: Float32Array; ood: Float32Array }> {
  const index = JSON.parse(await readFile(join(trialDir(), 'index.json'), 'utf8')) as Record<
    string,
    { file: string; sets: { count: number }[] }
  >;
  const entry = index[method]!;
  const bytes = await readFile(join(trialDir(), entry.file));
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const idCount = entry.sets[0]!.count;
  return { id: all.slice(0, idCount), ood: all.slice(idCount) };
}

const memberDir = (model: string, fold: number) => join(outDir, 'units', 'holdout', 'trial-0', model, 'model', `fold-${fold}`);

describe('ELOC in the OOD task', () => {
  test('a tiny run trains both ELOC models, saves every leave-out classifier, and its metrics are those of the saved scores', async () => {
    const trial = results.configurations[0]!.trials[0]!;
    expect(trial.methods.map((m) => `${m.model}:${m.method}`)).toEqual(['ELOC:ELOC', 'ELOC+HiT:ELOC +HiT']);
    for (const m of trial.methods) {
      const { id, ood } = await savedScores(m.method);
      expect(id).toHaveLength(60);
      const scores = new Float32Array([...id, ...ood]);
      const labels = new Uint8Array(scores.length).fill(1, id.length);
      expect(m.perOod.Uniform).toEqual(evaluate(scores, labels));
    }
    // Two members per model, each a loadable model; ensemble accuracy of 4 classes after one epoch above chance.
    for (const model of ['ELOC', 'ELOC+HiT']) {
      for (const fold of [1, 2]) (await loadModel(memberDir(model.toLowerCase().replace('+', '-'), fold))).dispose();
    }
    for (const acc of Object.values(trial.idAccuracy)) expect(acc).toBeGreaterThan(0.4);
  });

  test("the ELOC row equals elocScore of the members' logits on the input moved by ODIN's step on the summed confidence", async () => {
    const data = await loadConfigurationData(config, config.configurations[0]!);
    const models: tfl.LayersModel[] = [await loadModel(memberDir('eloc', 1)), await loadModel(memberDir('eloc', 2))];
    try {
      const x = imageSetToTensor(data.test);
      const logitsOf = (input: tf.Tensor) => models.map((m) => m.apply(input, { training: false }) as tf.Tensor2D);
      // 'rank' = -(summed centred confidence): stepping down its gradient raises the confidence.
      const gradient = tf.grad((input: tf.Tensor) =>
        tf.sum(elocScore(logitsOf(input), { output: 'rank', temperature: 1000, asTensor: true })),
      );
      const direct = tf.tidy(() => {
        const moved = tf.sub(x, tf.mul(0.01, tf.sign(gradient(x))));
        return elocScore(logitsOf(moved), { output: 'rank', temperature: 1000 });
      });
      x.dispose();
      const { id } = await savedScores('ELOC');
      const scale = Math.max(...Array.from(direct, Math.abs));
      for (let i = 0; i < id.length; i++) expect(Math.abs(id[i]! - direct[i]!)).toBeLessThan(1e-3 * scale);
      // The step matters: the unmoved input scores differently.
      const unmoved = tf.tidy(() => elocScore(logitsOf(imageSetToTensor(data.test)), { output: 'rank', temperature: 1000 }));
      expect(Array.from(unmoved)).not.toEqual(Array.from(direct));
    } finally {
      for (const m of models) m.dispose();
    }
  });

  test('rescore loads the leave-out classifiers and gives the same ELOC rows, without touching a weight', async () => {
    const weights = () => readFile(join(memberDir('eloc-hit', 2), 'weights.bin'));
    const before = await weights();
    const scoresBefore = await savedScores('ELOC +HiT');
    const { results: rescored, rescored: count } = await rescoreRun({ outDir, detectors: ['eloc'], report: false });
    expect(count).toBe(2);
    expect(Buffer.compare(before, await weights())).toBe(0);
    const trial = rescored.configurations[0]!.trials[0]!;
    expect(trial.methods.map((m) => m.method)).toEqual(['ELOC', 'ELOC +HiT']);
    expect(trial.methods).toEqual(results.configurations[0]!.trials[0]!.methods);
    const after = await savedScores('ELOC +HiT');
    expect(Array.from(after.id)).toEqual(Array.from(scoresBefore.id));
    expect(Array.from(after.ood)).toEqual(Array.from(scoresBefore.ood));
  });

  test('folds that do not fit the ID classes are refused before training, naming eloc.folds', async () => {
    const bad = parseOodConfig({ ...input, eloc: { folds: 5 } });
    await expect(
      runOodExperiment({ config: bad, outDir: join(root, 'bad'), command: 'test', backend: 'wasm', report: false }),
    ).rejects.toThrow(/eloc\.folds = 5 does not fit the 4 ID classes/);
  });
});
