/**
 * The peak dense arithmetic of the active tfjs backend, for the training-speed
 * bound that train_speed.ts prints.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * The active backend's peak dense arithmetic: the best GFLOP/s of a
 * 1024x1024 by 1024x1024 matMul and of the forward convs of VGG's layer
 * shapes (batch 32, 3x3 "same"), each timed over 3 runs after one warm-up.
 *
 * @returns GFLOP/s (2 * multiply-adds / time).
 * @example
 * ```ts
 * await tf.setBackend("wasm");
 * console.log(`${(await measurePeakGflops()).toFixed(1)} GFLOP/s`);
 * ```
 */
export async function measurePeakGflops(): Promise<number> {
  const cases: [number[], number[], number][] = [
    [[1024, 1024], [1024, 1024], 2 * 1024 ** 3],
    ...[[48, 64], [24, 128], [12, 256], [6, 512]].map(([size, channels]): [number[], number[], number] => [
      [32, size, size, channels],
      [3, 3, channels, channels],
      2 * 32 * size * size * 9 * channels * channels,
    ]),
  ];
  let best = 0;
  for (const [aShape, bShape, flops] of cases) {
    const [a, b] = [tf.randomUniform(aShape, -1, 1, "float32", 5), tf.randomUniform(bShape, -1, 1, "float32", 6)];
    const run = async () => {
      const c = a.rank === 2 ? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D) : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same");
      await c.data();
      c.dispose();
    };
    await run();
    const started = performance.now();
    for (let i = 0; i < 3; i++) await run();
    best = Math.max(best, (3 * flops) / ((performance.now() - started) / 1000) / 1e9);
    tf.dispose([a, b]);
  }
  return best;
}
