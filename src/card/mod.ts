/**
 * Model cards and datasheets: MODEL_CARD.md and model_card.json (Model Card
 * Toolkit fields) from a run folder, and a dataset's datasheet (Datasheets
 * for Datasets) from its data report and the user's answers.
 *
 * @module
 */
export {
  buildDatasheet,
  type Datasheet,
  DATASHEET_QUESTIONS,
  type DatasheetAnswers,
  datasheetAnswersSchema,
  type DatasheetEntry,
  datasheetMarkdown,
  datasheetTemplate,
  parseDatasheetAnswers,
} from "./datasheet.ts";
export { DATASHEET_ANSWERS_EXTENSIONS, readDatasheetAnswers } from "./read_datasheet_answers.ts";
export { datasheetTemplateText } from "./datasheet_template_text.ts";
export { DATASHEET_ANSWERS_FOLDER, prepareDatasheet, type PrepareDatasheetOptions, writeDatasheet } from "./write_datasheet.ts";
export { buildModelCard, type CardFacts, type CardMetric, type ModelCard } from "./model_card.ts";
export { modelCardMarkdown } from "./model_card_markdown.ts";
export { writeModelCard, type WriteModelCardOptions } from "./write_model_card.ts";
