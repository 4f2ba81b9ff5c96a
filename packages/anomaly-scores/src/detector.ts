// The detector interface (OpenOOD's postprocessor idea, with this package's orientation rule): a
// detector is `{ name, fit?(model, idTrainData), score(model, data) }` and its score is higher = more
// anomalous, one float per sample. A detector sees a model only through `DetectorModel`: which
// output is which (logits / embedding / features, and of which space), and optionally a
// differentiable forward pass for detectors that perturb the input (ODIN).
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';

/** What a model output is: classifier logits, a head embedding (e_G), or backbone features (for fitted detectors). */
export type DetectorOutputRole = 'logits' | 'embedding' | 'features';
/** The space an output lives in; a 'poincare' embedding carries its curvature `k`. */
export type DetectorOutputSpace = 'euclidean' | 'sphere' | 'poincare';

export interface DetectorOutput {
  /** Position in the model's outputs. */
  index: number;
  role: DetectorOutputRole;
  space: DetectorOutputSpace;
  /** Curvature of a 'poincare' output (k < 0), read when the DetectorModel was made. */
  k?: number;
}

/** A model as detectors see it. */
export interface DetectorModel {
  /** What each model output is, by index. */
  outputs: readonly DetectorOutput[];
  /**
   * The model's outputs on a batch of inputs, in inference mode, differentiable (ODIN takes the
   * gradient through it). Needed by detectors with `needsInput`, and when `data.outputs` is absent.
   */
  apply?(x: tf.Tensor): tf.Tensor[];
}

/** The samples a detector fits on or scores. */
export interface DetectorData {
  /** The inputs (e.g. NHWC images). Needed by detectors with `needsInput` (ODIN). */
  x?: tf.Tensor;
  /** The model's outputs on the samples, when already computed (saves a forward pass). */
  outputs?: readonly tf.Tensor[];
  /** Class indices, one per sample: fit data of class-conditional detectors (Mahalanobis). */
  labels?: tf.Tensor | ArrayLike<number>;
}

export interface Detector {
  /** The registered name. */
  readonly name: string;
  /** One line: what it is, its paper and the options it was made with. */
  readonly description: string;
  /** True when it perturbs the input and so needs `data.x` and `model.apply` (ODIN). */
  readonly needsInput: boolean;
  /** Present on detectors fitted on in-distribution training data (Mahalanobis, KNN); call before score. */
  fit?(model: DetectorModel, idTrainData: DetectorData): void;
  /** One score per sample, higher = more anomalous. */
  score(model: DetectorModel, data: DetectorData): Float32Array;
  /** Frees what fit kept (tensors); a no-op for stateless detectors. */
  dispose?(): void;
}

/** Makes a fresh detector with `options` (passed on to its score function); what registerDetector takes. */
export type DetectorFactory = (options?: Record<string, unknown>) => Detector;

function describeOutputs(model: DetectorModel): string {
  if (model.outputs.length === 0) return 'none';
  return model.outputs.map((o) => `${o.index}: ${o.space} ${o.role}`).join(', ');
}

/** The outputs of `model` with `role` (and `space`, when given); throws naming what the model has. */
export function outputsWith(
  model: DetectorModel,
  detector: string,
  role: DetectorOutputRole,
  space?: DetectorOutputSpace | 'curved',
): DetectorOutput[] {
  const found = model.outputs.filter(
    (o) => o.role === role && (space === undefined || (space === 'curved' ? o.space !== 'euclidean' : o.space === space)),
  );
  if (found.length === 0) {
    const wanted = `${space === undefined ? '' : `${space} `}${role}`;
    throw new AnomalyScoreError(
      `detector '${detector}': the model has no ${wanted} output (its outputs: ${describeOutputs(model)}); ` +
        `pick a detector that fits the model, or describe the ${wanted} output in DetectorModel.outputs.`,
    );
  }
  return found;
}

/** The single output with `role` and `space`. */
export function outputWith(model: DetectorModel, detector: string, role: DetectorOutputRole, space?: DetectorOutputSpace): DetectorOutput {
  return outputsWith(model, detector, role, space)[0]!;
}

/** The curvature of a 'poincare' output, checked. */
export function curvatureOf(output: DetectorOutput, detector: string): number {
  if (typeof output.k !== 'number' || !(output.k < 0)) {
    throw new AnomalyScoreError(
      `detector '${detector}': Poincare output ${output.index} needs its curvature k < 0 in DetectorModel.outputs (got ${String(output.k)}).`,
    );
  }
  return output.k;
}

/**
 * Runs `use` on the model's outputs for `data`: the given `data.outputs`, or a forward pass of
 * `model.apply` on `data.x` (disposed afterwards).
 */
export function withOutputs<T>(model: DetectorModel, data: DetectorData, detector: string, use: (outputs: readonly tf.Tensor[]) => T): T {
  if (data.outputs !== undefined) {
    if (data.outputs.length !== model.outputs.length) {
      throw new AnomalyScoreError(
        `detector '${detector}': data.outputs holds ${data.outputs.length} tensors but the model describes ${model.outputs.length} outputs; pass all of the model's outputs, in order.`,
      );
    }
    return use(data.outputs);
  }
  if (data.x === undefined || model.apply === undefined) {
    throw new AnomalyScoreError(
      `detector '${detector}': give data.outputs (the model's outputs), or data.x together with a model that has apply(x).`,
    );
  }
  const x = data.x;
  const apply = model.apply.bind(model);
  const outputs = tf.tidy(() => apply(x));
  try {
    return use(outputs);
  } finally {
    tf.dispose(outputs);
  }
}

/** The input and the forward pass of a detector that perturbs the input, checked. */
export function inputAndApply(
  model: DetectorModel,
  data: DetectorData,
  detector: string,
): { x: tf.Tensor; apply: (x: tf.Tensor) => tf.Tensor[] } {
  if (data.x === undefined) {
    throw new AnomalyScoreError(`detector '${detector}' perturbs the input: pass the inputs as data.x.`);
  }
  if (model.apply === undefined) {
    throw new AnomalyScoreError(
      `detector '${detector}' perturbs the input: the model needs apply(x), a differentiable forward pass in inference mode.`,
    );
  }
  return { x: data.x, apply: model.apply.bind(model) };
}
