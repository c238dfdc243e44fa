import {
  classWeights,
  countIndices,
  sampleWeightMatrix,
  sampleWeights,
  type SchemeConfig,
} from '@tfjs-imbalance/weight-schemes';
import { CaseFormatError, checkFields, runCase, type CaseResult } from '../compare.js';

type Json = Record<string, unknown>;

/** Maps a fixture scheme key such as `ens:0.999` or `ins_unnormalized` to a scheme config. */
export function schemeFromKey(key: string): SchemeConfig {
  const m = /^(ins|isns|ens)(_unnormalized)?(?::([0-9.]+))?$/.exec(key);
  if (!m) throw new CaseFormatError(`unknown scheme key "${key}"`);
  const [, name, unnormalized, beta] = m;
  const normalize = unnormalized === undefined;
  if (name === 'ens') {
    if (beta === undefined) throw new CaseFormatError(`scheme key "${key}" has no β`);
    return { name: 'ens', beta: Number(beta), normalize };
  }
  if (beta !== undefined) throw new CaseFormatError(`scheme key "${key}": only ens takes a parameter`);
  return { name: name as 'ins' | 'isns', normalize };
}

/** Runs the `schemes` family: class weights, per-sample weights and scikit-learn's balanced weights. */
export async function runSchemes(cases: unknown): Promise<CaseResult[]> {
  if (cases === null || typeof cases !== 'object' || Array.isArray(cases)) {
    throw new CaseFormatError('schemes: cases must be an object of three lists');
  }
  checkFields('schemes.cases', cases, ['class_weights', 'sample_weights', 'sklearn_balanced']);
  const { class_weights, sample_weights, sklearn_balanced } = cases as Record<string, Json[]>;
  const out: CaseResult[] = [];
  for (const c of class_weights!) {
    checkFields(`class_weights/${String(c['name'])}`, c, ['name', 'counts', 'weights']);
    out.push(
      await runCase(`class_weights/${String(c['name'])}`, (check) => {
        for (const [key, expected] of Object.entries(c['weights'] as Json)) {
          const scheme = schemeFromKey(key);
          const w = check.attempt(key, () => classWeights(c['counts'] as number[], scheme));
          if (w) check.close(key, w, expected);
        }
      }),
    );
  }
  for (const c of sample_weights!) {
    const name = `sample_weights/${String(c['name'])}`;
    checkFields(name, c, ['name', 'scheme', 'counts', 'labels', 'class_weights', 'per_sample', 'matrix']);
    out.push(
      await runCase(name, (check) => {
        const w = classWeights(c['counts'] as number[], schemeFromKey(c['scheme'] as string));
        check.close('class_weights', w, c['class_weights']);
        const labels = c['labels'] as number[][];
        // emptyRowWeight 0 reproduces the reference, which gives all-negative rows weight 0.
        check.close('per_sample', sampleWeights(labels, w, { emptyRowWeight: 0 }), c['per_sample']);
        check.close('matrix', sampleWeightMatrix(labels, w, { emptyRowWeight: 0 }), c['matrix']);
      }),
    );
  }
  for (const c of sklearn_balanced!) {
    const name = `sklearn_balanced/${String(c['name'])}`;
    checkFields(name, c, ['name', 'y', 'classes', 'compute_class_weight_balanced', 'compute_sample_weight_balanced']);
    out.push(
      await runCase(name, (check) => {
        const classes = c['classes'] as number[];
        const index = (label: number) => {
          const i = classes.indexOf(label);
          if (i < 0) throw new CaseFormatError(`${name}: label ${label} is not in classes`);
          return i;
        };
        const y = (c['y'] as number[]).map(index);
        const w = classWeights(countIndices(y, classes.length), { name: 'balanced', normalize: false });
        check.close('compute_class_weight_balanced', w, c['compute_class_weight_balanced']);
        const oneHot = y.map((k) => classes.map((_, j) => (j === k ? 1 : 0)));
        check.close('compute_sample_weight_balanced', sampleWeights(oneHot, w), c['compute_sample_weight_balanced']);
      }),
    );
  }
  return out;
}
