/**
 * The backbone registry as a table, for notebooks and listings.
 *
 * @module
 */
import type { Table } from "../viz/table.ts";
import { BACKBONE_NAMES, BACKBONES } from "./backbone_registry.ts";

/**
 * Lists every registered backbone: kind, input, normalisation, whether it has
 * a packaged classifier, and where its files come from.
 *
 * @returns One row per name in {@linkcode BACKBONE_NAMES}.
 * @example
 * ```ts
 * const table = backboneTable();
 * console.assert(table.cells[0][0] === "face_api_expression");
 * ```
 */
export function backboneTable(): Table {
  return {
    caption: "Registered backbones (model.backbone); any other tfjs model is given by { url, featureNode, inputSize, channels, normalization }",
    headers: ["backbone", "kind", "input", "normalization", "classifier", "files", "installed by", "description"],
    cells: BACKBONE_NAMES.map((name) => {
      const info = BACKBONES[name];
      return [
        name,
        info.kind === "layers" ? "layers (fine-tunable)" : "graph (frozen)",
        `${info.inputSize}x${info.inputSize}x${info.channels}`,
        info.normalization,
        info.classifierLabels ? info.classifierLabels.join(", ") : "none",
        info.kind === "layers" ? `node_modules/@vladmandic/face-api/model/${info.file}` : info.file,
        info.install,
        info.description,
      ];
    }),
  };
}
