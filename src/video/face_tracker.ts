/**
 * Gives each face a track id that stays the same from frame to frame.
 *
 * Matching is greedy by box overlap: the pair of (track, face) with the
 * highest IoU is joined first, then the next, while the IoU is at least
 * `minIou`. A face that matches no live track starts a new one. A track not
 * seen for more than `maxMissedFrames` frames ends; a face that leaves and
 * returns within that gap keeps its id, one that returns later gets a new id
 * (identity is not recognised, only position).
 *
 * @module
 */
import { boxIou, type FaceBox } from "./tiny_face_detector.ts";

/** Options of {@linkcode faceTracker}. */
export interface FaceTrackerOptions {
  /** Least IoU between a track's last box and a new face to continue the track. @default 0.3 */
  minIou?: number;
  /** Frames a track may go unseen before it ends. @default 15 (half a second at 30 fps) */
  maxMissedFrames?: number;
}

interface Track {
  id: number;
  box: FaceBox;
  lastFrame: number;
}

/** The tracker's state; make one with {@linkcode faceTracker}. */
export class FaceTracker {
  readonly #minIou: number;
  readonly #maxMissedFrames: number;
  #tracks: Track[] = [];
  #nextId = 1;
  #frame = -1;

  constructor(options: FaceTrackerOptions = {}) {
    this.#minIou = options.minIou ?? 0.3;
    this.#maxMissedFrames = options.maxMissedFrames ?? 15;
  }

  /**
   * Assigns track ids to the faces of the next frame.
   *
   * @param faces The frame's faces.
   * @returns One track id (1, 2, ...) per face, in face order.
   * @example
   * ```ts
   * const tracker = faceTracker();
   * const box = { x: 0, y: 0, width: 10, height: 10, score: 1 };
   * console.assert(tracker.update([box])[0] === tracker.update([{ ...box, x: 1 }])[0]);
   * ```
   */
  update(faces: readonly FaceBox[]): number[] {
    this.#frame++;
    this.#tracks = this.#tracks.filter((track) => this.#frame - track.lastFrame <= this.#maxMissedFrames + 1);
    const pairs: { track: number; face: number; iou: number }[] = [];
    this.#tracks.forEach((track, t) =>
      faces.forEach((face, f) => {
        const iou = boxIou(track.box, face);
        if (iou >= this.#minIou) pairs.push({ track: t, face: f, iou });
      })
    );
    pairs.sort((a, b) => b.iou - a.iou);
    const ids: number[] = new Array(faces.length).fill(0);
    const usedTracks = new Set<number>();
    for (const pair of pairs) {
      if (usedTracks.has(pair.track) || ids[pair.face] !== 0) continue;
      usedTracks.add(pair.track);
      const track = this.#tracks[pair.track];
      ids[pair.face] = track.id;
      track.box = faces[pair.face];
      track.lastFrame = this.#frame;
    }
    faces.forEach((face, f) => {
      if (ids[f] !== 0) return;
      const track = { id: this.#nextId++, box: face, lastFrame: this.#frame };
      this.#tracks.push(track);
      ids[f] = track.id;
    });
    return ids;
  }
}

/**
 * A new tracker with no tracks.
 *
 * @param options See {@linkcode FaceTrackerOptions}.
 * @returns The tracker.
 * @example
 * ```ts
 * const tracker = faceTracker({ maxMissedFrames: 5 });
 * console.assert(tracker.update([]).length === 0);
 * ```
 */
export function faceTracker(options: FaceTrackerOptions = {}): FaceTracker {
  return new FaceTracker(options);
}
