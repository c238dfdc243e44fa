import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { marked } from 'marked';
import { compareScores, type FBetaScores } from '@tfjs-imbalance/fbeta-metric';
import type { ClassCounts } from '@tfjs-imbalance/weight-schemes';
import type { Treatment } from '@tfjs-imbalance/search';
import { tailF, type CrossFitted, type RunResult } from './experiment.js';
import { compareWithSklearn, type SklearnComparison, type SklearnOutcome, type SklearnReference } from './sklearn.js';

/** Per-class scores of one row. */
export interface ClassRow {
  readonly label: string;
  readonly support: number;
  readonly f: number;
  readonly precision: number;
  readonly recall: number;
}

/** One row of `results.json`'s `schemes`: one run at one threshold setting, on test. */
export interface SchemeRow {
  readonly name: string;
  readonly thresholds: '0.5' | 'tuned';
  readonly microF: number;
  readonly macroF: number;
  /** Macro F-beta over the bottom third of classes by training support. */
  readonly bottomThirdF: number;
  readonly precision: number;
  readonly recall: number;
  /** The run's macro average precision on test (threshold-free, so the same on both rows of a run). */
  readonly macroAP: number;
  /** The epoch at whose rung the search's budget stopped this run (it is scored at its best epoch up to there), or null. */
  readonly prunedAt: number | null;
  readonly perClass: ClassRow[];
}

/** The configuration the search selected on validation, with its test scores at tuned thresholds. */
export interface Selected {
  readonly name: string;
  readonly settings: Treatment;
  readonly microF: number;
  readonly macroF: number;
  readonly bottomThirdF: number;
  readonly perClass: ClassRow[];
  /** The validation scores it was selected on (cross-fitted tuned thresholds). */
  readonly val: CrossFitted;
}

/** The schema of `results.json`. */
export interface Results {
  readonly backend: string;
  readonly dataset: {
    readonly source: string;
    readonly rows: number;
    readonly splits: { train: number; val: number; test: number };
    /** The column whose rows stay in one split, or null when rows were split one by one. */
    readonly groupedBy: string | null;
    readonly classes: number;
    /** Training rows with none of the classes. */
    readonly emptyTrainRows: number;
    /** Per class: its label and its support in the training and test splits, most frequent first. */
    readonly support: { label: string; train: number; test: number }[];
    /** The labels of the bottom third by training support. */
    readonly bottomThird: string[];
  };
  readonly features: { terms: number; maxPerRow: number; seconds: number };
  /** Plain training's mean fit epoch, against the same epoch's model math timed alone (see `epochFloorSeconds`). */
  readonly timing: { plainEpochSeconds: number; floorEpochSeconds: number };
  readonly settings: Record<string, unknown>;
  /** scikit-learn plain on the same split (from `sklearn`), or null when it was not computed. */
  readonly reference: Reference | null;
  /** scikit-learn on the same split, every variant, and how the library's runs compare with it; or why it was skipped. */
  readonly sklearn: { readonly reference: SklearnReference; readonly comparison: SklearnComparison } | { readonly skipped: string };
  readonly runs: {
    name: string;
    config: Treatment;
    epochsRun: number;
    bestEpoch: number;
    valF: number;
    valTuned: CrossFitted;
    /** Whether the search's trade-off admitted it (validation micro within maxMicroDrop of plain's). */
    eligible: boolean;
    /** The epoch at which the budget stopped it, or null. */
    prunedAt: number | null;
    /** Why it stopped where it did. */
    stopReason: string;
    /** Its validation gain in the objective over plain training, with the noise interval (null for plain training). */
    gain: { estimate: number; low: number; high: number } | null;
    /** Test average precision, micro and macro (threshold-free). */
    testAP: { micro: number; macro: number };
    seconds: number;
    epochSeconds: number;
  }[];
  readonly schemes: SchemeRow[];
  readonly selected: Selected;
  /**
   * Selected vs plain training with tuned thresholds, on test. `holds`: no
   * worse (macro ≥ −0.005, micro ≥ −0.02); `longTailGain`: the long-tail goal
   * (macro ≥ +0.03, bottom third ≥ +0.06, micro ≥ −0.02).
   */
  readonly goal: {
    readonly macroGain: number;
    readonly bottomThirdGain: number;
    readonly microChange: number;
    readonly holds: boolean;
    readonly longTailGain: boolean;
  };
  /** Per run: what tuned thresholds changed against 0.5 on test (micro must not drop by more than 0.03, macro by more than 0.005). */
  readonly thresholdCheck: { name: string; microChange: number; macroChange: number; ok: boolean }[];
  readonly verdict: string;
  /** The search's own verdict on validation, with its interval, its seed, its pruning rule and what its runs cost against plain training. */
  readonly search: { readonly verdict: string; readonly seed: number; readonly budget: string; readonly costRatio: number };
  readonly seconds: number;
}

/** An outside reference on the bundled split: micro and macro F0.5 at 0.5, and with tuned thresholds when measured. */
export interface Reference {
  readonly what: string;
  readonly microF: number;
  readonly macroF: number;
  readonly tuned?: { readonly microF: number; readonly macroF: number };
}

/** scikit-learn plain as the verdict's reference. */
function referenceOf(sk: SklearnOutcome): Reference | null {
  if ('skipped' in sk) return null;
  const p = sk.reference.variants['plain'];
  if (p === undefined) return null;
  return { what: `${sk.reference.what}, threshold 0.5 (tuned thresholds: ${p.tuned.micro.toFixed(3)} / ${p.tuned.macro.toFixed(3)})`, microF: p.at05.micro, macroF: p.at05.macro, tuned: { microF: p.tuned.micro, macroF: p.tuned.macro } };
}

function classRows(s: FBetaScores, labels: readonly string[]): ClassRow[] {
  return labels.map((label, i) => ({ label, support: s.support[i]!, f: s.f[i]!, precision: s.precision[i]!, recall: s.recall[i]! }));
}

/** The two rows (0.5 and tuned thresholds) of one run. */
export function schemeRows(run: RunResult, labels: readonly string[], tail: readonly number[]): SchemeRow[] {
  const row = (s: FBetaScores, thresholds: '0.5' | 'tuned'): SchemeRow => ({
    name: run.config.name,
    thresholds,
    microF: s.micro.f,
    macroF: s.macro.f,
    bottomThirdF: tailF(s, tail),
    precision: s.micro.precision,
    recall: s.micro.recall,
    macroAP: run.testAP.macro,
    prunedAt: run.prunedAt,
    perClass: classRows(s, labels),
  });
  return [row(run.test, '0.5'), row(run.testTuned, 'tuned')];
}

/** What {@link buildResults} needs from the CLI. */
export interface ResultInputs {
  readonly backend: string;
  readonly file: string;
  readonly bundled: boolean;
  readonly examples: number;
  readonly rows: { train: number[]; val: number[]; test: number[] };
  readonly labels: readonly string[];
  readonly counts: ClassCounts;
  readonly testCounts: ClassCounts;
  readonly groupColumn: string | undefined;
  readonly features: { terms: number; maxPerRow: number; seconds: number };
  readonly timing: { plainEpochSeconds: number; floorEpochSeconds: number };
  readonly settings: Record<string, unknown>;
  readonly runs: readonly RunResult[];
  readonly selected: RunResult;
  readonly search: Results['search'];
  readonly sklearn: SklearnOutcome;
  readonly tail: readonly number[];
  readonly beta: number;
  readonly seconds: number;
}

/** Assembles `results.json`: every run's rows, the selection, the goal and the threshold check. */
export function buildResults(i: ResultInputs): Results {
  const schemes = i.runs.flatMap((r) => schemeRows(r, i.labels, i.tail));
  const plainTuned = schemes.find((s) => s.name === 'plain' && s.thresholds === 'tuned')!;
  const sel = i.selected;
  const selected: Selected = {
    name: sel.config.name,
    settings: sel.config,
    microF: sel.testTuned.micro.f,
    macroF: sel.testTuned.macro.f,
    bottomThirdF: tailF(sel.testTuned, i.tail),
    perClass: classRows(sel.testTuned, i.labels),
    val: sel.valTuned,
  };
  const goal = {
    macroGain: selected.macroF - plainTuned.macroF,
    bottomThirdGain: selected.bottomThirdF - plainTuned.bottomThirdF,
    microChange: selected.microF - plainTuned.microF,
  };
  const thresholdCheck = i.runs.map((r) => {
    const microChange = r.testTuned.micro.f - r.test.micro.f;
    const macroChange = r.testTuned.macro.f - r.test.macro.f;
    return { name: r.config.name, microChange, macroChange, ok: microChange >= -0.03 && macroChange >= -0.005 };
  });
  const partial: Omit<Results, 'verdict'> = {
    backend: i.backend,
    dataset: {
      source: i.bundled ? 'Debian bookworm main amd64 Packages index of 2026-07-11 (debtags), bundled' : i.file,
      rows: i.examples,
      splits: { train: i.rows.train.length, val: i.rows.val.length, test: i.rows.test.length },
      groupedBy: i.groupColumn ?? null,
      classes: i.labels.length,
      emptyTrainRows: i.counts.emptyRows,
      support: i.labels.map((label, c) => ({ label, train: i.counts.positives[c]!, test: i.testCounts.positives[c]! })),
      bottomThird: i.tail.map((c) => i.labels[c]!),
    },
    features: i.features,
    timing: i.timing,
    settings: i.settings,
    reference: referenceOf(i.sklearn),
    sklearn:
      'skipped' in i.sklearn
        ? i.sklearn
        : {
            reference: i.sklearn.reference,
            comparison: compareWithSklearn(
              i.sklearn.reference,
              { micro: plainTuned.microF, macro: plainTuned.macroF, bottomThird: plainTuned.bottomThirdF },
              { micro: selected.microF, macro: selected.macroF, bottomThird: selected.bottomThirdF },
            ),
          },
    runs: i.runs.map((r) => ({
      name: r.config.name,
      config: r.config,
      epochsRun: r.epochsRun,
      bestEpoch: r.bestEpoch,
      valF: r.valF,
      valTuned: r.valTuned,
      eligible: r.eligible,
      prunedAt: r.prunedAt,
      stopReason: r.stopReason,
      gain: r.gain,
      testAP: r.testAP,
      seconds: r.seconds,
      epochSeconds: r.epochSeconds,
    })),
    schemes,
    selected,
    goal: {
      ...goal,
      holds: goal.macroGain >= -0.005 && goal.microChange >= -0.02,
      longTailGain: goal.macroGain >= 0.03 && goal.bottomThirdGain >= 0.06 && goal.microChange >= -0.02,
    },
    thresholdCheck,
    search: i.search,
    seconds: i.seconds,
  };
  return { ...partial, verdict: verdict(partial, i.beta) };
}

/** % change from b to a; from 0 to more than 0 is +Infinity (clipped on the chart), 0 to 0 is no change. */
const f3 = (x: number) => x.toFixed(3);
/** A signed change to `places`; a change that rounds to zero prints as 0, without a sign. */
const signedTo = (places: number) => (x: number) => (Math.abs(x) < 0.5 * 10 ** -places ? (0).toFixed(places) : `${x > 0 ? '+' : '−'}${Math.abs(x).toFixed(places)}`);
const signed = signedTo(3);
/** To four places, so a drop below 0.0005 does not print as 0.000. */
const signed4 = signedTo(4);

/**
 * The report's plain sentences, whatever the numbers say: how plain training
 * compares with the outside reference, what tuned thresholds did, what the
 * search selected, and whether it beat plain training with tuned thresholds.
 */
export function verdict(r: Omit<Results, 'verdict'>, beta: number): string {
  const row = (name: string, th: '0.5' | 'tuned') => r.schemes.find((s) => s.name === name && s.thresholds === th)!;
  const plain = row('plain', '0.5');
  const plainTuned = row('plain', 'tuned');
  const parts: string[] = [];
  parts.push(
    `Plain training reaches micro / macro F${beta} ${f3(plain.microF)} / ${f3(plain.macroF)} at threshold 0.5` +
      (r.reference ? ` (the reference, ${r.reference.what}: ${f3(r.reference.microF)} / ${f3(r.reference.macroF)}).` : '.'),
  );
  const bad = r.thresholdCheck.filter((c) => !c.ok);
  const plainCheck = r.thresholdCheck.find((c) => c.name === 'plain')!;
  parts.push(
    `Thresholds tuned on validation change plain training's micro F${beta} by ${signed(plainCheck.microChange)} and macro by ${signed(plainCheck.macroChange)}; ` +
      (bad.length === 0
        ? `no run loses more than 0.03 micro or 0.005 macro F${beta} to them.`
        : `they cost ${bad.map((c) => `${c.name} (micro ${signed(c.microChange)}, macro ${signed4(c.macroChange)})`).join(', ')} more than allowed (0.03 micro, 0.005 macro).`),
  );
  const s = r.selected;
  const g = r.goal;
  const helped = s.perClass.filter((c, i) => c.f - plainTuned.perClass[i]!.f > 0.01).length;
  const hurt = s.perClass.filter((c, i) => plainTuned.perClass[i]!.f - c.f > 0.01).length;
  const drop = String(r.settings['maxMicroDrop'] ?? 0.02);
  const pruned = r.runs.filter((x) => x.prunedAt !== null).length;
  const searched = `The search (${r.runs.length} configurations${pruned ? `, ${pruned} stopped early by its budget` : ''}, selected on validation only; its runs cost ${r.search.costRatio.toFixed(1)}× plain training)`;
  parts.push(`On validation: ${r.search.verdict}`);
  parts.push(
    s.name === 'plain'
      ? `${searched} kept plain training: no treatment trained to its end beat its cross-fitted validation macro F${beta} beyond the noise without giving up more than ${drop} ` +
          `validation micro. So on this data, re-weighting and the long-tail losses did not help measurably.`
      : `${searched} selected ${s.name}. Against plain training with tuned thresholds, on test, ` +
          `it changes macro F${beta} by ${signed(g.macroGain)} (${f3(s.macroF)} vs ${f3(plainTuned.macroF)}), the bottom third of classes by ` +
          `${signed(g.bottomThirdGain)} (${f3(s.bottomThirdF)} vs ${f3(plainTuned.bottomThirdF)}) and micro by ${signed(g.microChange)} ` +
          `(${f3(s.microF)} vs ${f3(plainTuned.microF)}); it helped ${helped} of ${s.perClass.length} classes by more than 0.01 and hurt ${hurt}. ` +
          `The long-tail goal (≥ +0.03 macro, ≥ +0.06 bottom third, micro ≥ −0.02) ${g.longTailGain ? 'holds' : 'does not hold'}.` +
          (r.reference?.tuned ? ` scikit-learn with tuned thresholds reaches ${f3(r.reference.tuned.microF)} / ${f3(r.reference.tuned.macroF)} micro / macro.` : ''),
  );
  if (!('skipped' in r.sklearn)) {
    const k = r.sklearn.comparison;
    const best = r.sklearn.reference.variants[k.best]!.tuned;
    parts.push(
      `Against scikit-learn on this split (tuned the common way), the selection's macro F${beta} is ${signed(k.selectionMacroVsBest)} against its best variant (${k.best}, ${f3(best.macro)}), ` +
        `its bottom third ${signed(k.selectionBottomThirdVsBest)} against that variant's, and its micro ${signed(k.selectionMicroVsPlain)} against scikit-learn plain's tuned micro; ` +
        `our plain training with tuned thresholds is ${signed(k.plainMacroVsPlain)} macro against scikit-learn plain's.`,
    );
  }
  // What the stated trade-off cost: runs with a better validation objective that it left out.
  const plainRun = r.runs.find((x) => x.name === 'plain')!;
  const selectedRun = r.runs.find((x) => x.name === s.name)!;
  const leftOut = r.runs.filter((x) => !x.eligible && x.valTuned.macro > selectedRun.valTuned.macro);
  if (leftOut.length > 0) {
    parts.push(
      `Left out by the trade-off (validation micro more than ${drop} below plain training's): ` +
        leftOut
          .map((x) => `${x.name} (validation macro ${f3(x.valTuned.macro)} against ${f3(selectedRun.valTuned.macro)}, micro ${signed4(x.valTuned.micro - plainRun.valTuned.micro)})`)
          .join(', ') +
        '.',
    );
  }
  // Average precision needs no threshold, so it separates what the loss did to the ranking from what the thresholds did.
  const byAP = [...r.runs].sort((a, b) => b.testAP.macro - a.testAP.macro);
  const next = byAP.slice(1, 3).map((x) => `${x.name} ${f3(x.testAP.macro)}`);
  parts.push(
    `Without any threshold, the best test macro average precision is ${byAP[0]!.name === 'plain' ? 'plain training' : byAP[0]!.name}'s ` +
      `${f3(byAP[0]!.testAP.macro)}${next.length ? ` (then ${next.join(', ')})` : ''}.`,
  );
  return parts.join(' ');
}

/** The reference chart: % change in F-beta, precision and recall vs plain, per class sorted by support, one panel per scheme. */
export async function changeChartSvg(rows: readonly SchemeRow[], th: '0.5' | 'tuned', beta: number, names: readonly string[]): Promise<string> {
  const plain = rows.find((r) => r.name === 'plain' && r.thresholds === th);
  if (!plain) return '';
  const scores = (r: SchemeRow) => ({
    f: r.perClass.map((c) => c.f),
    precision: r.perClass.map((c) => c.precision),
    recall: r.perClass.map((c) => c.recall),
    support: r.perClass.map((c) => c.support),
  });
  const labels = plain.perClass.map((c) => c.label);
  let order: string[] = [];
  const metricName = { f: `F${beta}`, precision: 'precision', recall: 'recall' } as const;
  const values = rows
    .filter((r) => r.thresholds === th && r.name !== 'plain' && names.includes(r.name))
    .flatMap((r) => {
      const cmp = compareScores(scores(plain), scores(r), { labels });
      order = [...cmp.order];
      // A class plain training never got right has no finite % change: it shows at the top of the scale.
      return cmp.values.map((v) => ({ scheme: r.name, label: v.label, metric: metricName[v.metric], change: v.percent ?? 300 }));
    })
    .map((v) => ({ ...v, change: Math.max(-100, Math.min(300, v.change)) }));
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `% change vs plain training, per class (most frequent first), ${th === '0.5' ? 'thresholds 0.5' : 'tuned thresholds'}`,
      subtitle: 'Bars are clipped to [−100 %, +300 %]; +300 % also marks a class that plain training never predicted correctly (0 → more).',
    },
    data: { values },
    facet: { row: { field: 'scheme', type: 'nominal', title: null } },
    spec: {
      width: 900,
      height: 160,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'label', type: 'nominal', sort: order, scale: { domain: order }, title: null, axis: { labelAngle: -50 } },
        xOffset: { field: 'metric', type: 'nominal' },
        y: { field: 'change', type: 'quantitative', title: '% change', scale: { domain: [-100, 300] } },
        color: { field: 'metric', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { x: 'shared' } },
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The runs the chart shows: every run the budget did not stop early, and the selected one. */
export function chartedRuns(r: Results): string[] {
  return r.runs.filter((x) => x.name !== 'plain' && (x.prunedAt === null || x.name === r.selected.name)).map((x) => x.name);
}

/** The scikit-learn section of the report: every variant on test, and the differences that matter. */
function sklearnSection(r: Results, beta: number): string[] {
  if ('skipped' in r.sklearn) return ['## scikit-learn on the same split', '', `Not computed: ${r.sklearn.skipped}.`, ''];
  const { reference: ref, comparison: k } = r.sklearn;
  const s3 = (x: { micro: number; macro: number; bottomThird: number }) => `${f3(x.micro)} / ${f3(x.macro)} / ${f3(x.bottomThird)}`;
  return [
    '## scikit-learn on the same split',
    '',
    `${ref.what}, computed by \`scripts/sklearn_reference.py\` on this run's split. Tuned thresholds: ${ref.tuning}. Test micro / macro / bottom-third F${beta}:`,
    '',
    table(
      ['variant', 'threshold 0.5', 'tuned', 'macro AP', 'seconds'],
      Object.entries(ref.variants).map(([name, v]) => [name === k.best ? `**${name}**` : name, s3(v.at05), s3(v.tuned), f3(v.macroAP), v.seconds.toFixed(0)]),
    ),
    '',
    `The selection (${r.selected.name}, tuned) against scikit-learn's best tuned variant (${k.best}): macro ${signed(k.selectionMacroVsBest)}, bottom third ${signed(k.selectionBottomThirdVsBest)}; ` +
      `its micro against scikit-learn plain tuned: ${signed(k.selectionMicroVsPlain)}. Our plain training, tuned, against scikit-learn plain, tuned: macro ${signed(k.plainMacroVsPlain)}.`,
    '',
  ];
}

/** The markdown report: verdict, overall table, selection, runs, per-class tables. */
export function markdown(r: Results, beta: number): string {
  const overall = table(
    ['run', 'thresholds', `micro F${beta}`, `macro F${beta}`, `bottom-third F${beta}`, 'micro precision', 'micro recall', 'macro AP (no threshold)'],
    r.schemes.map((s) => [s.name, s.thresholds, f3(s.microF), f3(s.macroF), f3(s.bottomThirdF), f3(s.precision), f3(s.recall), f3(s.macroAP)]),
  );
  const perClass = (th: '0.5' | 'tuned') => {
    const names = ['plain', ...chartedRuns(r)];
    const rows = r.schemes.filter((s) => s.thresholds === th && names.includes(s.name));
    const first = rows[0];
    if (!first) return '';
    const order = first.perClass.map((_, i) => i).sort((a, b) => first.perClass[b]!.support - first.perClass[a]!.support);
    return table(
      ['class', 'test support', ...rows.map((s) => s.name)],
      order.map((i) => [first.perClass[i]!.label, first.perClass[i]!.support, ...rows.map((s) => f3(s.perClass[i]!.f))]),
    );
  };
  const ref = r.reference;
  return [
    `# Class re-weighting on ${r.reference ? 'Debian debtags' : r.dataset.source}: F${beta}`,
    '',
    `**Verdict.** ${r.verdict}`,
    '',
    `Data: ${r.dataset.source}, ${r.dataset.rows} rows, ${r.dataset.classes} classes; split ${r.dataset.groupedBy ? `by ${r.dataset.groupedBy}` : 'row by row'} into ` +
      `${r.dataset.splits.train} train / ${r.dataset.splits.val} validation / ${r.dataset.splits.test} test rows; ` +
      `${r.dataset.emptyTrainRows} training rows have none of the classes. Bottom third by training support: ${r.dataset.bottomThird.join(', ')}.`,
    '',
    `Model: logistic regression on sparse TF-IDF word uni- and bigrams (${r.features.terms} terms, min_df 2, sublinear tf), ` +
      `bias initialised to the class priors' log-odds, L2 as scikit-learn's C = ${String(r.settings['inverseL2'])}, Adam, early stopping on ` +
      `validation micro F${beta} at 0.5 (the search's default). Backend: ${r.backend}. Total time: ${r.seconds.toFixed(1)} s. A plain training epoch takes ` +
      `${r.timing.plainEpochSeconds.toFixed(2)} s, against ${r.timing.floorEpochSeconds.toFixed(2)} s for the same epoch's model math alone ` +
      `(sparse product forward and backward, Adam update).`,
    '',
    ...(ref ? [`Reference on the same split: ${ref.what}: micro F${beta} ${f3(ref.microF)}, macro F${beta} ${f3(ref.macroF)}.`, ''] : []),
    '## Overall (test set)',
    '',
    overall,
    '',
    ...sklearnSection(r, beta),
    '## The search (validation only)',
    '',
    `\`compareTreatments\` from @tfjs-imbalance/search: each configuration's validation F${beta} with per-class thresholds tuned by 2-fold ` +
      `cross-fitting (tuned on one half of the validation rows, scored on the other); each run's thresholds give up the least macro that ` +
      `keeps its micro within ${String(r.settings['maxMicroDrop'])} of plain training's, where they can. Eligible: within ${String(r.settings['maxMicroDrop'])} micro of ` +
      `plain training. Selected: the highest ${String(r.settings['objective'])} among the eligible runs trained to their end whose gain over plain ` +
      `training is beyond the noise (the 95% interval of a paired bootstrap over the validation rows lies above 0). A run the budget stopped ` +
      `is marked with the epoch at which it stopped; its figures are where it stopped, not what it would have reached. Seed ${r.search.seed}; ` +
      `budget: ${r.search.budget}; the runs cost ${r.search.costRatio.toFixed(1)}× plain training. **Selected: ${r.selected.name}.**`,
    '',
    r.search.verdict,
    '',
    table(
      ['run', 'eligible', 'epochs', 'best epoch', `val micro F${beta} (0.5)`, `val micro (tuned)`, `val macro (tuned)`, `val bottom third (tuned)`, 'gain in the objective (95% interval)', 's/epoch', 'seconds'],
      r.runs.map((x) => [
        x.name === r.selected.name ? `**${x.name}**` : x.name,
        x.eligible ? 'yes' : 'no',
        x.prunedAt === null ? x.epochsRun : `${x.epochsRun} (pruned: ${x.stopReason})`,
        x.bestEpoch + 1,
        f3(x.valF),
        f3(x.valTuned.micro),
        f3(x.valTuned.macro),
        f3(x.valTuned.tail),
        x.gain === null ? '—' : `${signed(x.gain.estimate)} (${signed(x.gain.low)} to ${signed(x.gain.high)})`,
        x.epochSeconds.toFixed(2),
        x.seconds.toFixed(1),
      ]),
    ),
    '',
    `## Per class, F${beta} at thresholds 0.5 (sorted by support)`,
    '',
    perClass('0.5'),
    '',
    `## Per class, F${beta} with tuned thresholds`,
    '',
    perClass('tuned'),
    '',
    `Settings: \`${JSON.stringify(r.settings)}\``,
    '',
  ].join('\n');
}

/** Writes results.json, report.md and report.html; returns their paths. */
export async function writeReports(out: string, r: Results, beta: number): Promise<{ json: string; md: string; html: string; svg: string }> {
  mkdirSync(out, { recursive: true });
  const paths = { json: join(out, 'results.json'), md: join(out, 'report.md'), html: join(out, 'report.html'), svg: join(out, 'change-vs-plain.svg') };
  writeFileSync(paths.json, `${JSON.stringify(r, null, 2)}\n`);
  const md = markdown(r, beta);
  writeFileSync(paths.md, md);
  const names = chartedRuns(r);
  const charts = [await changeChartSvg(r.schemes, '0.5', beta, names), await changeChartSvg(r.schemes, 'tuned', beta, names)];
  writeFileSync(paths.svg, charts[1]!);
  const body = await marked.parse(md, { gfm: true });
  writeFileSync(
    paths.html,
    `<!doctype html><html><head><meta charset="utf-8"><title>F${beta} report</title>` +
      '<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;margin:1em 0}' +
      'th,td{border:1px solid #ccc;padding:2px 8px;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>' +
      `${body}<h2>% change vs plain training, per class</h2>${charts.join('\n')}</body></html>\n`,
  );
  return paths;
}
