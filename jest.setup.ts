// Every test runs on the pure-JS cpu backend in PROD mode (no per-op NaN checks, ~2× faster).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Registers every gradient, as `@tensorflow/tfjs` does (tfjs-core alone registers none).
import '@tensorflow/tfjs-layers';

tf.env().set('PROD', true);
void tf.setBackend('cpu');
