// The curated public API of both entries, and that the main entry never loads @curvad/anomaly-scores
// (users who want only the layers need not install it): checked on the source module graph.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from './index';
import * as scoresApi from './scores';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Every module a source file imports at run time (relative ones followed), and the packages reached. */
function runtimePackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(SRC, file), 'utf8');
    // `import type` and `export type` lines vanish at build time; everything else is a run-time edge.
    for (const match of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)) {
      const target = match[1]!;
      if (target.startsWith('./')) visit(`${target.slice(2)}.ts`);
      else packages.add(target);
    }
  };
  visit(entry);
  return packages;
}

describe('public API', () => {
  it('@curvad/geo-layers exports exactly the curated names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AngularLinear',
        'DEFAULT_XI',
        'GeoLayersError',
        'HEAD_METADATA_KEY',
        'HypLinear',
        'HypMLR',
        'MIN_LEARNED_CURVATURE',
        'MIN_XI',
        'MODEL_FILE',
        'ProductEmbedding',
        'ToPoincare',
        'ToSphere',
        'WEIGHTS_FILE',
        'angularLogits',
        'attachGeoHeads',
        'buildGeoModel',
        'FitAbortedError',
        'fit',
        'fitGeoModel',
        'predictBatches',
        'pixelCrossEntropy',
        'pixelGeoHead',
        'pixelHeadLoss',
        'RELEASED_GEOMETRIC_LOSS_WEIGHT',
        'RELEASED_XI',
        'stepSchedule',
        'geoAccuracy',
        'geoHeadOf',
        'geoLoss',
        'gio',
        'git',
        'hypLinear',
        'hypMlrLogits',
        'isCurvatureCarrier',
        'loadModel',
        'mlrParameters',
        'poincareEmbedding',
        'predictOutputs',
        'readGeoHeadSpec',
        'saveModel',
        'softmaxCrossEntropy',
        'sphereEmbedding',
      ].sort(),
    );
  });

  it('@curvad/geo-layers/scores exports exactly the curated names', () => {
    expect(Object.keys(scoresApi).sort()).toEqual(['geoDetectorModel', 'geoHeadScores']);
  });

  it('the main entry does not import @curvad/anomaly-scores; the scores entry does', () => {
    const main = runtimePackages('index.ts');
    expect(main.has('@tensorflow/tfjs-layers')).toBe(true); // the walk reaches the layer modules
    // @curvad/seeded-random is a devDependency that tsup bundles into dist (no run-time package)
    expect([...main].filter((p) => p.startsWith('@curvad/')).sort()).toEqual(['@curvad/manifolds', '@curvad/seeded-random']);
    expect(runtimePackages('scores.ts').has('@curvad/anomaly-scores')).toBe(true);
  });
});
