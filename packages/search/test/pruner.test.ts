import { halvingPruner, type PruneContext } from '@tfjs-imbalance/search';

/** A context after `epoch` epochs of `curve`, with plain training and earlier candidates. */
const context = (epoch: number, curve: number[], plain: number[], others: number[][] = []): PruneContext => ({
  epoch,
  run: { name: 'run', curve: curve.slice(0, epoch) },
  plain: { name: 'plain', curve: plain, epochs: plain.length },
  others: others.map((c, i) => ({ name: `other${i}`, curve: c })),
  maxEpochs: 20,
});

describe('halvingPruner', () => {
  const plain12 = [0.1, 0.2, 0.3, 0.35, 0.38, 0.4, 0.41, 0.42, 0.42, 0.42, 0.42, 0.42];

  it("judges at fractions of plain training's epochs, not at fixed epochs", () => {
    const p = halvingPruner({ allowance: 0 });
    const flat = Array.from({ length: 12 }, () => 0.05);
    const judged = (plain: number[]) => Array.from({ length: 11 }, (_, e) => e + 1).filter((e) => p.judge(context(e, flat, plain)) !== undefined);
    expect(judged(plain12)[0]).toBe(3); // a quarter of 12
    expect(judged(plain12.slice(0, 8))[0]).toBe(2); // a quarter of 8
    expect(p.needsObjective(3, 12, 20)).toBe(true);
    expect(p.needsObjective(4, 12, 20)).toBe(false);
    expect(halvingPruner().needsObjective(2, 12, 20)).toBe(true); // the epoch before a rung, for the rise
  });

  it('stops a flat run that is behind, and says where and why', () => {
    const d = halvingPruner().judge(context(3, [0.1, 0.1, 0.1], plain12));
    expect(d?.reason).toMatch(/^at epoch 3 \(a quarter of plain training's 12\), its objective 0\.100 .* was below .*the best of the 2 runs there, and below plain training's best by then, 0\.300$/);
  });

  it('keeps a late bloomer that is behind but still rising fast, which plain halving stops', () => {
    // Behind plain training at the rung, but rising twice as fast.
    const bloomer = [0.02, 0.05, 0.25];
    expect(halvingPruner({ allowance: 0 }).judge(context(3, bloomer, plain12))).toBeDefined();
    expect(halvingPruner().judge(context(3, bloomer, plain12))).toBeUndefined();
  });

  it('keeps the best ⌈keep·n⌉ of the n runs at a rung, scored alike', () => {
    const p = halvingPruner({ keep: 0.5, allowance: 0, keepAbovePlain: false });
    const others = [
      [0.5, 0.5, 0.5],
      [0.45, 0.45, 0.45],
      [0.2, 0.2, 0.2],
    ];
    // 5 runs at epoch 3 (plain at 0.3, the three others, this one): the best 3 go on.
    expect(p.judge(context(3, [0.31, 0.31, 0.31], plain12, others))).toBeUndefined(); // 3rd best
    expect(p.judge(context(3, [0.29, 0.29, 0.29], plain12, others))).toBeDefined(); // 4th best
    // Runs that stopped before the rung do not count there: without the 0.2 run, 4 are there and the best 2 go on.
    expect(p.judge(context(3, [0.31, 0.31, 0.31], plain12, [others[0]!, others[1]!, others[2]!.slice(0, 2)]))).toBeDefined();
  });

  it("never stops a run that keeps up with plain training's best by then, whatever its rank", () => {
    const others = [
      [0.6, 0.6, 0.6],
      [0.55, 0.55, 0.55],
    ];
    const tracking = [0.1, 0.2, 0.3]; // exactly plain training's curve: last of 4 when ties go down
    expect(halvingPruner({ allowance: 0 }).judge(context(3, tracking, plain12, others))).toBeUndefined();
    expect(halvingPruner({ allowance: 0 }).judge(context(3, [0.1, 0.2, 0.29], plain12, others))).toBeDefined();
    expect(halvingPruner({ allowance: 0, keepAbovePlain: false }).judge(context(3, tracking, plain12, others))).toBeDefined();
    // Plain training rose steeply, then fell (it overfits): its projection is no bar for a run already ahead of its best.
    const overfit = [0.2, 0.45, 0.3, 0.25];
    const ahead = [0.45, 0.5, 0.5];
    expect(halvingPruner({ keepAbovePlain: false }).judge(context(2, ahead, overfit))).toBeDefined();
    expect(halvingPruner().judge(context(2, ahead, overfit))).toBeUndefined();
  });

  it('holds no state: one pruner judges any number of searches in any order', () => {
    const p = halvingPruner();
    const a = context(3, [0.1, 0.1, 0.1], plain12);
    const b = context(3, [0.5, 0.6, 0.7], plain12);
    const first = [p.judge(a), p.judge(b)];
    expect([p.judge(b), p.judge(a)]).toEqual([first[1], first[0]]);
  });

  it('refuses bad options, naming them', () => {
    expect(() => halvingPruner({ rungs: [2, 4] })).toThrow("options.rungs[0]: must lie in (0, 1], got 2. rungs are fractions of plain training's epochs");
    expect(() => halvingPruner({ keep: 0 })).toThrow('options.keep');
    expect(() => halvingPruner({ rung: [0.5] } as never)).toThrow('rung');
  });
});
