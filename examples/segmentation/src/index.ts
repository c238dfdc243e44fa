/**
 * A per-position task with rare classes: seeded synthetic images, a small
 * conv net with outputs [N, H, W, C], plain training against re-weighting
 * per pixel, selected on validation images and scored on test images. The
 * core (everything but cli.ts) has no Node-only import, so it runs in a
 * browser too.
 */
export { CLASS_NAMES, DEFAULT_SPEC, generateImages, imagesWith, type GeneratorSpec, type ImageSet } from './generator.js';
export { SameConv2D, sameConv2d, type SameConv2DArgs } from './conv.js';
export { buildModel, type ModelSpec } from './model.js';
export { TREATMENTS, trainTreatment, type FitSettings, type Trained, type Treatment } from './train.js';
export { countsPerImage, crossFittedCounts, labelRows, logitRows, pairedBootstrap, scoresOf, select, sumCounts, type BootstrapSettings, type Candidate, type Interval, type Standing } from './scoring.js';
export { runSeed, seedData, type ExperimentSettings, type OnRun, type RunResult, type SeedData, type SeedResult, type SplitSummary, type TestScores } from './experiment.js';
export { DEFAULT_SETTINGS, QUICK_SETTINGS, means, runExperiment, type ExperimentResult, type MeanRow, type TestSummary } from './summary.js';
export { reportMarkdown, verdict } from './report.js';
