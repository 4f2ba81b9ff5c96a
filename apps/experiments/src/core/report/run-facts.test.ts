import { describe, expect, test } from 'vitest';
import { oodConfigFacts } from '../../tasks/ood/report/config-facts';
import { resultsFixture } from './results-fixture';
import { backendFacts, dataFileRows, isQuickRun, provenanceFacts, resolvedConfigFacts } from './run-facts';

describe('run facts for the top of the report', () => {
  test('a quick run: the flag, or an older file named <preset>-quick', () => {
    expect(isQuickRun(resultsFixture({ quick: true }))).toBe(true);
    expect(isQuickRun({ ...resultsFixture(), experiment: 'fmnist-mnist-quick' })).toBe(true);
    expect(isQuickRun(resultsFixture())).toBe(false);
  });

  test("the backend: a short name, and an older file's whole log sentence split into name and detail", () => {
    expect(backendFacts(resultsFixture())).toEqual({ name: 'wasm', detail: expect.stringContaining('tfjs-backend-wasm') });
    expect(backendFacts(resultsFixture({ legacy: true }))).toEqual({
      name: 'wasm',
      detail: "using backend 'wasm' (@tensorflow/tfjs-backend-wasm); skipped tfjs-node: not installed",
    });
    const provenance = provenanceFacts({ ...resultsFixture(), backendDetail: undefined, gitCommit: null });
    expect(provenance.find((f) => f.label === 'Backend detail')).toEqual({
      label: 'Backend detail',
      value: 'not recorded in this run',
      note: true,
    });
    expect(provenance.find((f) => f.label === 'Git commit')!.note).toBe(true);
  });

  test('the resolved config, also with a field this version does not know; anything else as JSON', () => {
    const facts = (config: unknown) => resolvedConfigFacts({ ...resultsFixture(), config }, oodConfigFacts);
    const known = facts(resultsFixture().config);
    expect(known.facts.map((f) => f.label)).toEqual(
      expect.arrayContaining([
        'Backbone',
        'Embedding size',
        'Epochs',
        'Optimizer',
        'Schedule',
        'Batch size',
        'Data limits',
        'Curvatures',
        'Detectors',
        'Configuration main',
      ]),
    );
    expect(known.facts.find((f) => f.label === 'Schedule')!.value).toBe('learning rate x 0.5 at epochs 2');
    const extended = facts({ ...(resultsFixture().config as object), someNewOption: 3 });
    expect(extended.facts.find((f) => f.label === 'Batch size')!.value).toBe('64');
    const other = facts({ task: 'segmentation' });
    expect(other.facts).toEqual([{ label: 'Config', value: expect.stringContaining('see the JSON below'), note: true }]);
    expect(other.json).toContain('"segmentation"');
  });

  test('data files with a 12-character SHA-256; null when not recorded', () => {
    expect(dataFileRows(undefined)).toBeNull();
    expect(dataFileRows(resultsFixture().dataFiles)).toEqual([
      {
        configuration: 'main',
        part: 'train',
        path: '/data/fashion-mnist/train-images-idx3-ubyte',
        bytes: '47,040,016',
        sha256: 'aaaaaaaaaaaa',
      },
    ]);
  });
});
