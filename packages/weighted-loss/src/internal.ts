/**
 * Internals of `@tfjs-imbalance/weighted-loss` for the repository's tests,
 * benchmarks and sibling packages: the backend routes and their test
 * override, and the one custom op every loss goes through. Not part of the
 * public API: no semver promise.
 *
 * @internal
 * @packageDocumentation
 */
export { overrideRoutes, routes, type BackendRoutes, type LossRoute } from './core/route.js';
export { lossOp, type ElementKernel, type ElementMath, type ElementTerms, type Targets } from './core/custom-op.js';
export { focalMath } from './losses/focal/terms.js';
export { asymmetricMath } from './losses/asymmetric/terms.js';
export { distributionBalancedMath } from './losses/distribution-balanced/terms.js';
