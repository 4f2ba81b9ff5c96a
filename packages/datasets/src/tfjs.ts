// Entry `@curvad/datasets/tfjs`: tensors from batches. Needs @tensorflow/tfjs-core (peer dependency).
export { batchToTensors, imageSetToTensor, tensorBatches, type TensorBatch } from './tfjs/tensors.js';
