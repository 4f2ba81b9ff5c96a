// Entry `@curvad/datasets/tfjs`: tensors from batches. Needs @tensorflow/tfjs-core (peer dependency).
export { batchToTensors, imageSetToTensor, type TensorBatch, tensorBatches } from './tfjs/tensors.js';
