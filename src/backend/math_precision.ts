/**
 * The float math of native TensorFlow's CPU kernels: float32, or bf16 inputs
 * with float32 accumulation where the CPU has bf16 units (AMX, AVX-512 BF16).
 *
 * TensorFlow's CPU build computes convolutions and matmuls with oneDNN, which
 * reads `ONEDNN_DEFAULT_FPMATH_MODE` once, at the first such op of the
 * process; set to `BF16` it rounds their inputs to bfloat16 (8 bits of
 * mantissa) and keeps float32 sums. On a CPU with AMX that made VGG training
 * about 20% faster and doubled the measured matmul peak (bench/train_speed.ts
 * rows "tensorflow-bf16"); what it does to accuracy is in the README. The
 * flag alone does not promise it: an AMD EPYC with avx512_bf16 and no AMX
 * kept float32 in BF16 mode, so selectBackend checks a probe convolution
 * before it records bf16.
 *
 * @module
 */

/** The precisions a run config's `precision` accepts. */
export const MATH_PRECISIONS = Object.freeze(["float32", "bf16"] as const);

/** `float32` (the default) or `bf16`. */
export type MathPrecision = typeof MATH_PRECISIONS[number];

/** The environment variable oneDNN reads for its default float math mode. */
export const ONEDNN_FPMATH_ENV = "ONEDNN_DEFAULT_FPMATH_MODE";

/**
 * The environment variable TensorFlow reads, when its library loads, for
 * whether its CPU kernels use oneDNN at all (on by default on x86 since 2.9);
 * `0` leaves them to Eigen. oneDNN is also what computes bf16.
 */
export const ONEDNN_OPTS_ENV = "TF_ENABLE_ONEDNN_OPTS";

/**
 * Whether a `TF_ENABLE_ONEDNN_OPTS` value leaves oneDNN on.
 *
 * @param value The variable's value (undefined when unset).
 * @returns false for `0` or `false` (any case), true otherwise (TensorFlow's default).
 * @example
 * ```ts
 * console.assert(oneDnnOfOptsValue("0") === false && oneDnnOfOptsValue(undefined) === true);
 * ```
 */
export function oneDnnOfOptsValue(value: string | undefined): boolean {
  return !/^\s*(0|false)\s*$/i.test(value ?? "");
}

/** CPU flags (as /proc/cpuinfo names them) of units that compute with bf16 inputs. */
const BF16_FLAGS = ["amx_bf16", "avx512_bf16"] as const;

/**
 * The bf16 units this CPU reports, from /proc/cpuinfo's flags.
 *
 * @param cpuinfo The text of /proc/cpuinfo; read from the machine when left out.
 * @returns The flags found (empty where there are none, or where /proc/cpuinfo cannot be read).
 * @example
 * ```ts
 * console.assert(cpuBf16Flags("flags : fpu sse amx_bf16 amx_tile").join() === "amx_bf16");
 * ```
 */
export function cpuBf16Flags(cpuinfo?: string): string[] {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = Deno.readTextFileSync("/proc/cpuinfo");
    } catch {
      return [];
    }
  }
  const flagsLine = text.split("\n").find((line) => /^flags\s*:/.test(line)) ?? "";
  const flags = new Set(flagsLine.replace(/^flags\s*:/, "").trim().split(/\s+/));
  return BF16_FLAGS.filter((flag) => flags.has(flag));
}

/**
 * The precision an `ONEDNN_DEFAULT_FPMATH_MODE` value gives the kernels.
 *
 * @param value The variable's value (undefined when unset).
 * @returns `bf16` for `BF16` (any case); `float32` when unset or `STRICT`; null for other modes (TF32, F16, ANY), which the workbench does not name.
 * @example
 * ```ts
 * console.assert(precisionOfFpmathMode("bf16") === "bf16" && precisionOfFpmathMode(undefined) === "float32");
 * ```
 */
export function precisionOfFpmathMode(value: string | undefined): MathPrecision | null {
  if (value === undefined || value === "" || value.toUpperCase() === "STRICT") return "float32";
  return value.toUpperCase() === "BF16" ? "bf16" : null;
}
