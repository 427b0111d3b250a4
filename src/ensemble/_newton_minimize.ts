/**
 * Newton's method with a backtracking line search, for the small convex
 * objectives the fitted combiners minimise (stacking's logistic regression,
 * the log-linear pool).
 *
 * @module
 */
import { choleskySolve } from "./_cholesky_solve.ts";

/** The gradient and Hessian of an objective at one point. */
export interface Derivatives {
  /** Length `size`. */
  gradient: Float64Array;
  /** Row-major `size x size`, symmetric positive definite; only the lower triangle is read. */
  hessian: Float64Array;
}

/** Where {@linkcode newtonMinimize} stopped. */
export interface NewtonResult {
  /** The parameters at the end. */
  theta: Float64Array;
  /** The objective there. */
  value: number;
  /** Newton steps taken. */
  iterations: number;
}

/**
 * Minimises a smooth convex objective from `start`: each step solves
 * `H step = g` and halves its length until the objective falls by at least
 * 1e-4 of what the slope promises (Armijo). It stops when every gradient
 * component is below `tolerance`, after `maxIterations` steps, or when no
 * length of the step lowers the objective. Deterministic.
 *
 * @param start The first parameters (not modified).
 * @param objective The value at a point.
 * @param derivatives The gradient and Hessian at a point.
 * @param options The most steps and the gradient tolerance.
 * @returns The parameters, value and steps at the end.
 * @example
 * ```ts
 * // (x - 3)²: one Newton step from 0 lands on 3.
 * const r = newtonMinimize(Float64Array.of(0), (t) => (t[0] - 3) ** 2,
 *   (t) => ({ gradient: Float64Array.of(2 * (t[0] - 3)), hessian: Float64Array.of(2) }), { maxIterations: 10, tolerance: 1e-12 });
 * console.assert(r.theta[0] === 3 && r.iterations === 1);
 * ```
 */
export function newtonMinimize(
  start: Float64Array,
  objective: (theta: Float64Array) => number,
  derivatives: (theta: Float64Array) => Derivatives,
  options: { maxIterations: number; tolerance: number },
): NewtonResult {
  const theta = Float64Array.from(start);
  let value = objective(theta), iterations = 0;
  while (iterations < options.maxIterations) {
    const { gradient, hessian } = derivatives(theta);
    if (Math.max(...gradient.map(Math.abs)) < options.tolerance) break;
    const step = choleskySolve(hessian, gradient);
    const slope = -step.reduce((s, v, k) => s + v * gradient[k], 0);
    let t = 1, next = value, candidate = theta;
    for (; t > 1e-10; t /= 2) {
      candidate = theta.map((v, k) => v - t * step[k]);
      next = objective(candidate);
      if (next <= value + 1e-4 * t * slope) break;
    }
    if (t <= 1e-10 || !(next < value)) break;
    theta.set(candidate);
    value = next;
    iterations++;
  }
  return { theta, value, iterations };
}
