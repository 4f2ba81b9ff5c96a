// @curvad/metrics is not built yet (issue #5); it exports nothing so far.
export {};
