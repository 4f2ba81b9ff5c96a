// results.json records a configuration's input standardization (issue 14), lifted from its units; a
// file without it (older runs, standardization off) still reads.
import { describe, expect, test } from 'vitest';
import { resultsFixture } from '../report/results-fixture';
import { resultsFileSchema } from '../results/results-file';
import { assembleResults } from './assemble-results';
import { type UnitRecord, unitKey, unitSchema } from './unit-store';

const STATS = { mean: [0.286], std: [0.353], images: 60000 };

function unit(configuration: string, model: string, standardized: boolean): UnitRecord {
  return unitSchema.parse({
    configuration,
    trial: 0,
    seed: 0,
    model,
    wallTimeSec: 1,
    idAccuracy: 0.9,
    training: [],
    methods: [],
    plots: { histograms: [], roc: [], embeddings: [] },
    ...(standardized ? { inputStandardization: STATS } : {}),
  });
}

describe('assembleResults: input standardization', () => {
  test("each configuration carries its units' statistics; one without them has none; the file validates", () => {
    const fixture = resultsFixture();
    const base = { ...fixture.configurations[0]!, trials: [] };
    const header = { ...fixture, configurations: [base, { ...base, name: 'other' }] };
    const [first, second] = ['main', 'other'];
    const models = ['baseline'];
    const units = new Map([unit(first!, 'baseline', true), unit(second!, 'baseline', false)].map((u) => [unitKey(u), u]));
    const results = assembleResults(
      { ...header, config: { ...(header.config as object), trials: 1 } },
      models,
      units,
      new Map(),
      new Map(),
    );
    expect(results.configurations.map((c) => c.inputStandardization)).toEqual([STATS, undefined]);
    expect(resultsFileSchema.safeParse(JSON.parse(JSON.stringify(results))).success).toBe(true);
    // A file written before the field existed still validates.
    expect(resultsFileSchema.safeParse(fixture).success).toBe(true);
  });
});
