// The float64 audit's reproductions (issue 19), each against its float64 value within 1e-4 relative.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import {
  logitAdjustedCrossEntropy,
  softmaxCrossEntropy,
  weightedCategoricalCrossentropy,
} from "@tfjs-imbalance/weighted-loss";

const near = (got: number, want: number) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-4 * Math.abs(want));
const scalar = (f: () => tf.Tensor) => tf.tidy(() => f().dataSync()[0]!);

// On cpu, and on wasm, whose log1p kernel is log(1 + x) (WebGL's too).
describe.each(["cpu", "wasm"])("on %s", (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  describe("the softmax family in its stable form, (x − max) − log Σ exp(x − max)", () => {
    it("ln 2 for two equal large logits (was 0.693359)", () => {
      near(
        scalar(() => softmaxCrossEntropy([0], [[1e4, 1e4]])),
        Math.LN2
      );
    });

    it("a confident right answer keeps its small loss (was 24% off)", () => {
      near(
        scalar(() => softmaxCrossEntropy([1], [[-100, -88, -100]])),
        Math.log1p(2 * Math.exp(-12))
      );
      const loss = weightedCategoricalCrossentropy({ numClasses: 3 });
      near(
        scalar(() =>
          loss(tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[-100, -88, -100]]))
        ),
        Math.log1p(2 * Math.exp(-12))
      );
      loss.dispose();
    });

    it("the logit adjustment survives next to large logits (was 0 for 2.2e-4)", () => {
      const want = Math.log1p(1 / 4510);
      near(
        scalar(() =>
          logitAdjustedCrossEntropy([1], [[-1e4, -1e4]], {
            classCounts: [1, 4510],
          })
        ),
        want
      );
      const loss = weightedCategoricalCrossentropy({
        numClasses: 2,
        logitAdjustment: { classCounts: [1, 4510] },
      });
      near(
        scalar(() => loss(tf.tensor2d([[0, 1]]), tf.tensor2d([[-1e4, -1e4]]))),
        want
      );
      loss.dispose();
    });
  });
});
