/**
 * The notebooks in notebooks/ as files: committed clean, Deno kernel,
 * parameters first, only calls into src/ (no logic of their own).
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[] };
  outputs?: unknown[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name: string; display_name: string; language: string } };
  nbformat: number;
}

const folder = "notebooks";
const names = readdirSync(folder).filter((name) => name.endsWith(".ipynb")).sort();
const load = (name: string): Notebook => JSON.parse(readFileSync(join(folder, name), "utf8"));
const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const code = (notebook: Notebook) => notebook.cells.filter((cell) => cell.cell_type === "code");
/** Code with comments and string contents blanked, so words in prose do not count. */
const bare = (source: string) =>
  source
    .replace(/\/\/.*$/gm, "")
    .replace(/`(?:\\.|[^`\\])*`/g, "``")
    .replace(/"(?:\\.|[^"\\])*"/g, '""');

describe("notebooks", () => {
  it("are the numbered notebooks the workbench documents", () => {
    expect(names).toEqual(["01_data.ipynb", "02_cnns.ipynb", "03_transfer.ipynb", "04_ensembles.ipynb", "05_compare.ipynb", "06_video.ipynb", "07_robustness_fairness.ipynb", "08_sweeps.ipynb"]);
  });

  describe.each(names)("%s", (name) => {
    const notebook = load(name);

    it("is committed without outputs and with null execution counts", () => {
      for (const cell of code(notebook)) {
        expect(cell.outputs).toEqual([]);
        expect(cell.execution_count).toBeNull();
      }
    });

    it("runs on the Deno kernel", () => {
      expect(notebook.metadata.kernelspec).toEqual({ name: "deno", display_name: "Deno", language: "typescript" });
      expect(notebook.nbformat).toBe(4);
    });

    it("starts with a markdown cell that states the question", () => {
      expect(notebook.cells[0].cell_type).toBe("markdown");
      expect(text(notebook.cells[0])).toMatch(/^# \d\d · .+\n[\s\S]*\*\*Question\.\*\*/);
    });

    it("has its parameters, including smoke, in a first code cell tagged parameters", () => {
      const [first, ...rest] = code(notebook);
      expect(first.metadata?.tags).toEqual(["parameters"]);
      expect(text(first)).toContain("notebookParams(Deno.env.toObject()");
      expect(text(first)).toMatch(/const smoke = /);
      expect(rest.some((cell) => cell.metadata?.tags?.includes("parameters"))).toBe(false);
    });

    it("puts a markdown cell before every section of code", () => {
      const kinds = notebook.cells.map((cell) => cell.cell_type);
      const sections = kinds.slice(3); // after the title, the parameters and the imports
      sections.forEach((kind, i) => {
        if (kind === "code") expect(sections[i - 1] ?? kinds[2]).toBe("markdown");
      });
    });

    it("defines no function or class", () => {
      for (const cell of code(notebook)) {
        const source = bare(text(cell));
        expect(source).not.toMatch(/\bfunction\b/);
        expect(source).not.toMatch(/=>/);
        expect(source).not.toMatch(/\bclass\s+\w+/);
      }
    });

    it("imports only the mod.ts of src areas, relative to notebooks/", () => {
      const imports = code(notebook).flatMap((cell) => [...text(cell).matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]));
      expect(imports.length).toBeGreaterThan(0);
      for (const path of imports) expect(path).toMatch(/^\.\.\/src\/[a-z]+\/mod\.ts$/);
    });

    it("reads no environment variable except through notebookParams", () => {
      for (const cell of code(notebook)) {
        const uses = text(cell).match(/Deno\.env\.[a-zA-Z]+\([^)]*\)/g) ?? [];
        expect(uses.every((use) => use === "Deno.env.toObject()")).toBe(true);
      }
    });
  });
});
