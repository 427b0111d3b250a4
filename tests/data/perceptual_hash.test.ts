import { describe, expect, it } from "vitest";
import { hammingDistance, hashToHex, perceptualHash, popcount32 } from "../../src/data/perceptual_hash.ts";
import { makeRng } from "../../src/core/seed.ts";
import { DatasetError } from "../../src/core/errors.ts";

/** Reference pHash written from the definition: exact area resampling by supersampling, full DCT-II sums. */
function referenceHash(gray: Uint8Array, width: number): string {
  const height = gray.length / width;
  // Supersample by 32 so every output pixel is an integer block of supersamples (exact area average).
  const small = new Float64Array(32 * 32);
  for (let oy = 0; oy < 32; oy++) {
    for (let ox = 0; ox < 32; ox++) {
      let sum = 0;
      for (let sy = 0; sy < height; sy++) {
        for (let sx = 0; sx < width; sx++) {
          const y = Math.floor((oy * height + sy) / 32);
          const x = Math.floor((ox * width + sx) / 32);
          sum += gray[y * width + x];
        }
      }
      small[oy * 32 + ox] = sum / (width * height);
    }
  }
  const coefficients: number[] = [];
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          sum += small[y * 32 + x] * Math.cos((Math.PI * u * (2 * x + 1)) / 64) * Math.cos((Math.PI * v * (2 * y + 1)) / 64);
        }
      }
      coefficients.push(sum);
    }
  }
  const sorted = [...coefficients].sort((a, b) => a - b);
  const median = (sorted[31] + sorted[32]) / 2;
  return coefficients.map((c) => (c > median ? "1" : "0")).join("");
}

function bits(hash: { high: number; low: number }): string {
  return hash.high.toString(2).padStart(32, "0") + hash.low.toString(2).padStart(32, "0");
}

function randomSmoothImage(seed: number, size = 48): Uint8Array {
  const rng = makeRng(seed);
  const blobs = Array.from({ length: 5 }, () => ({
    x: rng.uniform(0, size), y: rng.uniform(0, size), s: rng.uniform(4, 14), a: rng.uniform(-90, 90),
  }));
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = 128;
      for (const b of blobs) v += b.a * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.s * b.s));
      out[y * size + x] = Math.max(0, Math.min(255, Math.round(v + rng.normal() * 3)));
    }
  }
  return out;
}

describe("perceptualHash", () => {
  it("sets only the DC bit for a flat image", () => {
    expect(perceptualHash(new Uint8Array(48 * 48).fill(90))).toEqual({ high: 0x80000000, low: 0 });
  });

  it("sets no bit for an all-black image", () => {
    expect(perceptualHash(new Uint8Array(48 * 48))).toEqual({ high: 0, low: 0 });
  });

  it("sets the DC bit and the bit of the one horizontal frequency in a cosine pattern", () => {
    // 32x32 input: resampling is the identity. Identical rows put all energy in the first DCT row
    // (bits 63..56); the cosine puts it at (0,0) and (0,3). Rounding to bytes leaves small
    // values elsewhere in that row only, so the other 56 coefficients are 0 and so is the median.
    const gray = new Uint8Array(32 * 32);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) gray[y * 32 + x] = Math.round(128 + 100 * Math.cos((Math.PI * 3 * (2 * x + 1)) / 64));
    }
    const hash = perceptualHash(gray);
    expect((hash.high & 0x90000000) >>> 0).toBe(0x90000000);
    expect([hash.high & 0x00ffffff, hash.low]).toEqual([0, 0]);
  });

  it("matches a reference implementation written from the definition on a 48x48 image", () => {
    const gray = randomSmoothImage(11);
    expect(bits(perceptualHash(gray))).toBe(referenceHash(gray, 48));
  });

  it("matches the reference on a non-square image when given its width", () => {
    const gray = randomSmoothImage(12, 40).subarray(0, 40 * 30);
    expect(bits(perceptualHash(gray, { width: 40 }))).toBe(referenceHash(gray, 40));
  });

  it("sets exactly 32 bits for an image without ties, so distances are even", () => {
    const hash = perceptualHash(randomSmoothImage(13));
    expect(popcount32(hash.high) + popcount32(hash.low)).toBe(32);
  });

  it("stays within a few bits when the image is brightened and shifted by one pixel", () => {
    const gray = randomSmoothImage(14);
    const moved = new Uint8Array(gray.length);
    for (let y = 0; y < 48; y++) {
      for (let x = 0; x < 48; x++) moved[y * 48 + x] = Math.min(255, gray[y * 48 + Math.max(0, x - 1)] + 15);
    }
    expect(hammingDistance(perceptualHash(gray), perceptualHash(moved))).toBeLessThanOrEqual(6);
  });

  it("differs in many bits between unrelated images", () => {
    expect(hammingDistance(perceptualHash(randomSmoothImage(15)), perceptualHash(randomSmoothImage(16))))
      .toBeGreaterThan(12);
  });

  it("prints as 16 zero-padded hex digits", () => {
    expect(hashToHex({ high: 0x80000000, low: 0xab })).toBe("80000000000000ab");
  });

  it("throws a DatasetError when the pixel count is not a multiple of the width", () => {
    expect(() => perceptualHash(new Uint8Array(100), { width: 7 })).toThrow(DatasetError);
  });
});

describe("hammingDistance and popcount32", () => {
  it("counts differing bits across both words", () => {
    expect(hammingDistance({ high: 0b1011, low: 0 }, { high: 0, low: 1 })).toBe(4);
  });

  it("counts every bit of 0xffffffff and none of 0", () => {
    expect([popcount32(0xffffffff), popcount32(0), popcount32(0x80000001)]).toEqual([32, 0, 2]);
  });

  it("agrees with a bit-by-bit count on random words", () => {
    const rng = makeRng(3);
    for (let i = 0; i < 200; i++) {
      const word = rng.int(2 ** 32);
      const slow = word.toString(2).split("").filter((c) => c === "1").length;
      expect(popcount32(word)).toBe(slow);
    }
  });
});
