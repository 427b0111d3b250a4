/**
 * Turns nbconvert's error output into a message naming the notebook and cell.
 *
 * @module
 */

/** The parts of an .ipynb file this module reads. */
interface NotebookJson {
  cells: { cell_type: string; source: string | string[] }[];
}

/**
 * Finds the failing cell of a notebook from nbconvert's stderr and describes
 * the failure: notebook, cell number (1-based over all cells, and over code
 * cells), the cell's first line, and the error lines.
 *
 * nbclient prints the failing cell's source between two dashed lines, then
 * the traceback; the source is matched against the notebook's code cells.
 *
 * @param name Notebook file name, for the message.
 * @param notebook The notebook's JSON.
 * @param stderr nbconvert's standard error.
 * @returns A message of a few lines.
 * @example
 * ```ts
 * const message = describeNotebookFailure("02_cnns.ipynb", notebook, stderr);
 * ```
 */
export function describeNotebookFailure(name: string, notebook: NotebookJson, stderr: string): string {
  const lines = stderr.split("\n");
  const timeout = lines.find((line) => line.includes("CellTimeoutError") || line.includes("timed out"));
  const start = lines.findIndex((line) => line.includes("An error occurred while executing the following cell"));
  let where = "a cell nbconvert did not name";
  let errorLines: string[] = [];
  if (start >= 0) {
    const open = lines.findIndex((line, i) => i > start && /^-{3,}$/.test(line.trim()));
    const close = lines.findIndex((line, i) => i > open && /^-{3,}$/.test(line.trim()));
    const source = lines.slice(open + 1, close).join("\n").trim();
    where = locate(notebook, source);
    errorLines = lines.slice(close + 1).map((line) => line.trimEnd()).filter((line) => line.length > 0).slice(0, 12);
  } else {
    errorLines = lines.map((line) => line.trimEnd()).filter((line) => line.length > 0).slice(-12);
  }
  const headline = timeout && start < 0 ? `Notebook ${name} timed out` : `Notebook ${name} failed at ${where}`;
  return [headline, ...errorLines.map((line) => `  ${line}`)].join("\n");
}

function locate(notebook: NotebookJson, source: string): string {
  let codeIndex = 0;
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    codeIndex++;
    const text = (Array.isArray(cell.source) ? cell.source.join("") : cell.source).trim();
    if (text === source) {
      const first = text.split("\n").find((line) => line.trim().length > 0 && !line.trim().startsWith("//")) ?? text.split("\n")[0];
      return `cell ${index + 1} (code cell ${codeIndex}): ${first.trim()}`;
    }
  }
  return `a cell starting "${source.split("\n")[0]}"`;
}
