import type { GeoHeadOptions } from '@curvad/geo-layers';
import type { OodConfig } from './ood-config';

/** Head options the app sets itself, per model and trial (not config fields). */
type SetByTheApp = 'geometry' | 'k' | 'classes' | 'seed' | 'name';

/**
 * Every other option of geo-layers' gio / git heads. `Required` makes a head option added to
 * geo-layers a type error here until the config reaches it, so none is left unreachable.
 */
export type ConfigHeadOptions = Required<Omit<GeoHeadOptions, SetByTheApp>>;

/** The head options a config gives a GiO or a GiT model (spread into gio() / git() by the model builder). */
export function headOptions(config: OodConfig, kind: 'gio' | 'git'): ConfigHeadOptions {
  return {
    learnCurvature: config.learnCurvature,
    xi: config.poincareMargin,
    poincareMode: config.poincareMode,
    clipR: config.featureClipRadius,
    riemannianGradient: config.riemannianGradient,
    sphereComposition: config.sphereComposition,
    sphereVariant: config.sphereVariant,
    scale: config.sphereScale,
    mlr: config.mlr[kind],
    productMode: config.productMode[kind],
  };
}
