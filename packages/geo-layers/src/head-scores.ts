// The anomaly scores of @curvad/anomaly-scores that fit each head (paper Table I): z_S (Eq. 9),
// z_H (Eq. 10), z_M (Eq. 11) for GiO; z_EG (Eq. 12), z_EM (Eq. 13) and the baseline MSP for GiT.
// Each is bound to the head's outputs, so a user calls `score.compute(model.predict(x))`.
// Part of the sub-entry `@curvad/geo-layers/scores`: the main entry never imports anomaly-scores.

import {
  divergenceScore,
  hyperbolicScore,
  maxSoftmaxScore,
  mixedDivergenceScore,
  mixedScore,
  sphericalScore,
} from '@curvad/anomaly-scores';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GeoLayersError } from './errors';
import { embeddingOutputs, type GeoHeadSpec, type GeoOutputSpec, type GeoScoreName, logitOutputs } from './head-spec';
import { type CurvedSpace, geoHeadOf } from './heads';

/** Options passed on to the @curvad/anomaly-scores function (output, direction, input, batchSize...). */
export type GeoScoreOptions = Record<string, unknown>;

export interface GeoScore {
  /** The paper's name of the score. */
  name: GeoScoreName;
  /** Paper equation. */
  equation: string;
  /** The @curvad/anomaly-scores function it calls. */
  scoreFunction: string;
  /**
   * The score of each row (higher = more anomalous by default, see the anomaly-scores docs for
   * `output`), from the model's outputs in order (model.predict(x) as an array).
   */
  compute<O extends GeoScoreOptions = Record<string, never>>(outputs: tf.Tensor | tf.Tensor[], options?: O): GeoScoreResult<O>;
}

/** A Float32Array, or a [batch] tensor (the caller disposes it) when the options say `asTensor: true`. */
export type GeoScoreResult<O> = O extends { asTensor: true } ? tf.Tensor1D : Float32Array;

const EQUATION: Record<GeoScoreName, string> = {
  msp: 'AS = 1 - max softmax (baseline, Hendrycks & Gimpel)',
  zS: 'Eq. 9',
  zH: 'Eq. 10',
  zM: 'Eq. 11',
  zEG: 'Eq. 12',
  zEM: 'Eq. 13',
};

/** What the bindings need of a head: its description and its curvatures (a GeoHead or geoHeadOf(model)). */
export interface ScoredHead {
  spec: GeoHeadSpec;
  curvature(space: CurvedSpace): number;
}

function pick(outputs: tf.Tensor | tf.Tensor[], spec: GeoHeadSpec): tf.Tensor[] {
  const list = Array.isArray(outputs) ? outputs : [outputs];
  if (list.length !== spec.outputs.length) {
    throw new GeoLayersError(
      `geo-head score: expected the model's ${spec.outputs.length} outputs (model.predict(x) as an array), got ${list.length}.`,
    );
  }
  return list;
}

/**
 * The anomaly scores that fit a head (`spec.scores`), bound to its outputs: of a model built by
 * buildGeoModel / attachGeoHeads (also after loadModel), or of a GeoHead from gio / git. A learned
 * curvature is read when a score is computed, so the trained value is used.
 */
export function geoHeadScores(head: tfl.LayersModel | ScoredHead): GeoScore[] {
  const { spec, curvature } = head instanceof tfl.LayersModel ? geoHeadOf(head) : head;
  const curvatureOf = (output: GeoOutputSpec) => curvature(output.space as CurvedSpace);
  const logits = logitOutputs(spec);
  const embeddings = embeddingOutputs(spec);
  const logitsOf = (space: GeoOutputSpec['space']) => logits.find((o) => o.space === space);
  const embeddingOf = (space: GeoOutputSpec['space']) => embeddings.find((o) => o.space === space);
  const euclidean = logitsOf('euclidean');
  const sphere = logitsOf('sphere');
  const ball = embeddingOf('poincare');
  const geometric = logits.filter((o) => o.space !== 'euclidean');

  const make = (
    name: GeoScoreName,
    scoreFunction: string,
    run: (list: tf.Tensor[], options: GeoScoreOptions) => Float32Array | tf.Tensor1D,
  ): GeoScore => ({
    name,
    equation: EQUATION[name],
    scoreFunction,
    compute: <O extends GeoScoreOptions>(outputs: tf.Tensor | tf.Tensor[], options: O = {} as O) => {
      if (options.input === 'embedding') {
        throw new GeoLayersError(
          `geo-head score ${name}: the head's outputs are classifier logits; for the embedding variant of Eq. 12 ` +
            'call divergenceScore of @curvad/anomaly-scores on e_E and e_G yourself.',
        );
      }
      return run(pick(outputs, spec), options) as GeoScoreResult<O>;
    },
  });

  return spec.scores.map((name) => {
    switch (name) {
      case 'msp':
        return make(name, 'maxSoftmaxScore', (l, o) => maxSoftmaxScore(l[euclidean!.index]!, o));
      case 'zS':
        return make(name, 'sphericalScore', (l, o) => sphericalScore(l[sphere!.index]!, o));
      case 'zH':
        return make(name, 'hyperbolicScore', (l, o) => hyperbolicScore(l[ball!.index]!, { ...o, k: curvatureOf(ball!) }));
      case 'zM':
        return make(name, 'mixedScore', (l, o) =>
          mixedScore(
            [
              { space: 'spherical', logits: l[sphere!.index]! },
              { space: 'hyperbolic', embedding: l[ball!.index]!, k: curvatureOf(ball!) },
            ],
            o,
          ),
        );
      case 'zEG':
        return make(name, 'divergenceScore', (l, o) => divergenceScore(l[euclidean!.index]!, l[geometric[0]!.index]!, o));
      case 'zEM':
        return make(name, 'mixedDivergenceScore', (l, o) =>
          mixedDivergenceScore(
            l[euclidean!.index]!,
            geometric.map((g) => l[g.index]!),
            o,
          ),
        );
      default:
        throw new GeoLayersError(`unknown geo-head score '${String(name)}'.`);
    }
  });
}
