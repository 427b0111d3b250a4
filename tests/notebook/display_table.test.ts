import { describe, expect, it } from "vitest";
import { displayTable } from "../../src/notebook/display_table.ts";
import { recordingDisplay } from "./notebook_fixtures.ts";

describe("displayTable", () => {
  it("sends the table as scrollable HTML and as aligned text", async () => {
    const { display, calls } = recordingDisplay();
    await displayTable({ headers: ["class", "images"], cells: [["happy", 3976]] }, { display });
    expect(String(calls[0].bundle["text/html"])).toMatch(/^<div style="overflow-x:auto"><table/);
    expect(calls[0].bundle["text/plain"]).toBe("class  images\n-----  ------\nhappy    3976");
  });

  it("says so when the table has no rows", async () => {
    const { display, calls } = recordingDisplay();
    await displayTable({ headers: ["run"], cells: [] }, { display });
    expect(String(calls[0].bundle["text/html"])).toContain("(no rows)");
    expect(String(calls[0].bundle["text/plain"]).endsWith("(no rows)")).toBe(true);
  });
});
