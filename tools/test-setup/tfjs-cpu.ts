// Shared vitest setup for every project that uses tfjs.
// @tensorflow/tfjs-core alone registers no gradients in Node; tfjs-layers registers all of them
// on import. Tests run on the pure-JS cpu backend unless a test picks another one itself.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';

await tf.setBackend('cpu');
await tf.ready();
