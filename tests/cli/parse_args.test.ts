import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/parse_args.ts";
import { parseClassList } from "../../src/cli/parse_class_list.ts";
import { ConfigError } from "../../src/core/errors.ts";

const SPEC = { command: "data import", flags: { out: "string", overwrite: "boolean" } as const, positionals: [1, 1] as [number, number] };

describe("parseArgs", () => {
  it("reads positionals, --name value, --name=value and switches", () => {
    expect(parseArgs(["a.zip", "--out", "data/x", "--overwrite"], SPEC)).toEqual({
      positionals: ["a.zip"], flags: { out: "data/x", overwrite: true }, help: false,
    });
    expect(parseArgs(["--out=data/y", "a.zip"], SPEC).flags.out).toBe("data/y");
  });

  it("treats everything after -- as positional", () => {
    expect(parseArgs(["--", "--weird.zip"], SPEC).positionals).toEqual(["--weird.zip"]);
  });

  it("sets help and skips the positional count for --help", () => {
    expect(parseArgs(["--help"], SPEC).help).toBe(true);
  });

  it("rejects an unknown option and names the known ones", () => {
    expect(() => parseArgs(["a.zip", "--ovewrite"], SPEC)).toThrow(
      "Unknown option --ovewrite for data import; known: --out, --overwrite; run deno task fer data import --help",
    );
  });

  it("rejects an option that needs a value when none follows", () => {
    expect(() => parseArgs(["a.zip", "--out"], SPEC)).toThrow("Option --out needs a value");
  });

  it("rejects a value given to a switch", () => {
    expect(() => parseArgs(["a.zip", "--overwrite=yes"], SPEC)).toThrow('Option --overwrite takes no value, found "yes"');
  });

  it("rejects a wrong number of positionals with a ConfigError", () => {
    expect(() => parseArgs(["a.zip", "b.zip"], SPEC)).toThrow(ConfigError);
    expect(() => parseArgs([], SPEC)).toThrow("Command data import takes 1 argument(s), found 0");
  });
});

describe("parseClassList", () => {
  it("splits on commas and trims spaces", () => {
    expect(parseClassList(" happy, sad ,neutral")).toEqual(["happy", "sad", "neutral"]);
  });

  it("rejects a class named twice", () => {
    expect(() => parseClassList("happy,happy")).toThrow('Option --classes names "happy" twice');
  });

  it("rejects an empty list", () => {
    expect(() => parseClassList(" , ")).toThrow(ConfigError);
  });
});
