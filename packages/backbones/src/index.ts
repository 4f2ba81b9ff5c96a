// @curvad/backbones is not built yet (issue #7); it exports nothing so far.
export {};
