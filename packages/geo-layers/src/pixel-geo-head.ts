// The per-pixel geometric heads of the segmentation task (paper Sec. V-C, Table VII), as the authors'
// released segmentation code builds them: beside the network's Euclidean per-pixel classifier, a
// shared 3x3 conv whose output feeds, at every pixel, the sphere classifier (AngleLinear) and / or the
// Poincare map + hyperbolic MLR (ToPoincare + HypMLR). Upsampling to the image size stays the
// caller's (the head returns logits at the feature map's resolution), and the loss is
// l_E + 0.1 l_S + 0.1 l_H (pixel-loss.ts).
//
// The geometric layers are the row layers applied per pixel (feature-maps.ts), built by the same
// branch builder as gio / git, so every option and check is shared and each space keeps one curvature
// owner. Defaults follow the released code, not gio's: sphereComposition 'released' (the sphereface
// classifier on the raw conv feature), ToPoincare 'expmap0' with margin 1e-3 and the Riemannian
// gradient, HypMLR 'ganea', and for 'mixed' both spaces see the whole conv feature ('duplicate').
import * as tfl from '@tensorflow/tfjs-layers';
import { GeoLayersError } from './errors';
import { buildGeometricBranch, checkFeatures, checkHeadOptionKeys, type GeoHeadOptions } from './geometric-branch';
import { checkPositiveInt } from './layer-support';

/** The released code's ToPoincare margin (hyptorch's project eps in float32). */
export const RELEASED_XI = 1e-3;
/** Side of the shared conv's square kernel in the released segmentation head. */
const SHARED_CONV_KERNEL = 3;

export interface PixelGeoHeadOptions extends GeoHeadOptions {
  /** Channels of the shared 3x3 conv (the per-pixel embedding width). Default: the feature map's channels. */
  embeddingDim?: number;
}

/** What pixelGeoHead accepts beyond GeoHeadOptions. */
const PIXEL_HEAD_OPTION_KEYS: readonly string[] = ['embeddingDim'];

/** Per-pixel tensors of a head, all [batch, h, w, ...] at the feature map's resolution. */
export interface PixelGeoHead {
  /** Per-pixel logits: the Euclidean classifier's, and the sphere / ball classifiers' of the geometry. */
  logits: { euclidean: tfl.SymbolicTensor; sphere?: tfl.SymbolicTensor; poincare?: tfl.SymbolicTensor };
  /** Per-pixel embeddings on the sphere / in the ball (what z_S-, z_H-style scores read). */
  embeddings: { sphere?: tfl.SymbolicTensor; poincare?: tfl.SymbolicTensor };
  /** The shared 3x3 conv's output, the feature of every geometric classifier. */
  shared: tfl.SymbolicTensor;
  /** The head's own layers: Euclidean classifier, shared conv, geometric layers. */
  layers: tfl.layers.Layer[];
}

/**
 * Build the released segmentation heads on `featureMap` [batch, h, w, channels]: a 1x1 conv Euclidean
 * classifier, a shared 3x3 conv (same padding, linear) and the geometric branch of `options.geometry`
 * applied per pixel. Layer names start with `options.name` (default 'pixel_geo').
 */
export function pixelGeoHead(featureMap: tfl.SymbolicTensor, options: PixelGeoHeadOptions): PixelGeoHead {
  const owner = 'pixelGeoHead';
  checkHeadOptionKeys(options, PIXEL_HEAD_OPTION_KEYS, owner);
  const channels = checkFeatures(featureMap, owner, true);
  if (featureMap.shape.length !== 4) {
    throw new GeoLayersError(
      `${owner}: features must be a feature map [batch, h, w, channels] (the segmentation network's decoder output), ` +
        `got shape [${featureMap.shape.join(', ')}]; for feature rows [batch, dim] use gio / git.`,
    );
  }
  const classes = checkPositiveInt(options.classes, 'classes', owner, 2);
  const embeddingDim = checkPositiveInt(options.embeddingDim ?? channels, 'embeddingDim', owner);
  const prefix = options.name ?? 'pixel_geo';
  const seed = options.seed;
  const euclideanClassifier = tfl.layers.conv2d({
    name: `${prefix}_logits_e`,
    filters: classes,
    kernelSize: 1,
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
  });
  const sharedConv = tfl.layers.conv2d({
    name: `${prefix}_shared_conv`,
    filters: embeddingDim,
    kernelSize: SHARED_CONV_KERNEL,
    padding: 'same',
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + 3 }),
  });
  const euclidean = euclideanClassifier.apply(featureMap) as tfl.SymbolicTensor;
  const shared = sharedConv.apply(featureMap) as tfl.SymbolicTensor;
  const { embeddingDim: _width, ...headOptions } = options;
  const branch = buildGeometricBranch(
    shared,
    {
      ...headOptions,
      name: prefix,
      sphereComposition: options.sphereComposition ?? 'released',
      poincareMode: options.poincareMode ?? 'expmap0',
      xi: options.xi ?? RELEASED_XI,
      riemannianGradient: options.riemannianGradient ?? true,
    },
    { mlr: 'ganea', productMode: 'duplicate' },
    owner,
    true,
  );
  const logits: PixelGeoHead['logits'] = { euclidean };
  const embeddings: PixelGeoHead['embeddings'] = {};
  for (const entry of branch.logits) logits[entry.space as 'sphere' | 'poincare'] = entry.tensor;
  for (const entry of branch.embeddings) embeddings[entry.space as 'sphere' | 'poincare'] = entry.tensor;
  return { logits, embeddings, shared, layers: [euclideanClassifier, sharedConv, ...branch.layers] };
}
