import type { ImageShape } from './backbone-options';
import { BackboneError } from './errors';

export interface InputShapeLimits {
  /** Smallest height and width the network can reduce without reaching a zero-sized map. */
  minSize?: number;
  /** Height and width must be multiples of this (e.g. 2^depth for a U-Net's skip connections). */
  multipleOf?: number;
  /** Height and width must equal this (fixed-size patch encoders). */
  exactSize?: number;
}

/** Validates a user's inputShape (or takes the default) and says exactly what is wrong. */
export function resolveInputShape(
  backbone: string,
  requested: ImageShape | undefined,
  fallback: ImageShape,
  limits: InputShapeLimits = {},
): ImageShape {
  const shape = requested ?? fallback;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new BackboneError(
      `${backbone}: inputShape must be [height, width, channels] with positive integers, got ${JSON.stringify(shape)}.`,
    );
  }
  const [height, width] = shape;
  if (limits.exactSize !== undefined && (height !== limits.exactSize || width !== limits.exactSize)) {
    throw new BackboneError(
      `${backbone}: inputShape must be ${limits.exactSize}x${limits.exactSize}xC, got ${shape.join('x')}; ` +
        `choose the matching patchSize instead.`,
    );
  }
  if (limits.minSize !== undefined && (height < limits.minSize || width < limits.minSize)) {
    throw new BackboneError(
      `${backbone}: inputShape ${shape.join('x')} is too small; height and width must be at least ${limits.minSize}.`,
    );
  }
  if (limits.multipleOf !== undefined && (height % limits.multipleOf !== 0 || width % limits.multipleOf !== 0)) {
    throw new BackboneError(
      `${backbone}: height and width must be multiples of ${limits.multipleOf}, got ${shape.join('x')}; ` +
        `resize or pad the images, or lower the depth.`,
    );
  }
  return [shape[0], shape[1], shape[2]];
}

export function requirePositiveInteger(backbone: string, option: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new BackboneError(`${backbone}: ${option} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

export function requireRate(backbone: string, option: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    throw new BackboneError(`${backbone}: ${option} must be in [0, 1), got ${String(value)}.`);
  }
  return value;
}
