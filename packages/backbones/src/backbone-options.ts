/** An image input shape, NHWC without the batch: [height, width, channels]. */
export type ImageShape = [height: number, width: number, channels: number];

/** Options every backbone accepts. */
export interface BackboneOptions {
  /** [height, width, channels]; each backbone has a default and its own limits (see its docs). */
  inputShape?: ImageShape;
  /**
   * Seed for every weight initializer (default 0): the same seed gives the same weights.
   * Dropout masks are not seeded (see the README: tfjs reuses one mask for a fixed dropout seed).
   */
  seed?: number;
  /**
   * L2 weight decay lambda as in the papers' SGD (PyTorch `weight_decay`), added as a kernel
   * regularizer lambda/2 * ||W||^2 to conv and dense kernels; 0 (default) adds none.
   */
  weightDecay?: number;
}
