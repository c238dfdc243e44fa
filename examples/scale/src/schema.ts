/** The example's table: F feature columns f0… and C multi-hot label columns l0… (0/1 integers). */
export const FEATURES = 8;
export const CLASSES = 20;
export const featureColumns = Array.from({ length: FEATURES }, (_, k) => `f${k}`);
export const labelColumns = Array.from({ length: CLASSES }, (_, c) => `l${c}`);

/** Each label's prevalence: a long tail from 30% down to about 0.1% (Zipf-like, exponent 1.9). */
export const prevalence = labelColumns.map((_, c) => 0.3 / (c + 1) ** 1.9);
