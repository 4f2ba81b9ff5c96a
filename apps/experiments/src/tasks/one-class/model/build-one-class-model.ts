import { ONE_CLASS_MODEL_TABLE, type OneClassConfig, type OneClassModelName } from '../config/one-class-config';
import { buildCsi } from './build-csi';
import { type BuiltRotNet, buildRotNet } from './build-model';

/** Builds model `name` of either family (RotNet or CSI, ONE_CLASS_MODEL_TABLE), its layers seeded from the unit's `seed`. */
export function buildOneClassModel(
  name: OneClassModelName,
  config: OneClassConfig,
  inputShape: [number, number, number],
  seed: number,
): BuiltRotNet {
  return ONE_CLASS_MODEL_TABLE[name].family === 'csi'
    ? buildCsi(name, config, inputShape, seed)
    : buildRotNet(name, config, inputShape, seed);
}
