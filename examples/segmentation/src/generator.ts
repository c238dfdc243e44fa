/**
 * Seeded synthetic images for a per-pixel task with a long tail of classes.
 *
 * Each image is `size` × `size` pixels, one channel, on a background of
 * Gaussian noise (standard deviation `noise`). Objects are painted on it, each
 * with its own contrast drawn in [0.6, 1.2]:
 *
 * - **disc** (common): 0 to 3 bright discs of radius 2.5 to 4.5 in every image;
 * - **square** (uncommon): a dark filled square of side 4 to 6, in an image with probability `squareRate`;
 * - **cross** (rare): a bright plus sign of 9 pixels (arms of 2), in an image with probability `crossRate`.
 *
 * A cross is as bright as a disc: only its shape tells it apart, which a
 * model sees through 3 × 3 convolutions. Later objects cover earlier ones,
 * so every pixel has at most one class. Labels are multi-hot per pixel,
 * `[N, H, W, C]` with C = 3, class axis last; the background is the all-zero
 * row (no class), which the weighted losses weigh as a class of its own
 * (`emptyRowWeight: 'as-class'`). With the defaults about 87% of pixels are
 * background, 11% disc, 1.5% square and 0.15% cross.
 *
 * The same seed gives the same images on every machine and backend (the
 * numbers come from `seedrandom`'s alea stream, not from tfjs).
 */
import seedrandom from 'seedrandom';

/** The classes, most frequent first. */
export const CLASS_NAMES = ['disc', 'square', 'cross'] as const;

/** How the images are drawn. */
export interface GeneratorSpec {
  /** Height and width in pixels. */
  readonly size: number;
  /** The background noise's standard deviation (object contrast is 0.6 to 1.2). */
  readonly noise: number;
  /** The probability that an image holds a square. */
  readonly squareRate: number;
  /** The probability that an image holds a cross. */
  readonly crossRate: number;
}

/** The default images: 24 × 24, noise 0.5, squares in 35% of images, crosses in 10%. */
export const DEFAULT_SPEC: GeneratorSpec = { size: 24, noise: 0.5, squareRate: 0.35, crossRate: 0.1 };

/** A set of images with their per-pixel labels, as flat row-major arrays. */
export interface ImageSet {
  /** Pixels [N, H, W, 1]. */
  readonly x: Float32Array;
  /** Multi-hot labels [N, H, W, C]; a background pixel is all zeros. */
  readonly y: Float32Array;
  /** N. */
  readonly count: number;
  /** H = W. */
  readonly size: number;
  /** C. */
  readonly classes: number;
}

/**
 * Draws `count` images from the stream named by `seed`.
 *
 * @param count - How many images.
 * @param seed - Any string or number; different seeds give independent images (train, validation and test use different ones).
 * @param spec - The drawing settings.
 * @returns The images and labels.
 */
export function generateImages(count: number, seed: string | number, spec: GeneratorSpec = DEFAULT_SPEC): ImageSet {
  const rand = seedrandom.alea(`segmentation:${seed}`);
  const S = spec.size;
  const C = CLASS_NAMES.length;
  const x = new Float32Array(count * S * S);
  const y = new Float32Array(count * S * S * C);
  const gaussian = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
  const between = (lo: number, hi: number) => lo + (hi - lo) * rand();
  for (let n = 0; n < count; n++) {
    const base = n * S * S;
    for (let p = 0; p < S * S; p++) x[base + p] = spec.noise * gaussian();
    /** Paints the pixels where `inside(r, c)` holds with class k at the given contrast (signed). */
    const paint = (k: number, contrast: number, inside: (r: number, c: number) => boolean) => {
      for (let r = 0; r < S; r++) {
        for (let c = 0; c < S; c++) {
          if (!inside(r, c)) continue;
          const p = base + r * S + c;
          x[p] = contrast + spec.noise * gaussian();
          y.fill(0, p * C, p * C + C);
          y[p * C + k] = 1;
        }
      }
    };
    const discs = Math.floor(rand() * 4);
    for (let d = 0; d < discs; d++) {
      const [cr, cc, radius] = [between(2, S - 2), between(2, S - 2), between(2.5, 4.5)];
      paint(0, between(0.6, 1.2), (r, c) => (r - cr) ** 2 + (c - cc) ** 2 <= radius * radius);
    }
    if (rand() < spec.squareRate) {
      const side = 4 + Math.floor(rand() * 3);
      const [top, left] = [Math.floor(rand() * (S - side + 1)), Math.floor(rand() * (S - side + 1))];
      paint(1, -between(0.6, 1.2), (r, c) => r >= top && r < top + side && c >= left && c < left + side);
    }
    if (rand() < spec.crossRate) {
      const [cr, cc] = [2 + Math.floor(rand() * (S - 4)), 2 + Math.floor(rand() * (S - 4))];
      paint(2, between(0.6, 1.2), (r, c) => (r === cr && Math.abs(c - cc) <= 2) || (c === cc && Math.abs(r - cr) <= 2));
    }
  }
  return { x, y, count, size: S, classes: C };
}

/** How many images hold each class (at least one pixel). */
export function imagesWith(set: ImageSet): number[] {
  const C = set.classes;
  const pixels = set.size * set.size;
  const found = new Array<number>(C).fill(0);
  for (let n = 0; n < set.count; n++) {
    for (let k = 0; k < C; k++) {
      for (let p = n * pixels; p < (n + 1) * pixels; p++) {
        if (set.y[p * C + k]! >= 0.5) {
          found[k]!++;
          break;
        }
      }
    }
  }
  return found;
}
