/**
 * The `model` section of a run config: a family and that family's options.
 * Input shape, class count and seed come from the dataset section and the
 * run seed, so they are not part of it. Builders keep their defaults for
 * options left out (see src/models/build_*.ts). The transfer family's
 * section is its own folder's (src/transfer/transfer_section.ts).
 *
 * @module
 */
import { z } from "zod";
import { MODEL_FAMILIES } from "../models/model_config.ts";
import { unknownTagError } from "../core/format_config_issues.ts";
import { transferSectionSchema } from "../transfer/transfer_section.ts";

const widths = z.array(z.number().int().min(1)).min(1);
const rate = z.number().min(0).lt(1);
/** Pixels every family's first layer cuts from each border of the input (src/models/input_crop.ts). */
const inputCrop = z.number().int().min(0).optional();

/** The schema of the `model` section, tagged by `family`. */
export const modelSectionSchema = z.discriminatedUnion("family", [
  z.strictObject({ family: z.literal("small_cnn"), inputCrop, filters: widths.optional(), denseUnits: z.number().int().min(1).optional() }),
  z.strictObject({
    family: z.literal("capstone_cnn"),
    inputCrop,
    filters: widths.optional(),
    denseUnits: z.number().int().min(1).optional(),
    blockDropout: rate.optional(),
    headDropout: rate.optional(),
    leakyAlpha: z.number().min(0).optional(),
  }),
  z.strictObject({
    family: z.literal("vgg_like"),
    inputCrop,
    filters: widths.optional(),
    denseUnits: z.number().int().min(1).optional(),
    headDropout: rate.optional(),
  }),
  z.strictObject({ family: z.literal("resnet_like"), inputCrop, filters: widths.optional(), blocksPerStage: z.number().int().min(1).optional() }),
  z.strictObject({
    family: z.literal("mobilenet_v2_like"),
    inputCrop,
    stemFilters: z.number().int().min(1).optional(),
    stages: z.array(z.strictObject({
      expansion: z.number().int().min(1),
      filters: z.number().int().min(1),
      repeats: z.number().int().min(1),
      stride: z.union([z.literal(1), z.literal(2)]),
    })).min(1).optional(),
    headFilters: z.number().int().min(1).optional(),
  }),
  z.strictObject({ family: z.literal("xception_like"), inputCrop, stemFilters: z.number().int().min(1).optional(), filters: widths.optional() }),
  transferSectionSchema,
], unknownTagError("family", [...MODEL_FAMILIES, "transfer"]));
