// Where an ELOC unit's leave-out classifiers are saved: one geo-layers model folder per member under
// the unit's model folder, units/<configuration>/trial-<t>/<model>/model/fold-<k>/ (k from 1), so a
// rescore loads them as it loads any unit's model.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, saveModel } from '@curvad/geo-layers';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type UnitKey, unitModelDir } from '../../../core/store/unit-store';
import { ExperimentError } from '../../../experiment-error';
import type { BuiltEloc } from './eloc-models';

/** The folder of leave-out classifier `fold` (0-based) of a unit. */
export function elocMemberDir(outDir: string, unit: UnitKey, fold: number): string {
  return join(unitModelDir(outDir, unit), `fold-${fold + 1}`);
}

/** Saves every member (each atomically, geo-layers' saveModel). */
export async function saveElocModels(outDir: string, unit: UnitKey, eloc: BuiltEloc): Promise<void> {
  for (const { fold, built } of eloc.members) await saveModel(built.model, elocMemberDir(outDir, unit, fold.fold));
}

/** Loads the `folds` saved members of a unit, in fold order; a missing folder is an error naming it. */
export async function loadElocModels(outDir: string, unit: UnitKey, folds: number): Promise<tfl.LayersModel[]> {
  const models: tfl.LayersModel[] = [];
  try {
    for (let fold = 0; fold < folds; fold++) {
      const dir = elocMemberDir(outDir, unit, fold);
      if (!existsSync(dir)) {
        throw new ExperimentError(
          `${dir} is missing: unit ${unit.model} of trial ${unit.trial} (${unit.configuration}) needs its ${folds} leave-out classifiers (eloc.folds); run it again with --resume after deleting its unit.json.`,
        );
      }
      models.push(await loadModel(dir));
    }
  } catch (error) {
    for (const m of models) m.dispose();
    throw error;
  }
  return models;
}
