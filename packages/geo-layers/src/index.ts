// @curvad/geo-layers is not built yet (issue #4); it exports nothing so far.
export {};
