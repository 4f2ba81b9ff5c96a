import { saveModel } from '@curvad/geo-layers';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type UnitKey, unitModelDir } from '../store/unit-store';

/** Saves a unit's trained model under units/<configuration>/trial-<t>/<unit>/model (atomically, geo-layers' saveModel). */
export async function saveUnitWeights(outDir: string, unit: UnitKey, model: tfl.LayersModel): Promise<void> {
  await saveModel(model, unitModelDir(outDir, unit));
}
