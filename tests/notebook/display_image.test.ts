import { describe, expect, it } from "vitest";
import { Buffer } from "node:buffer";
import sharp from "sharp";
import { displayImage } from "../../src/notebook/display_image.ts";
import { recordingDisplay } from "./notebook_fixtures.ts";

describe("displayImage", () => {
  it("sends the PNG as base64 with its caption in HTML and text", async () => {
    const png = new Uint8Array(await sharp({ create: { width: 2, height: 2, channels: 3, background: "#fff" } }).png().toBuffer());
    const { display, calls } = recordingDisplay();
    await displayImage(png, { caption: "a <grid>", display });
    const bundle = calls[0].bundle;
    expect(Buffer.from(String(bundle["image/png"]), "base64").equals(Buffer.from(png))).toBe(true);
    expect(String(bundle["text/html"])).toContain("<figcaption");
    expect(String(bundle["text/html"])).toContain("a &lt;grid&gt;");
    expect(bundle["text/plain"]).toBe("[image: a <grid>]");
  });

  it("rejects bytes that are not a PNG, naming what to pass", async () => {
    const { display } = recordingDisplay();
    await expect(displayImage(new TextEncoder().encode("GIF89a......"), { display })).rejects.toThrow(
      "Image of 12 bytes is not a PNG (no PNG signature); pass PNG bytes, e.g. from imageGrid",
    );
  });
});
