// The models of an ELOC unit (Vyas et al. 2018; the paper's Table V): K leave-out classifiers, each a
// whole network (backbone + its own head) trained on the ID classes outside its fold. 'ELOC' members
// are baseline networks; 'ELOC+HiT' members are HiT models (Euclidean + hyperbolic classifier on one
// feature) at the paper's ELOC curvature `eloc.hitCurvature`.
//
// Scoring sees the ensemble through an adapter DetectorModel rather than one combined tfjs model:
// the members are separate LayersModels saved one folder each (so `curvad rescore` loads them as any
// other saved model), and nesting K models with equal layer names in one functional model would need
// renaming them; the adapter runs each member's forward pass and lists its classifier logits.
import type { DetectorModel, DetectorOutput } from '@curvad/anomaly-scores';
import { DatasetError, type LeaveOutFold, leaveOutFolds } from '@curvad/datasets';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError, ExperimentError } from '../../../experiment-error';
import { type ModelName, modelRecord, type OodConfig } from '../config/ood-config';
import { foldSeed } from '../eloc-seeds';
import { type BuiltModel, buildOodModel, builtFromModel } from './build-model';

/** One leave-out classifier: its fold (kept and held-out classes) and its network. */
export interface ElocMember {
  fold: LeaveOutFold;
  built: BuiltModel;
}

/** An ELOC unit's ensemble. */
export interface BuiltEloc {
  name: ModelName;
  /** ID classes of the configuration (every member keeps a subset of them). */
  classes: number;
  members: ElocMember[];
}

/** The member model name of an ELOC model ('baseline' or 'HiT'); throws for a model that is not ELOC. */
export function elocMemberName(name: ModelName): 'baseline' | 'HiT' {
  const record = modelRecord(name);
  if (record.kind !== 'eloc') throw new ExperimentError(`model ${name} is not an ELOC model (its kind is ${record.kind}).`);
  return record.classifier;
}

/** The config a member is built with: a HiT member takes the ELOC curvature (eloc.hitCurvature), not Table III's HiT. */
export function memberConfig(config: OodConfig): OodConfig {
  return { ...config, curvatures: { ...config.curvatures, HiT: config.eloc.hitCurvature } };
}

/** The leave-out folds of `classes` ID classes (class ids in order, contiguous blocks; see @curvad/datasets' leaveOutFolds). */
export function elocFolds(config: OodConfig, classes: number): LeaveOutFold[] {
  return leaveOutFolds(classes, config.eloc.folds);
}

/**
 * Refuses, before any training, an ELOC model whose folds cannot be made from the configuration's
 * `classes` ID classes (each fold holds out at least one class and keeps at least two).
 */
export function checkElocFolds(config: OodConfig, classes: number): void {
  if (!config.models.some((m) => modelRecord(m).kind === 'eloc')) return;
  try {
    elocFolds(config, classes);
  } catch (error) {
    if (!DatasetError.isInstance(error)) throw error;
    throw new ConfigError(
      `eloc.folds = ${config.eloc.folds} does not fit the ${classes} ID classes of this configuration (${error.message}); set --set eloc.folds=N with 2 <= N and at least 2 classes kept per fold, or take the ELOC models out of models.`,
      { cause: error },
    );
  }
}

function disposeMembers(members: readonly ElocMember[]): void {
  for (const m of members) m.built.model.dispose();
}

/** Builds the K members of ELOC model `name`, member k seeded foldSeed(unitSeed, k), with kept.length classes. */
export function buildElocModels(
  name: ModelName,
  config: OodConfig,
  inputShape: [number, number, number],
  classes: number,
  unitSeed: number,
): BuiltEloc {
  const member = elocMemberName(name);
  const members: ElocMember[] = [];
  try {
    for (const fold of elocFolds(config, classes)) {
      const built = buildOodModel(member, memberConfig(config), inputShape, fold.kept.length, foldSeed(unitSeed, fold.fold));
      members.push({ fold, built });
    }
  } catch (error) {
    disposeMembers(members);
    throw error;
  }
  return { name, classes, members };
}

/** An ensemble from saved member models (in fold order), for rescoring. */
export function elocFromModels(name: ModelName, models: readonly tfl.LayersModel[], config: OodConfig, classes: number): BuiltEloc {
  const member = elocMemberName(name);
  const folds = elocFolds(config, classes);
  if (models.length !== folds.length) {
    throw new ExperimentError(
      `model ${name}: found ${models.length} saved leave-out classifiers but eloc.folds = ${folds.length}; the run folder is incomplete or from another config.`,
    );
  }
  return { name, classes, members: folds.map((fold, k) => ({ fold, built: builtFromModel(member, models[k]!, config) })) };
}

/** Frees every member model. */
export function disposeEloc(eloc: BuiltEloc): void {
  disposeMembers(eloc.members);
}

/**
 * The outputs of a member that ELOC trains with the margin entropy hinge and scores: the baseline's
 * logits; a HiT member's Euclidean and hyperbolic classifier logits (both are leave-out classifiers
 * of the same classes, so both enter the ensemble's score).
 */
export function elocClassifierOutputs(built: BuiltModel): number[] {
  if (built.spec === null) return [0];
  return built.spec.outputs.filter((o) => o.role === 'logits').map((o) => o.index);
}

/**
 * The ensemble as the registry's 'eloc' detector reads it: one Euclidean 'logits' output per scored
 * classifier (member by member, in fold order), and a differentiable forward pass in inference mode
 * for ODIN's input step. Run `apply` inside tf.tidy (the detectors do): the members' other outputs
 * (embeddings) are left to it.
 */
export function elocDetectorModel(eloc: BuiltEloc): DetectorModel {
  const picks = eloc.members.map((m) => elocClassifierOutputs(m.built));
  const outputs: DetectorOutput[] = picks.flat().map((_, index) => ({ index, role: 'logits', space: 'euclidean' }));
  return {
    outputs,
    apply: (x) =>
      eloc.members.flatMap((m, k) => {
        const y = m.built.model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
        const list = Array.isArray(y) ? y : [y];
        return picks[k]!.map((i) => list[i]!);
      }),
  };
}
