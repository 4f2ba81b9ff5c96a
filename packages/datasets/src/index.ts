// @curvad/datasets is not built yet (issue #6); it exports nothing so far.
export {};
