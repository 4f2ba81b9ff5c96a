// @curvad/runtime is not built yet (issue #3); it exports nothing so far.
export {};
