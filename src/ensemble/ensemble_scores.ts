/**
 * Ensembles beside their members: one row per member (with and without TTA)
 * and per ensemble, as a table and as a figure with 95% intervals.
 *
 * @module
 */
import type { Interval } from "../eval/confidence_interval.ts";
import type { EnsembleMetrics, RunMetrics } from "../experiment/run_metrics.ts";
import { openRun, readRunJson } from "../experiment/run_store.ts";
import type { Figure } from "../viz/figures.ts";
import { intervalText } from "../viz/interval_text.ts";
import { comparisonFigure } from "../viz/run_figures.ts";
import { ttaViews } from "../predict/tta_views.ts";

/** One row of the score table. */
export interface EnsembleScoreRow {
  /** `<name> (<id tail>)`, with `+TTA(<views>)` for a member evaluated with TTA. */
  label: string;
  /** `member` or `ensemble:<combiner>`. */
  kind: string;
  runId: string;
  validation: Interval;
  /** Null for a member's own run (its metrics.json has no log-loss). */
  validationLogLoss: number | null;
  test: Interval | null;
  /** For an ensemble: whether its validation accuracy is above the best member's (members scored with the same TTA). */
  beatsBestMember: boolean | null;
}

/**
 * Reads ensemble runs and their members. Each member appears once as its
 * own run scored it (no TTA), and once more per TTA setting the ensembles
 * used; then each ensemble, marked when its validation accuracy (out of fold
 * for fitted combiners) is above that of its best member.
 *
 * @param resultsRoot Results folder.
 * @param ids Ensemble run ids.
 * @returns Members first (in first-seen order), then the ensembles in the order given.
 * @throws {ConfigError} When a run does not exist.
 * @example
 * ```ts
 * const rows = await ensembleScores(params.resultsRoot, outcomes.map((o) => o.run.id));
 * await displayTable(ensembleScoreTable(rows));
 * ```
 */
export async function ensembleScores(resultsRoot: string, ids: readonly string[]): Promise<EnsembleScoreRow[]> {
  const members = new Map<string, EnsembleScoreRow>();
  const ensembles: EnsembleScoreRow[] = [];
  for (const id of ids) {
    const run = await openRun(resultsRoot, id);
    const metrics = await readRunJson<EnsembleMetrics>(run, "metrics");
    const config = await readRunJson<{ name: string }>(run, "config");
    if (!metrics?.ensemble) continue;
    for (const member of metrics.ensemble.members) {
      const tail = `(${member.runId.slice(-6)})`;
      if (!members.has(member.runId)) {
        const own = await readRunJson<RunMetrics>(await openRun(resultsRoot, member.runId), "metrics");
        if (own) {
          members.set(member.runId, {
            label: `${member.name} ${tail}`,
            kind: "member",
            runId: member.runId,
            validation: own.validation.accuracyInterval,
            validationLogLoss: null,
            test: own.test?.accuracyInterval ?? null,
            beatsBestMember: null,
          });
        }
      }
      const key = `${member.runId} ${JSON.stringify(member.tta)}`;
      if (member.tta && !members.has(key)) {
        members.set(key, {
          label: `${member.name} ${tail} +TTA(${ttaViews(member.tta).length} views)`,
          kind: "member",
          runId: member.runId,
          validation: member.validation.accuracyInterval,
          validationLogLoss: member.validation.logLoss,
          test: member.test?.accuracyInterval ?? null,
          beatsBestMember: null,
        });
      }
    }
    const best = Math.max(...metrics.ensemble.members.map((m) => m.validation.accuracyInterval.value));
    ensembles.push({
      label: `${config?.name ?? id} (${id.slice(-6)})`,
      kind: `ensemble:${metrics.ensemble.combiner}`,
      runId: id,
      validation: metrics.validation.accuracyInterval,
      validationLogLoss: metrics.ensemble.validationLogLoss,
      test: metrics.test?.accuracyInterval ?? null,
      beatsBestMember: metrics.validation.accuracy > best,
    });
  }
  return [...members.values(), ...ensembles];
}

/**
 * The rows as a table (`displayTable` and the reports take it).
 *
 * @param rows From {@linkcode ensembleScores}.
 * @returns Headers and cell text.
 * @example
 * ```ts
 * const table = ensembleScoreTable(rows);
 * console.assert(table.headers[0] === "model");
 * ```
 */
export function ensembleScoreTable(rows: readonly EnsembleScoreRow[]): { headers: string[]; cells: string[][] } {
  return {
    headers: ["model", "kind", "val acc [95% CI]", "val log-loss", "test acc [95% CI]", "beats best member (val)"],
    cells: rows.map((r) => [
      r.label,
      r.kind,
      intervalText(r.validation),
      r.validationLogLoss === null ? "" : r.validationLogLoss.toFixed(3),
      intervalText(r.test),
      r.beatsBestMember === null ? "" : r.beatsBestMember ? "yes" : "no",
    ]),
  };
}

/**
 * Bars of validation and test accuracy per row, with 95% whiskers.
 *
 * @param rows From {@linkcode ensembleScores}.
 * @returns The figure.
 * @example
 * ```ts
 * await displayFigure(ensembleScoreFigure(rows));
 * ```
 */
export function ensembleScoreFigure(rows: readonly EnsembleScoreRow[]): Figure {
  return comparisonFigure(
    rows.flatMap((r) => [
      { label: `${r.label} val`, ...r.validation },
      ...(r.test ? [{ label: `${r.label} test`, ...r.test }] : []),
    ]),
    "accuracy (members and ensembles)",
  );
}

