// @curvad/manifolds is not built yet (issue #2); it exports nothing so far.
export {};
