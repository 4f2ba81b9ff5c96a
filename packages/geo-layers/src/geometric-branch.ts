// The geometric part of a head (paper Fig. 3 b-c): geometric transformation (Eq. 2 / Eq. 4, or the
// product of both) followed by the geometric classifier (Eq. 3 / Eq. 8). Each space has one curvature:
// the transformation owns it, the classifier shares it (shareCurvature).
//
// Sphere composition (sphereComposition):
// - 'paper' (default): the text's Fig. 3, ToSphere then AngularLinear (variant sphereVariant).
// - 'released': the authors' released SiO / SiT / MiT, SphereFace's AngleLinear with m = 1
//   (AngularLinear variant 'sphereface') on the RAW feature, no ToSphere before it, so the logits are
//   sqrt(k) ||e|| cos(theta_j) and keep the feature norm (with a ToSphere in front both variants
//   collapse to cos(theta_j) at k = 1). The head's sphere EMBEDDING output is then ToSphere(e), a side
//   branch that feeds no classifier: the point on S_k whose angles to the prototypes the classifier
//   measures. z_S and z_M read the sphere LOGITS, so they are max_j sqrt(k) ||e|| cos(theta_j), as the
//   released code's logits. The classifier holds a fixed curvature of its own (the released code's
//   constructor argument), equal to the embedding's; a learned curvature would need one owner for two
//   layers that are not chained, so learnCurvature is refused with this composition.
import type * as tfl from '@tensorflow/tfjs-layers';
import { AngularLinear, type AngularVariant } from './angular-linear';
import { checkConfigKeys } from './config-keys';
import { GeoLayersError } from './errors';
import { layerFeatureDim } from './feature-maps';
import type { HeadGeometry, OutputSpace } from './head-spec';
import { HypMLR, type MlrParametrization } from './hyp-mlr';
import { checkPositiveInt, featureDim } from './layer-support';
import { ProductEmbedding, type ProductMode } from './product-embedding';
import { type PoincareMode, ToPoincare } from './to-poincare';
import { ToSphere } from './to-sphere';

export interface GeoHeadOptions {
  /** 'sphere' (SiO / SiT), 'poincare' (HiO / HiT) or 'mixed' (MiO / MiT: sphere x Poincare ball). */
  geometry: HeadGeometry;
  /** Curvature: k > 0 for 'sphere', k < 0 for 'poincare', [kSphere, kBall] for 'mixed'. */
  k: number | readonly [number, number];
  /** Number of classes, >= 2. */
  classes: number;
  /**
   * Learn the curvatures (beyond the paper): one per space, owned by the embedding layer (ToSphere,
   * ToPoincare, or the ProductEmbedding component) and shared by that space's classifier. Default false.
   */
  learnCurvature?: boolean;
  /** ToPoincare options (boundary margin, 'clip' | 'expmap0', Guo et al.'s clip radius). */
  xi?: number;
  poincareMode?: PoincareMode;
  clipR?: number | null;
  /** The released Riemannian gradient rescaling through ToPoincare (hyptorch's RiemannianGradient). Default false. */
  riemannianGradient?: boolean;
  /**
   * Sphere heads (and the sphere part of mixed ones): 'paper' (default, ToSphere then AngularLinear) or
   * 'released' (AngularLinear 'sphereface' on the raw feature; see the file header).
   */
  sphereComposition?: SphereComposition;
  /** AngularLinear options: 'paper' | 'sphereface' and the logit scale (default 1). */
  sphereVariant?: AngularVariant;
  scale?: number;
  /** HypMLR parametrization. Default: 'compact' for gio (no extra parameters), 'ganea' for git. */
  mlr?: MlrParametrization;
  /** Mixed heads: split the feature between the spaces or duplicate it. Default: 'split' for gio, 'duplicate' for git. */
  productMode?: ProductMode;
  /** Seed of every initializer in the head (reproducible heads). */
  seed?: number;
  /** Prefix of the head's layer names (default 'geo'); must be unique within the model. */
  name?: string;
}

export type SphereComposition = 'paper' | 'released';
const SPHERE_COMPOSITIONS: readonly SphereComposition[] = ['paper', 'released'];

/** The keys of GeoHeadOptions (what gio accepts; git and attachGeoHeads add their own). */
export const GEO_HEAD_OPTION_KEYS: readonly string[] = [
  'geometry',
  'k',
  'classes',
  'learnCurvature',
  'xi',
  'poincareMode',
  'clipR',
  'riemannianGradient',
  'sphereComposition',
  'sphereVariant',
  'scale',
  'mlr',
  'productMode',
  'seed',
  'name',
];

/** Rejects head options with keys outside GEO_HEAD_OPTION_KEYS and `extraKeys`, and non-object options. */
export function checkHeadOptionKeys(options: unknown, extraKeys: readonly string[], owner: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new GeoLayersError(
      `${owner}: options must be an object such as { geometry: 'sphere', k: 1, classes: 10 }, got ${String(options)}.`,
    );
  }
  checkConfigKeys(options, { own: [...GEO_HEAD_OPTION_KEYS, ...extraKeys] }, owner);
}

export interface BranchEntry {
  tensor: tfl.SymbolicTensor;
  space: OutputSpace;
  layer: tfl.layers.Layer;
  component?: number;
}

export interface GeometricBranch {
  logits: BranchEntry[];
  embeddings: BranchEntry[];
  layers: tfl.layers.Layer[];
}

function seedAt(seed: number | undefined, offset: number): number | undefined {
  return seed === undefined ? undefined : seed + offset;
}

/**
 * Check the features are a single [batch, dim] SymbolicTensor (or, with `featureMaps`, a
 * [batch, h, w, channels] one for a per-pixel head) and return the feature width.
 */
export function checkFeatures(features: unknown, owner: string, featureMaps = false): number {
  // Duck-typed rather than instanceof, so a SymbolicTensor from another copy of tfjs-layers passes.
  const symbolic = features as Partial<tfl.SymbolicTensor> | null;
  if (
    Array.isArray(features) ||
    symbolic === null ||
    typeof symbolic !== 'object' ||
    !Array.isArray(symbolic.shape) ||
    !('sourceLayer' in symbolic)
  ) {
    throw new GeoLayersError(
      `${owner}: features must be one SymbolicTensor (the feature extractor's output, e.g. model.getLayer(name).output).`,
    );
  }
  return featureMaps ? layerFeatureDim(symbolic.shape, owner) : featureDim(symbolic.shape, owner);
}

function curvatures(options: GeoHeadOptions, owner: string): { sphere?: number; poincare?: number } {
  const { geometry, k } = options;
  if (geometry === 'mixed') {
    if (!Array.isArray(k) || k.length !== 2) {
      throw new GeoLayersError(
        `${owner}: a mixed head takes k: [kSphere, kBall], e.g. [1, -0.01] (the paper's MiO), got ${JSON.stringify(k)}.`,
      );
    }
    return { sphere: k[0], poincare: k[1] };
  }
  if (geometry !== 'sphere' && geometry !== 'poincare') {
    throw new GeoLayersError(`${owner}: geometry must be 'sphere', 'poincare' or 'mixed', got '${String(geometry)}'.`);
  }
  if (Array.isArray(k)) {
    throw new GeoLayersError(`${owner}: a ${geometry} head takes one curvature k (a number), got [${k.join(', ')}].`);
  }
  return { [geometry]: k as number };
}

interface SphereSetup {
  composition: SphereComposition;
  variant: AngularVariant | undefined;
}

/** The sphere composition and classifier variant, checked against the options they exclude. */
function sphereSetup(options: GeoHeadOptions, productMode: ProductMode, owner: string): SphereSetup {
  const composition = options.sphereComposition ?? 'paper';
  if (!SPHERE_COMPOSITIONS.includes(composition)) {
    throw new GeoLayersError(`${owner}: sphereComposition must be 'paper' or 'released', got '${String(options.sphereComposition)}'.`);
  }
  if (composition === 'paper' || options.geometry === 'poincare') return { composition, variant: options.sphereVariant };
  if (options.sphereVariant !== undefined && options.sphereVariant !== 'sphereface') {
    throw new GeoLayersError(
      `${owner}: sphereComposition 'released' is the 'sphereface' classifier on the raw feature; sphereVariant ` +
        `'${String(options.sphereVariant)}' contradicts it. Omit sphereVariant, or use sphereComposition 'paper'.`,
    );
  }
  if (options.learnCurvature === true) {
    throw new GeoLayersError(
      `${owner}: sphereComposition 'released' keeps the sphere curvature fixed (as the released code); ` +
        "learnCurvature: true needs sphereComposition: 'paper'.",
    );
  }
  if (options.geometry === 'mixed' && productMode !== 'duplicate') {
    throw new GeoLayersError(
      `${owner}: sphereComposition 'released' gives the sphere classifier the raw feature, which a '${productMode}' ` +
        "product does not pass on; use productMode: 'duplicate' (the released MiT: both spaces see the whole feature).",
    );
  }
  return { composition, variant: 'sphereface' };
}

/**
 * Build the transformation and classifier layers of `options.geometry` on `features` (rows; feature
 * maps too when `featureMaps`, each layer then applied per pixel).
 */
export function buildGeometricBranch(
  features: tfl.SymbolicTensor,
  options: GeoHeadOptions,
  defaults: { mlr: MlrParametrization; productMode: ProductMode },
  owner: string,
  featureMaps = false,
): GeometricBranch {
  checkFeatures(features, owner, featureMaps);
  const classes = checkPositiveInt(options.classes, 'classes', owner, 2);
  const k = curvatures(options, owner);
  const prefix = options.name ?? 'geo';
  const learnCurvature = options.learnCurvature ?? false;
  const productMode = options.productMode ?? defaults.productMode;
  const sphere = sphereSetup(options, productMode, owner);
  const released = sphere.composition === 'released';
  const poincareOptions = {
    xi: options.xi,
    mode: options.poincareMode,
    clipR: options.clipR ?? null,
    riemannianGradient: options.riemannianGradient,
  };
  // Released: the classifier reads the raw feature, so it cannot share the embedding's curvature
  // through the graph; both hold the same fixed k (learnCurvature is refused above).
  const sphereClassifier = (kS: number) =>
    new AngularLinear({
      name: `${prefix}_logits_s`,
      units: classes,
      k: kS,
      scale: options.scale,
      variant: sphere.variant,
      learnCurvature,
      shareCurvature: !released,
      seed: seedAt(options.seed, 1),
    });
  const ballClassifier = (kH: number) =>
    new HypMLR({
      name: `${prefix}_logits_h`,
      classes,
      k: kH,
      parametrization: options.mlr ?? defaults.mlr,
      learnCurvature,
      shareCurvature: true,
      seed: seedAt(options.seed, 2),
    });

  if (options.geometry === 'sphere') {
    const toSphere = new ToSphere({ name: `${prefix}_to_sphere`, k: k.sphere!, learnCurvature });
    const embedding = toSphere.apply(features) as tfl.SymbolicTensor;
    const classifier = sphereClassifier(k.sphere!);
    const logits = classifier.apply(released ? features : embedding) as tfl.SymbolicTensor;
    return {
      logits: [{ tensor: logits, space: 'sphere', layer: classifier }],
      embeddings: [{ tensor: embedding, space: 'sphere', layer: toSphere }],
      layers: [toSphere, classifier],
    };
  }
  if (options.geometry === 'poincare') {
    const toPoincare = new ToPoincare({ name: `${prefix}_to_poincare`, k: k.poincare!, learnCurvature, ...poincareOptions });
    const embedding = toPoincare.apply(features) as tfl.SymbolicTensor;
    const classifier = ballClassifier(k.poincare!);
    const logits = classifier.apply(embedding) as tfl.SymbolicTensor;
    return {
      logits: [{ tensor: logits, space: 'poincare', layer: classifier }],
      embeddings: [{ tensor: embedding, space: 'poincare', layer: toPoincare }],
      layers: [toPoincare, classifier],
    };
  }
  const product = new ProductEmbedding({
    name: `${prefix}_product_embedding`,
    components: [
      { geometry: 'sphere', k: k.sphere! },
      { geometry: 'poincare', k: k.poincare! },
    ],
    mode: productMode,
    xi: poincareOptions.xi,
    poincareMode: poincareOptions.mode,
    clipR: poincareOptions.clipR,
    riemannianGradient: poincareOptions.riemannianGradient,
    learnCurvature,
  });
  const [onSphere, inBall] = product.apply(features) as tfl.SymbolicTensor[];
  const sphereHead = sphereClassifier(k.sphere!);
  const ballHead = ballClassifier(k.poincare!);
  return {
    logits: [
      { tensor: sphereHead.apply(released ? features : onSphere!) as tfl.SymbolicTensor, space: 'sphere', layer: sphereHead },
      { tensor: ballHead.apply(inBall!) as tfl.SymbolicTensor, space: 'poincare', layer: ballHead },
    ],
    embeddings: [
      { tensor: onSphere!, space: 'sphere', layer: product, component: 0 },
      { tensor: inBall!, space: 'poincare', layer: product, component: 1 },
    ],
    layers: [product, sphereHead, ballHead],
  };
}
