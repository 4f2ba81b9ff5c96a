// What every single-curvature geo layer shares (ToSphere, ToPoincare, AngularLinear, HypLinear,
// HypMLR): its curvature, fixed or learned (CurvatureSlot), the weight that holds a learned one,
// and the config entries k, learnCurvature and seed.
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkConfigKeys, configForConstructor } from './config-keys';
import { CurvatureSlot, checkCurvature, type CurvedGeometry } from './curvature';
import type { LayerArgs } from './layer-support';

export interface CurvedLayerArgs extends LayerArgs {
  /** Curvature: > 0 on the sphere, < 0 in the Poincare ball. */
  k: number;
  /** Learn k (beyond the paper); its sign, which decides the geometry, never flips. Default false. */
  learnCurvature?: boolean;
  /** Seed of the layer's initializers, for the layers that have weights. */
  seed?: number;
}

/** The config keys every CurvedLayer accepts (and getConfig writes), besides its own and the base layer's. */
export const CURVED_LAYER_KEYS: readonly string[] = ['k', 'learnCurvature', 'seed'];

export abstract class CurvedLayer extends tfl.layers.Layer {
  readonly k: number;
  readonly learnCurvature: boolean;
  readonly seed: number | undefined;
  protected readonly curvature: CurvatureSlot;

  /**
   * Rejects unknown config keys (the layer's `ownKeys`, the curvature keys and tfjs-layers' base keys
   * are allowed), validates k for `geometry` (errors name `owner`) and sets up the curvature.
   */
  protected constructor(args: CurvedLayerArgs, geometry: CurvedGeometry, owner: string, ownKeys: readonly string[]) {
    super(checkConfigKeys(args, { own: [...CURVED_LAYER_KEYS, ...ownKeys], baseLayerKeys: true }, owner));
    this.k = checkCurvature(args?.k, geometry, owner);
    this.learnCurvature = args.learnCurvature ?? false;
    this.seed = args.seed;
    this.curvature = new CurvatureSlot(geometry, this.k, this.learnCurvature);
  }

  /** Rebuilds a saved layer: the constructor gets the saved config without tfjs' `customObjects` entry. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(configForConstructor(config));
  }

  /** Adds the trainable weight of a learned curvature (nothing for a fixed one); call from build(). */
  protected buildCurvature(): void {
    this.curvature.build((name, init) => this.addWeight(name, [], 'float32', init, undefined, true));
  }

  /** The current curvature (the trained value when learned). */
  curvatureValue(): number {
    return this.curvature.value();
  }

  /** The layer's own config entries; getConfig adds the base layer's, k, learnCurvature and seed. */
  protected abstract ownConfig(): tf.serialization.ConfigDict;

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      ...this.ownConfig(),
      k: this.k,
      learnCurvature: this.learnCurvature,
    };
    if (this.seed !== undefined) config['seed'] = this.seed;
    return config;
  }
}
