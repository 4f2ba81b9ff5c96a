import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { GeoLayersError } from './errors';
import { geoHeadOf, predictOutputs } from './heads';
import { loadModel, MODEL_FILE, saveModel, WEIGHTS_FILE } from './model-io';
import { everyLayerModel, fixtureInput } from './model-io-fixture';

const folders: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'curvad-geo-io-'));
  folders.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(folders.map((d) => rm(d, { recursive: true, force: true })));
});

async function expectGeoError(run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  expect(GeoLayersError.isInstance(error), String(error)).toBe(true);
  expect(String(error)).toMatch(pattern);
}

describe('saveModel / loadModel (plain Node file I/O)', () => {
  it('reloads a model with every geo layer with identical outputs, metadata and learned curvatures', async () => {
    const model = everyLayerModel();
    const dir = await freshDir();
    const info = await saveModel(model, join(dir, 'nested', 'model'));
    expect((await readdir(info.dir)).sort()).toEqual([MODEL_FILE, WEIGHTS_FILE]); // no temporary files left
    expect(info.weightBytes).toBe(model.countParams() * 4);
    const loaded = await loadModel(info.dir);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(
      expect.arrayContaining(['CurvadProductEmbedding', 'CurvadAngularLinear', 'CurvadHypMLR', 'CurvadToPoincare', 'CurvadHypLinear']),
    );
    const x = fixtureInput();
    const before = predictOutputs(model, x).map((t) => Array.from(t.dataSync()));
    const after = predictOutputs(loaded, x).map((t) => Array.from(t.dataSync()));
    expect(after).toEqual(before);
    const product = 'geo_product_embedding';
    const learned = (model.getLayer(product) as unknown as { curvatureValues(): number[] }).curvatureValues();
    expect((loaded.getLayer(product) as unknown as { curvatureValues(): number[] }).curvatureValues()).toEqual(learned);
    expect(learned[0]).not.toBeCloseTo(1, 2);
    expect(geoHeadOf(loaded).spec).toEqual(geoHeadOf(model).spec);
  });

  it('round-trips a GiO-S model built on the ToSphere layer', async () => {
    const input = tfl.input({ shape: [3] });
    const { gio, buildGeoModel } = await import('./heads');
    const model = buildGeoModel(input, gio(input, { geometry: 'sphere', k: 2, classes: 4, seed: 1 }));
    const dir = await freshDir();
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 0],
      [-1, 0.5, 2],
    ]);
    expect(predictOutputs(loaded, x).map((t) => Array.from(t.dataSync()))).toEqual(
      predictOutputs(model, x).map((t) => Array.from(t.dataSync())),
    );
  });

  it('overwrites an existing save in place', async () => {
    const dir = await freshDir();
    const model = everyLayerModel();
    await saveModel(model, dir);
    await saveModel(model, dir);
    expect((await readdir(dir)).sort()).toEqual([MODEL_FILE, WEIGHTS_FILE]);
  });

  it('fails with clear GeoLayersErrors on missing, corrupt or truncated files', async () => {
    const dir = await freshDir();
    await expectGeoError(() => loadModel(join(dir, 'missing')), /cannot read .*model\.json/);
    await saveModel(everyLayerModel(), dir);
    const json = await readFile(join(dir, MODEL_FILE), 'utf8');
    const weights = await readFile(join(dir, WEIGHTS_FILE));

    await writeFile(join(dir, WEIGHTS_FILE), weights.subarray(0, weights.length - 8));
    await expectGeoError(() => loadModel(dir), /truncated/);
    await writeFile(join(dir, WEIGHTS_FILE), weights);

    await writeFile(join(dir, MODEL_FILE), json.slice(0, json.length / 2));
    await expectGeoError(() => loadModel(dir), /not valid JSON/);

    await writeFile(join(dir, MODEL_FILE), JSON.stringify({ hello: 'world' }));
    await expectGeoError(() => loadModel(dir), /no modelTopology/);

    const escaping = JSON.parse(json);
    escaping.weightsManifest[0].paths = ['../elsewhere.bin'];
    await writeFile(join(dir, MODEL_FILE), JSON.stringify(escaping));
    await expectGeoError(() => loadModel(dir), /outside/);

    const unknown = json.replace(/CurvadHypMLR/g, 'SomebodysLayer');
    await writeFile(join(dir, MODEL_FILE), unknown);
    await expectGeoError(() => loadModel(dir), /SomebodysLayer[\s\S]*import/);
  });
});
