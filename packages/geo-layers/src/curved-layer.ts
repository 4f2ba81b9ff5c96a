// What every single-curvature geo layer shares (ToSphere, ToPoincare, AngularLinear, HypLinear,
// HypMLR): its curvature, fixed or learned (CurvatureSlot), the weight that holds a learned one,
// and the config entries k, learnCurvature and seed.
//
// One owner per curvature (as geoopt's manifold owns k and its layers share it): a classifier built
// with `shareCurvature: true` has no curvature of its own but reads the CurvatureSlot of the layer that
// feeds it (ToSphere, ToPoincare, or the matching ProductEmbedding component), found through the
// layer graph. A learned k is then one weight in the embedding layer, which both layers use and the
// gradients of both reach, so the two cannot drift apart; and since the link is the graph itself, it
// comes back by itself when a saved model is loaded.
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkConfigKeys, configForConstructor } from './config-keys';
import {
  CURVATURE_CARRIER,
  type CurvatureCarrier,
  CurvatureSlot,
  type CurvedGeometry,
  checkCurvature,
  isCurvatureCarrier,
} from './curvature';
import { GeoLayersError } from './errors';
import type { LayerArgs } from './layer-support';

export interface CurvedLayerArgs extends LayerArgs {
  /** Curvature: > 0 on the sphere, < 0 in the Poincare ball. */
  k: number;
  /** Learn k (beyond the paper); its sign, which decides the geometry, never flips. Default false. */
  learnCurvature?: boolean;
  /** Seed of the layer's initializers, for the layers that have weights. */
  seed?: number;
  /**
   * Classifiers (AngularLinear, HypMLR): use the curvature of the layer that feeds this one instead of
   * an own one, so a learned k has one owner (the embedding layer). k and learnCurvature must match
   * that layer's. Default false; the gio / git heads set it.
   */
  shareCurvature?: boolean;
}

/** The config key of a classifier that shares its input layer's curvature (see CurvedLayerArgs). */
export const SHARE_CURVATURE_KEY = 'shareCurvature';

/** The config keys every CurvedLayer accepts (and getConfig writes), besides its own and the base layer's. */
export const CURVED_LAYER_KEYS: readonly string[] = ['k', 'learnCurvature', 'seed'];

export abstract class CurvedLayer extends tfl.layers.Layer implements CurvatureCarrier {
  readonly [CURVATURE_CARRIER] = true as const;
  readonly k: number;
  readonly learnCurvature: boolean;
  readonly seed: number | undefined;
  /** Whether the layer reads the curvature of the layer feeding it (see CurvedLayerArgs.shareCurvature). */
  readonly shareCurvature: boolean;
  private readonly geometry: CurvedGeometry;
  private readonly owner: string;
  private readonly ownCurvature: CurvatureSlot;
  private sharedCurvature: CurvatureSlot | null = null;

  /**
   * Rejects unknown config keys (the layer's `ownKeys`, the curvature keys and tfjs-layers' base keys
   * are allowed), validates k for `geometry` (errors name `owner`) and sets up the curvature.
   */
  protected constructor(args: CurvedLayerArgs, geometry: CurvedGeometry, owner: string, ownKeys: readonly string[]) {
    super(checkConfigKeys(args, { own: [...CURVED_LAYER_KEYS, ...ownKeys], baseLayerKeys: true }, owner));
    this.k = checkCurvature(args?.k, geometry, owner);
    this.learnCurvature = args.learnCurvature ?? false;
    this.seed = args.seed;
    this.shareCurvature = args.shareCurvature ?? false;
    this.geometry = geometry;
    this.owner = owner;
    this.ownCurvature = new CurvatureSlot(geometry, this.k, this.learnCurvature);
  }

  /** The curvature the layer computes with: its own, or the one of the layer feeding it when shared. */
  protected get curvature(): CurvatureSlot {
    return this.shareCurvature ? this.resolveSharedCurvature() : this.ownCurvature;
  }

  /** The layer's curvature (CurvatureCarrier); a single-curvature layer has only component 0. */
  curvatureSlot(component?: number): CurvatureSlot {
    if (component !== undefined && component !== 0) {
      throw new GeoLayersError(`${this.owner} '${this.name}' has one curvature (component 0), not component ${component}.`);
    }
    return this.curvature;
  }

  /** The curvature of the layer that feeds this one, checked against this layer's k and learnCurvature. */
  private resolveSharedCurvature(): CurvatureSlot {
    if (this.sharedCurvature !== null) return this.sharedCurvature;
    const nodes = this.inboundNodes;
    const node = nodes.length === 1 && nodes[0]!.inboundLayers.length === 1 ? nodes[0]! : null;
    if (node === null) {
      throw new GeoLayersError(
        `${this.owner} '${this.name}': shareCurvature takes the curvature of the layer that feeds it, so the layer must be ` +
          `applied exactly once, to the output of a ToSphere, ToPoincare or ProductEmbedding layer (it has been applied ` +
          `${nodes.length} times). Build a stand-alone layer without shareCurvature.`,
      );
    }
    const source = node.inboundLayers[0]!;
    if (!isCurvatureCarrier(source)) {
      throw new GeoLayersError(
        `${this.owner} '${this.name}': shareCurvature needs its input to come from a layer with a curvature (ToSphere, ` +
          `ToPoincare, ProductEmbedding); it comes from '${source.name}' (${source.getClassName()}). Put the embedding ` +
          'layer directly in front of it, or build the layer without shareCurvature.',
      );
    }
    const slot = source.curvatureSlot(node.tensorIndices[0]);
    if (slot.geometry !== this.geometry || slot.initialK !== this.k || slot.learnable !== this.learnCurvature) {
      throw new GeoLayersError(
        `${this.owner} '${this.name}' (k = ${this.k}, learnCurvature ${this.learnCurvature}) shares the curvature of ` +
          `'${source.name}', which is a ${slot.geometry} curvature with k = ${slot.initialK}, learnCurvature ` +
          `${slot.learnable}; give both layers the same k and learnCurvature.`,
      );
    }
    this.sharedCurvature = slot;
    return slot;
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
    if (this.shareCurvature) return; // the owner (the layer feeding this one) holds the weight
    this.ownCurvature.build((name, init) => this.addWeight(name, [], 'float32', init, undefined, true));
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
    if (this.seed !== undefined) config.seed = this.seed;
    if (this.shareCurvature) config[SHARE_CURVATURE_KEY] = true;
    return config;
  }
}
