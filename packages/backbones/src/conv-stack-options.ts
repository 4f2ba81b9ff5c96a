// The description of a conv stack (the `conv-stack` backbone) as plain data, its strict validation and the
// map-size arithmetic that lets a bad description fail before any layer is built, naming the layer at fault.
import type { BackboneOptions, ImageShape } from './backbone-options';
import { BackboneError } from './errors';
import type { InitScheme } from './initializers';

/** Activations a conv layer may apply (tfjs-layers identifiers); 'linear' applies none. */
export type ConvStackActivation = 'relu' | 'elu' | 'selu' | 'tanh' | 'sigmoid' | 'linear';

/** A pooling layer after a conv: `{ kind: 'max', size: 2 }` is a 2x2 max-pool with stride 2. */
export interface ConvStackPool {
  kind: 'max' | 'avg';
  /** Window height and width. */
  size: number;
  /** Step between windows (default: `size`, non-overlapping windows as in PyTorch). */
  stride?: number;
}

/** One conv layer of the stack: conv, then batch norm if asked, then the activation, then the pool if any. */
export interface ConvStackLayer {
  filters: number;
  /** Square kernel side. */
  kernelSize: number;
  /** Default 1. */
  stride?: number;
  /**
   * 'valid' (default) pads nothing; 'same' pads (kernelSize - 1) / 2 on every side, PyTorch's
   * padding=k//2, so the map keeps ceil(size / stride). 'same' needs an odd kernelSize (symmetric padding).
   */
  padding?: 'valid' | 'same';
  /** Default 'relu'. */
  activation?: ConvStackActivation;
  /** Batch norm between the conv and the activation (default false); the conv then has no bias. */
  batchNorm?: boolean;
  pool?: ConvStackPool;
}

/** How the last conv map becomes a vector: flattened (default) or averaged over its positions. */
export type ConvStackReduce = 'flatten' | 'global-average';

export interface ConvStackOptions extends BackboneOptions {
  /**
   * The conv layers, first to last (at least one). Default: the issue's Fashion-MNIST CNN,
   * 3x3 valid conv 32 + 2x2 max-pool, 3x3 valid conv 64 + 2x2 max-pool (then `dense` [128]).
   */
  layers?: ConvStackLayer[];
  /** Default 'flatten'. */
  reduce?: ConvStackReduce;
  /**
   * Widths of the ReLU dense layers after the reduction; the last one is the embedding. Default [128];
   * `[]` makes the reduced conv map itself the embedding.
   */
  dense?: number[];
  /**
   * Weight initialisation of every conv and dense layer (default 'torch-default', PyTorch's default
   * U(+-1/sqrt(fan_in)) for kernel and bias, which a small CNN written in PyTorch uses unless it says otherwise).
   */
  init?: InitScheme;
}

/** A validated layer with every default filled in. */
export interface ResolvedConvStackLayer {
  filters: number;
  kernelSize: number;
  stride: number;
  padding: 'valid' | 'same';
  activation: ConvStackActivation;
  batchNorm: boolean;
  pool: Required<ConvStackPool> | undefined;
}

export interface ResolvedConvStack {
  layers: ResolvedConvStackLayer[];
  reduce: ConvStackReduce;
  dense: number[];
  init: InitScheme;
}

const BACKBONE = 'conv-stack';

/** The issue's example net: "3x3 valid conv 32 + 2x2 max-pool, 3x3 valid conv 64 + 2x2 max-pool, dense 128 + ReLU". */
export const DEFAULT_CONV_STACK_LAYERS: readonly ConvStackLayer[] = [
  { filters: 32, kernelSize: 3, pool: { kind: 'max', size: 2 } },
  { filters: 64, kernelSize: 3, pool: { kind: 'max', size: 2 } },
];
export const DEFAULT_CONV_STACK_DENSE: readonly number[] = [128];

const OPTION_KEYS = ['inputShape', 'seed', 'weightDecay', 'layers', 'reduce', 'dense', 'init'] as const;
const LAYER_KEYS = ['filters', 'kernelSize', 'stride', 'padding', 'activation', 'batchNorm', 'pool'] as const;
const POOL_KEYS = ['kind', 'size', 'stride'] as const;
const PADDINGS = ['valid', 'same'] as const;
const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear'] as const;
const POOL_KINDS = ['max', 'avg'] as const;
const REDUCTIONS = ['flatten', 'global-average'] as const;
const INIT_SCHEMES = ['torch-default', 'he-normal-fan-in', 'he-normal-fan-out'] as const;

/** Checks every option of a conv stack, fills the defaults, and throws a BackboneError naming the path at fault. */
export function resolveConvStack(options: unknown): ResolvedConvStack {
  const record = requireRecord(options, 'options');
  rejectUnknownKeys(record, OPTION_KEYS, 'options');
  const layersValue = record.layers ?? DEFAULT_CONV_STACK_LAYERS;
  if (!Array.isArray(layersValue) || layersValue.length === 0) {
    throw new BackboneError(
      `${BACKBONE}: layers must be a non-empty array of conv layers, e.g. [{ filters: 32, kernelSize: 3 }], got ${describeValue(layersValue)}.`,
    );
  }
  const layers = layersValue.map((layer, i) => resolveLayer(layer, `layers[${i}]`));
  const denseValue = record.dense ?? DEFAULT_CONV_STACK_DENSE;
  if (!Array.isArray(denseValue)) {
    throw new BackboneError(
      `${BACKBONE}: dense must be an array of layer widths, e.g. [128] (or [] for none), got ${describeValue(denseValue)}.`,
    );
  }
  const dense = denseValue.map((units, j) => requireCount(units, `dense[${j}]`));
  return {
    layers,
    reduce: requireOneOf(record.reduce ?? 'flatten', REDUCTIONS, 'reduce'),
    dense,
    init: requireOneOf(record.init ?? 'torch-default', INIT_SCHEMES, 'init'),
  };
}

function resolveLayer(value: unknown, path: string): ResolvedConvStackLayer {
  const layer = requireRecord(value, path);
  rejectUnknownKeys(layer, LAYER_KEYS, path);
  const kernelSize = requireCount(layer.kernelSize, `${path}.kernelSize`);
  const padding = requireOneOf(layer.padding ?? 'valid', PADDINGS, `${path}.padding`);
  if (padding === 'same' && kernelSize % 2 === 0) {
    throw new BackboneError(
      `${BACKBONE}: ${path}.padding 'same' needs an odd kernelSize to pad both sides equally, got kernelSize ${kernelSize}; ` +
        `use an odd kernel or padding 'valid'.`,
    );
  }
  const batchNorm = layer.batchNorm ?? false;
  if (typeof batchNorm !== 'boolean') {
    throw new BackboneError(`${BACKBONE}: ${path}.batchNorm must be true or false, got ${describeValue(batchNorm)}.`);
  }
  return {
    filters: requireCount(layer.filters, `${path}.filters`),
    kernelSize,
    stride: requireCount(layer.stride ?? 1, `${path}.stride`),
    padding,
    activation: requireOneOf(layer.activation ?? 'relu', ACTIVATIONS, `${path}.activation`),
    batchNorm,
    pool: layer.pool === undefined ? undefined : resolvePool(layer.pool, `${path}.pool`),
  };
}

function resolvePool(value: unknown, path: string): Required<ConvStackPool> {
  const pool = requireRecord(value, path);
  rejectUnknownKeys(pool, POOL_KEYS, path);
  const kind = requireOneOf(pool.kind, POOL_KINDS, `${path}.kind`);
  const size = requireCount(pool.size, `${path}.size`);
  return { kind, size, stride: requireCount(pool.stride ?? size, `${path}.stride`) };
}

/** Output side of a conv: 'valid' floor((n - k) / s) + 1, 'same' (symmetric (k - 1) / 2 padding) ceil(n / s). */
export function convOutputSize(size: number, layer: Pick<ResolvedConvStackLayer, 'kernelSize' | 'stride' | 'padding'>): number {
  return layer.padding === 'same' ? Math.ceil(size / layer.stride) : Math.floor((size - layer.kernelSize) / layer.stride) + 1;
}

/** Output side of an unpadded pool (tfjs 'valid', PyTorch's default floor mode): floor((n - size) / stride) + 1. */
export function poolOutputSize(size: number, pool: Required<ConvStackPool>): number {
  return Math.floor((size - pool.size) / pool.stride) + 1;
}

/**
 * The [height, width, channels] after every layer (conv, then pool if any), checking that no map
 * shrinks below 1x1; the error names the layer, the size it receives and the size it would produce.
 */
export function convStackMapShapes(stack: ResolvedConvStack, inputShape: ImageShape): ImageShape[] {
  let [height, width] = inputShape;
  return stack.layers.map((layer, i) => {
    const convHeight = convOutputSize(height, layer);
    const convWidth = convOutputSize(width, layer);
    const conv = `${layer.kernelSize}x${layer.kernelSize} conv, stride ${layer.stride}, '${layer.padding}' padding`;
    requireAtLeastOnePixel(`layers[${i}] (${conv})`, [height, width], [convHeight, convWidth], inputShape);
    [height, width] = [convHeight, convWidth];
    if (layer.pool !== undefined) {
      const pool = layer.pool;
      const pooledHeight = poolOutputSize(height, pool);
      const pooledWidth = poolOutputSize(width, pool);
      const described = `${pool.size}x${pool.size} ${pool.kind}-pool, stride ${pool.stride}`;
      requireAtLeastOnePixel(`layers[${i}].pool (${described})`, [height, width], [pooledHeight, pooledWidth], inputShape);
      [height, width] = [pooledHeight, pooledWidth];
    }
    return [height, width, layer.filters];
  });
}

function requireAtLeastOnePixel(where: string, input: [number, number], output: [number, number], inputShape: ImageShape): void {
  if (output[0] >= 1 && output[1] >= 1) return;
  // A negative side means the window is larger than the map by that much; 0 says "no pixel left" plainly.
  const [outHeight, outWidth] = output.map((side) => Math.max(0, side));
  throw new BackboneError(
    `${BACKBONE}: ${where} would shrink the ${input[0]}x${input[1]} map to ${outHeight}x${outWidth}; every map must keep at least 1x1. ` +
      `Use a smaller kernel, stride or pool there, 'same' padding, fewer layers, or a larger inputShape (now ${inputShape.join('x')}).`,
  );
}

function requireRecord(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BackboneError(`${BACKBONE}: ${path} must be an object, got ${describeValue(value)}.`);
  }
  return value as Record<string, unknown>;
}

function rejectUnknownKeys(record: Record<string, unknown>, known: readonly string[], path: string): void {
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new BackboneError(
      `${BACKBONE}: ${path} has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; ` +
        `the known keys are ${known.join(', ')}.`,
    );
  }
}

function requireCount(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new BackboneError(`${BACKBONE}: ${path} must be a positive integer, got ${describeValue(value)}.`);
  }
  return value;
}

function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new BackboneError(`${BACKBONE}: ${path} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}.`);
  }
  return value as T;
}

function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}
