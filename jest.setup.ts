// Every test runs on the pure-JS cpu backend in PROD mode (no per-op NaN checks, ~2× faster).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Registers every gradient, as `@tensorflow/tfjs` does (tfjs-core alone registers none).
import '@tensorflow/tfjs-layers';

tf.env().set('PROD', true);
void tf.setBackend('cpu');

// One fixed random stream per test file. fit shuffles its batches and tfjs seeds unseeded random ops from
// Math.random, so a test that checks what training learned would otherwise see a different run each time:
// rarely, under load or on another machine, one that misses its bar. Seeded, every run of a file is the same.
// (mulberry32)
let state = 0x2f6b3a1d;
Math.random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// The tests run on the cpu backend on purpose: no "use wasm" warning (its own test turns it back on).
process.env['TFJS_IMBALANCE_NO_BACKEND_WARNING'] = '1';
