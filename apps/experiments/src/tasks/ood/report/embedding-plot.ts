import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type EvalImages, firstRows, rowCount } from '../../../core/eval-images';
import { predict } from '../../../core/predict';
import type { EmbeddingPlot } from '../../../core/results/results-file';
import { modelRecord, type OodConfig } from '../config/ood-config';
import type { BuiltModel } from '../model/build-model';

/** Points of a 2-D embedding output, `perSet` of each set. */
async function embeddingPoints(
  model: tfl.LayersModel,
  outputIndex: number | 'projection',
  sets: { name: string; images: EvalImages }[],
  perSet: number,
): Promise<EmbeddingPlot['points']> {
  const sub =
    outputIndex === 'projection'
      ? tfl.model({ inputs: model.inputs, outputs: model.getLayer('projection').output as tfl.SymbolicTensor })
      : null;
  const points: EmbeddingPlot['points'] = [];
  for (const set of sets) {
    const slice = firstRows(set.images, perSet);
    const count = rowCount(slice);
    const outputs = await predict(sub ?? model, slice);
    const values = outputs[outputIndex === 'projection' ? 0 : outputIndex]!.dataSync();
    tf.dispose(outputs);
    for (let i = 0; i < count; i++) points.push({ x: values[2 * i]!, y: values[2 * i + 1]!, set: set.name });
  }
  return points;
}

/** The paper's Fig. 2 data for a model with a 2-D Euclidean, Poincare or spherical embedding; null otherwise. */
export async function embeddingPlot(
  built: BuiltModel,
  config: OodConfig,
  sets: { name: string; images: EvalImages }[],
): Promise<EmbeddingPlot | null> {
  if (config.embeddingDim !== 2 || config.embeddingPlotPoints === 0) return null;
  const head = modelRecord(built.name);
  if (head.kind === 'baseline') {
    return {
      model: built.name,
      geometry: 'euclidean',
      points: await embeddingPoints(built.model, 'projection', sets, config.embeddingPlotPoints),
    };
  }
  if (head.kind !== 'gio' || head.geometry === 'mixed') return null;
  const space = head.geometry === 'sphere' ? 'sphere' : 'poincare';
  const output = built.spec!.outputs.find((o) => o.role === 'embedding' && o.space === space);
  if (!output) return null;
  // The head's own curvature (the trained value when learned), not the configured starting value.
  const k = built.head!.curvature(space);
  return {
    model: built.name,
    geometry: space,
    radius: 1 / Math.sqrt(Math.abs(k)),
    points: await embeddingPoints(built.model, output.index, sets, config.embeddingPlotPoints),
  };
}
