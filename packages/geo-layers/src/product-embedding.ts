// The geometric transformation of the mixed-curvature models (paper Sec. III-A and IV-A, MiO / MiT):
// M_M = M_1 x ... x M_N. The Euclidean feature is either split into consecutive slices, one per
// component space, or duplicated (every component sees the whole feature); each slice is then mapped
// into its space by Eq. 2 (sphere), Eq. 4 (Poincare ball) or kept (Euclidean). The layer has one
// output per component, so each can feed its own classifier (the paper's MiO is "actually a
// two-branch architecture") and its own score (Eq. 11, 13).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkXi, DEFAULT_XI } from './ball-margin';
import { checkConfigKeys, configForConstructor } from './config-keys';
import { CURVATURE_CARRIER, type CurvatureCarrier, CurvatureSlot, type CurvedGeometry, checkCurvature } from './curvature';
import { GeoLayersError } from './errors';
import { applyToPixelsMany, layerFeatureDim, perPixelShape } from './feature-maps';
import { checkFlag, checkNumber, type Kwargs, type LayerArgs, type Shape, singleInput, singleShape } from './layer-support';
import { type PoincareMode, poincareEmbedding } from './to-poincare';
import { sphereEmbedding } from './to-sphere';

export type ComponentGeometry = CurvedGeometry | 'euclidean';
export type ProductMode = 'split' | 'duplicate';

export interface ProductComponentSpec {
  geometry: ComponentGeometry;
  /** Curvature: > 0 sphere, < 0 Poincare ball; ignored (0) for Euclidean. */
  k?: number;
  /** Width of this component's slice in 'split' mode; equal slices when every dim is omitted. */
  dim?: number;
}

export interface ProductEmbeddingArgs extends LayerArgs {
  components: ProductComponentSpec[];
  /** 'split' (default): consecutive slices; 'duplicate': the whole feature for every component. */
  mode?: ProductMode;
  /** Poincare components: boundary margin, map and released gradient rescaling (see ToPoincare). */
  xi?: number;
  poincareMode?: PoincareMode;
  clipR?: number | null;
  riemannianGradient?: boolean;
  /** Learn every curved component's k (beyond the paper). Default false. */
  learnCurvature?: boolean;
}

const PRODUCT_EMBEDDING_KEYS: readonly string[] = [
  'components',
  'mode',
  'xi',
  'poincareMode',
  'clipR',
  'learnCurvature',
  'riemannianGradient',
];
const COMPONENT_KEYS: readonly string[] = ['geometry', 'k', 'dim'];

interface ResolvedComponent {
  geometry: ComponentGeometry;
  k: number;
  dim: number | null;
}

function resolveComponents(specs: unknown): ResolvedComponent[] {
  if (!Array.isArray(specs) || specs.length < 1) {
    throw new GeoLayersError(
      "ProductEmbedding: components must be a non-empty array such as [{ geometry: 'sphere', k: 1 }, { geometry: 'poincare', k: -1 }].",
    );
  }
  return specs.map((spec: ProductComponentSpec, i) => {
    const owner = `ProductEmbedding component ${i}`;
    if (spec === null || typeof spec !== 'object') throw new GeoLayersError(`${owner} must be an object.`);
    checkConfigKeys(spec, { own: COMPONENT_KEYS }, owner);
    const dim = spec.dim == null ? null : checkNumber(spec.dim, 'dim', owner, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    if (spec.geometry === 'euclidean') return { geometry: 'euclidean', k: 0, dim };
    if (spec.geometry !== 'sphere' && spec.geometry !== 'poincare') {
      throw new GeoLayersError(`${owner}: geometry must be 'sphere', 'poincare' or 'euclidean', got '${String(spec.geometry)}'.`);
    }
    return { geometry: spec.geometry, k: checkCurvature(spec.k, spec.geometry, owner), dim };
  });
}

/** Mixed-curvature embedding: one output per component space. */
export class ProductEmbedding extends tfl.layers.Layer implements CurvatureCarrier {
  static readonly className = 'CurvadProductEmbedding';
  readonly [CURVATURE_CARRIER] = true as const;
  readonly components: readonly ResolvedComponent[];
  readonly mode: ProductMode;
  readonly xi: number;
  readonly poincareMode: PoincareMode;
  readonly clipR: number | null;
  readonly riemannianGradient: boolean;
  readonly learnCurvature: boolean;
  private readonly curvatures: (CurvatureSlot | null)[];

  constructor(args: ProductEmbeddingArgs) {
    super(checkConfigKeys(args, { own: PRODUCT_EMBEDDING_KEYS, baseLayerKeys: true }, 'ProductEmbedding'));
    this.components = resolveComponents(args?.components);
    this.mode = args.mode ?? 'split';
    if (this.mode !== 'split' && this.mode !== 'duplicate') {
      throw new GeoLayersError(`ProductEmbedding: mode must be 'split' or 'duplicate', got '${String(args.mode)}'.`);
    }
    this.xi = checkXi(args.xi ?? DEFAULT_XI, 'ProductEmbedding');
    this.poincareMode = args.poincareMode ?? 'clip';
    if (this.poincareMode !== 'clip' && this.poincareMode !== 'expmap0') {
      throw new GeoLayersError(`ProductEmbedding: poincareMode must be 'clip' or 'expmap0', got '${String(args.poincareMode)}'.`);
    }
    this.clipR = args.clipR == null ? null : checkNumber(args.clipR, 'clipR', 'ProductEmbedding', (v) => v > 0, 'a finite number > 0');
    this.riemannianGradient = checkFlag(args.riemannianGradient, 'riemannianGradient', 'ProductEmbedding');
    this.learnCurvature = args.learnCurvature ?? false;
    this.curvatures = this.components.map((c, i) =>
      c.geometry === 'euclidean' ? null : new CurvatureSlot(c.geometry, c.k, this.learnCurvature, `raw_k_${i}`),
    );
  }

  /** Rebuilds a saved layer: the constructor gets the saved config without tfjs' `customObjects` entry. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(configForConstructor(config));
  }

  /** Slice widths for an input of width `dim` (each component's output width). */
  private dimsFor(dim: number): number[] {
    if (this.mode === 'duplicate') return this.components.map(() => dim);
    const given = this.components.map((c) => c.dim);
    if (given.every((d) => d === null)) {
      if (dim % this.components.length !== 0) {
        throw new GeoLayersError(
          `ProductEmbedding: cannot split ${dim} features equally into ${this.components.length} components; ` +
            'give each component a dim (summing to the feature width) or use mode: duplicate.',
        );
      }
      return given.map(() => dim / this.components.length);
    }
    if (given.some((d) => d === null) || given.reduce<number>((s, d) => s + (d ?? 0), 0) !== dim) {
      throw new GeoLayersError(
        `ProductEmbedding: component dims [${given.join(', ')}] must all be given and sum to the feature width ${dim}.`,
      );
    }
    return given as number[];
  }

  override build(inputShape: Shape | Shape[]): void {
    const dim = layerFeatureDim(singleShape(inputShape, 'ProductEmbedding'), 'ProductEmbedding');
    this.dimsFor(dim); // checks the split now, so a bad feature width fails when the model is built
    for (const slot of this.curvatures) {
      slot?.build((name, init) => this.addWeight(name, [], 'float32', init, undefined, true));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shape = singleShape(inputShape, 'ProductEmbedding');
    const dims = this.dimsFor(layerFeatureDim(shape, 'ProductEmbedding'));
    return dims.map((d) => perPixelShape(shape, d));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor[] {
    return tf.tidy(() => {
      const x = singleInput(inputs, 'ProductEmbedding');
      const dims = this.dimsFor(layerFeatureDim(x.shape, 'ProductEmbedding'));
      return applyToPixelsMany(x, (rows) => this.embedRows(rows, dims));
    });
  }

  /** Each component's slice of `rows` [n, dim] mapped into its space. */
  private embedRows(rows: tf.Tensor, dims: number[]): tf.Tensor[] {
    const parts = this.mode === 'duplicate' ? dims.map(() => rows) : tf.split(rows, dims, 1);
    return parts.map((part, i) => {
      const component = this.components[i]!;
      const slot = this.curvatures[i];
      if (component.geometry === 'euclidean' || !slot) return tf.clone(part);
      if (component.geometry === 'sphere') return sphereEmbedding(part, slot.current());
      return poincareEmbedding(part, slot.current(), {
        xi: this.xi,
        mode: this.poincareMode,
        clipR: this.clipR,
        riemannianGradient: this.riemannianGradient,
      });
    });
  }

  /**
   * The curvature of component `component` (= output index), which the classifier on that output
   * shares (CurvatureCarrier). A Euclidean component has none.
   */
  curvatureSlot(component?: number): CurvatureSlot {
    const index = component ?? 0;
    const slot = this.curvatures[index];
    if (slot === undefined || slot === null) {
      const what = slot === null ? 'is Euclidean and has no curvature' : `does not exist (the layer has ${this.components.length})`;
      throw new GeoLayersError(`ProductEmbedding '${this.name}': component ${index} ${what}.`);
    }
    return slot;
  }

  /** Current curvature of each component (0 for Euclidean; trained values when learned). */
  curvatureValues(): number[] {
    return this.curvatures.map((slot) => (slot ? slot.value() : 0));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      components: this.components.map((c) => {
        const spec: tf.serialization.ConfigDict = { geometry: c.geometry, k: c.k };
        if (c.dim !== null) spec.dim = c.dim;
        return spec;
      }),
      mode: this.mode,
      xi: this.xi,
      poincareMode: this.poincareMode,
      clipR: this.clipR,
      riemannianGradient: this.riemannianGradient,
      learnCurvature: this.learnCurvature,
    };
  }
}
tf.serialization.registerClass(ProductEmbedding);
