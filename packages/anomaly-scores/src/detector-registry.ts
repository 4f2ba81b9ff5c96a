// Detectors by name: the built-in ones (output scores, ODIN, ELOC, fitted, RotNet, CSI) and any registered by the
// user. `getDetector(name, options)` makes a fresh detector, so fitted state is never shared.

import { CSI_DETECTORS } from './csi-detector';
import type { Detector, DetectorFactory } from './detector';
import type { DetectorOptions } from './detector-options';
import { ELOC_DETECTORS } from './eloc-detector';
import { AnomalyScoreError } from './errors';
import { FITTED_DETECTORS } from './fitted-detectors';
import { ODIN_DETECTORS } from './odin-detectors';
import { OUTPUT_DETECTORS } from './output-detectors';
import { ROTATION_DETECTORS } from './rotation-detectors';

const registry = new Map<string, DetectorFactory>(
  Object.entries({
    ...OUTPUT_DETECTORS,
    ...ODIN_DETECTORS,
    ...ELOC_DETECTORS,
    ...FITTED_DETECTORS,
    ...ROTATION_DETECTORS,
    ...CSI_DETECTORS,
  }),
);

/** Adds a detector under `name`; `create(options)` returns a fresh detector. A name can be registered once. */
export function registerDetector(name: string, create: DetectorFactory): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new AnomalyScoreError(`registerDetector: name must be a non-empty string, got ${String(name)}.`);
  }
  if (typeof create !== 'function') {
    throw new AnomalyScoreError(`registerDetector('${name}'): create must be a function (options) => Detector, got ${typeof create}.`);
  }
  if (registry.has(name)) {
    throw new AnomalyScoreError(
      `registerDetector: a detector named '${name}' is already registered; pick another name (or unregisterDetector('${name}') first).`,
    );
  }
  registry.set(name, create);
}

/** Removes a detector registered with registerDetector (e.g. in tests); true when it was there. */
export function unregisterDetector(name: string): boolean {
  return registry.delete(name);
}

/** A fresh detector registered as `name`, made with `options` (passed on to its score function). */
export function getDetector(name: string, options?: DetectorOptions): Detector {
  const create = registry.get(name);
  if (create === undefined) {
    throw new AnomalyScoreError(`unknown detector '${String(name)}'; registered: ${listDetectors().join(', ')}.`);
  }
  return create(options);
}

/** The registered detector names, in registration order. */
export function listDetectors(): string[] {
  return [...registry.keys()];
}
