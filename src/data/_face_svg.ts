/**
 * Draws one synthetic face as SVG, its expression set by the class.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";

/** Expression cues in face units (the head is about 60 wide, y grows downward). */
interface Expression {
  /** Eye half-height: 4 wide open, 2 narrowed. */
  eyeOpen: number;
  /** Brow heights at the inner and outer end (negative is up), added to the resting brow line. */
  browInner: number;
  browOuter: number;
  /** Mouth as a curve: corner and middle offsets (negative is up). */
  mouthCorner: number;
  mouthMiddle: number;
  /** Open mouth half-sizes; 0 for a closed curve. */
  mouthOpenX: number;
  mouthOpenY: number;
  /** Raises the left mouth corner only (a sneer). */
  sneer: number;
  /** Short lines beside the nose (wrinkled nose). */
  noseWrinkle: boolean;
}

const EXPRESSIONS: Record<string, Expression> = {
  neutral: { eyeOpen: 2.8, browInner: 0, browOuter: 0, mouthCorner: 0, mouthMiddle: 0, mouthOpenX: 0, mouthOpenY: 0, sneer: 0, noseWrinkle: false },
  happy: { eyeOpen: 2.2, browInner: -1, browOuter: -1, mouthCorner: -7, mouthMiddle: 10, mouthOpenX: 0, mouthOpenY: 0, sneer: 0, noseWrinkle: false },
  sad: { eyeOpen: 2.4, browInner: -5, browOuter: 2, mouthCorner: 7, mouthMiddle: -7, mouthOpenX: 0, mouthOpenY: 0, sneer: 0, noseWrinkle: false },
  surprise: { eyeOpen: 4.4, browInner: -6, browOuter: -6, mouthCorner: 0, mouthMiddle: 0, mouthOpenX: 5.5, mouthOpenY: 8, sneer: 0, noseWrinkle: false },
  angry: { eyeOpen: 1.8, browInner: 5, browOuter: -2, mouthCorner: 2, mouthMiddle: 0, mouthOpenX: 0, mouthOpenY: 0, sneer: 0, noseWrinkle: false },
  disgust: { eyeOpen: 1.9, browInner: 3, browOuter: 1, mouthCorner: 2, mouthMiddle: -2, mouthOpenX: 0, mouthOpenY: 0, sneer: -6, noseWrinkle: true },
  fear: { eyeOpen: 4.2, browInner: -6, browOuter: -2, mouthCorner: 3, mouthMiddle: 0, mouthOpenX: 11, mouthOpenY: 3.5, sneer: 0, noseWrinkle: false },
};

/** Class names {@linkcode faceSvg} can draw: FER-2013's seven expressions. */
export const DRAWABLE_EXPRESSIONS: readonly string[] = Object.keys(EXPRESSIONS);

/**
 * Draws a face with the expression of `className`, every free choice drawn
 * from `rng`: head position, size and rotation, gray levels, a lighting
 * gradient, feature placement, and expression strength (60-100 %, with
 * per-feature jitter), so classes overlap at low strength and are learnable,
 * not trivially separable.
 *
 * @param className One of {@linkcode DRAWABLE_EXPRESSIONS}.
 * @param options `size` (output pixels) and `rng`.
 * @returns SVG text, viewBox 100 x 100, rendered at `size x size`.
 * @example
 * ```ts
 * const svg = faceSvg("happy", { size: 48, rng: makeRng(1) });
 * console.assert(svg.startsWith("<svg"));
 * ```
 */
export function faceSvg(className: string, options: { size: number; rng: Rng }): string {
  const { size, rng } = options;
  const e = EXPRESSIONS[className];
  const strength = rng.uniform(0.6, 1);
  const cue = (value: number) => value * strength + rng.normal() * 0.8;
  const gray = (level: number) => {
    const v = Math.round(Math.min(255, Math.max(0, level)));
    return `rgb(${v},${v},${v})`;
  };
  const background = rng.uniform(20, 235);
  const skin = rng.uniform(80, 225);
  const ink = rng.uniform(5, 70);
  const light = rng.uniform(0, 0.35);
  const angle = rng.uniform(0, 360);
  const x = 50 + rng.uniform(-4, 4);
  const y = 52 + rng.uniform(-4, 4);
  const rotate = rng.uniform(-12, 12);
  const scale = rng.uniform(0.82, 1.08);
  const eyeX = rng.uniform(11, 14);
  const eyeY = -9 + rng.uniform(-2, 2);
  const eyeOpen = Math.max(0.8, cue(e.eyeOpen));
  const browY = eyeY - 7;
  const inner = cue(e.browInner);
  const outer = cue(e.browOuter);
  const mouthY = 19 + rng.uniform(-2, 2);
  const mouthW = rng.uniform(10, 14);
  const corner = cue(e.mouthCorner);
  const middle = cue(e.mouthMiddle);
  const sneer = cue(e.sneer);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">`,
    `<defs><linearGradient id="bg" gradientTransform="rotate(${f(angle)} 0.5 0.5)">`,
    `<stop offset="0" stop-color="${gray(background)}"/><stop offset="1" stop-color="${gray(background + rng.uniform(-60, 60))}"/></linearGradient>`,
    `<linearGradient id="lit" gradientTransform="rotate(${f(angle + rng.uniform(-40, 40))} 0.5 0.5)">`,
    `<stop offset="0" stop-color="${gray(skin * (1 + light))}"/><stop offset="1" stop-color="${gray(skin * (1 - light))}"/></linearGradient></defs>`,
    `<rect width="100" height="100" fill="url(#bg)"/>`,
  ];
  // Background shapes, shoulders and hair vary the coarse layout the way real photos do.
  const blobs = 1 + rng.int(3);
  for (let i = 0; i < blobs; i++) {
    parts.push(
      `<ellipse cx="${f(rng.uniform(0, 100))}" cy="${f(rng.uniform(0, 100))}" rx="${f(rng.uniform(8, 35))}" ` +
        `ry="${f(rng.uniform(8, 35))}" fill="${gray(rng.uniform(0, 255))}" opacity="${f(rng.uniform(0.3, 0.9))}"/>`,
    );
  }
  const headRx = rng.uniform(27, 33);
  const headRy = rng.uniform(35, 41);
  parts.push(
    `<g transform="translate(${f(x)} ${f(y)}) rotate(${f(rotate)}) scale(${f(scale)})">`,
    `<ellipse cy="${f(headRy + 18)}" rx="${f(rng.uniform(35, 55))}" ry="22" fill="${gray(rng.uniform(0, 255))}"/>`,
    `<rect x="-10" y="${f(headRy - 8)}" width="20" height="18" fill="${gray(skin * 0.85)}"/>`,
    `<ellipse cy="${f(-rng.uniform(4, 12))}" rx="${f(headRx + rng.uniform(1, 7))}" ry="${f(headRy + rng.uniform(0, 6))}" fill="${gray(rng.uniform(0, 255))}"/>`,
    `<ellipse rx="${f(headRx)}" ry="${f(headRy)}" fill="url(#lit)"/>`,
  );
  for (const side of [-1, 1]) {
    parts.push(
      `<ellipse cx="${f(side * eyeX)}" cy="${f(eyeY)}" rx="5.5" ry="${f(eyeOpen)}" fill="${gray(235)}"/>`,
      `<circle cx="${f(side * eyeX)}" cy="${f(eyeY)}" r="${f(Math.min(2.4, eyeOpen))}" fill="${gray(ink)}"/>`,
      `<line x1="${f(side * 5)}" y1="${f(browY + inner)}" x2="${f(side * 19)}" y2="${f(browY + outer)}" stroke="${gray(ink)}" stroke-width="2.6" stroke-linecap="round"/>`,
    );
  }
  parts.push(`<path d="M0 ${f(eyeY + 4)} L-3 8 L3 8" fill="none" stroke="${gray(skin * 0.6)}" stroke-width="1.5"/>`);
  if (e.noseWrinkle) {
    for (const side of [-1, 1]) {
      parts.push(`<line x1="${f(side * 4)}" y1="0" x2="${f(side * 7)}" y2="4" stroke="${gray(skin * 0.55)}" stroke-width="1.3"/>`);
    }
  }
  if (e.mouthOpenX > 0) {
    parts.push(
      `<ellipse cx="0" cy="${f(mouthY)}" rx="${f(Math.max(2, cue(e.mouthOpenX)))}" ry="${f(Math.max(1.5, cue(e.mouthOpenY)))}" fill="${gray(ink)}"/>`,
    );
  } else {
    parts.push(
      `<path d="M${f(-mouthW)} ${f(mouthY + corner + sneer)} Q0 ${f(mouthY + middle)} ${f(mouthW)} ${f(mouthY + corner)}" ` +
        `fill="none" stroke="${gray(ink)}" stroke-width="3.6" stroke-linecap="round"/>`,
    );
  }
  parts.push("</g></svg>");
  return parts.join("");
}

/** Fixed decimals keep the SVG text, and so the raster, identical across runs. */
function f(value: number): string {
  return value.toFixed(2);
}
