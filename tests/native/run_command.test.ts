import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/native/run_command.ts";
import { BackendError } from "../../src/core/errors.ts";

describe("runCommand", () => {
  it("returns the output of a quiet command", async () => {
    expect(await runCommand("sh", ["-c", "echo hello; echo there >&2"], { cwd: ".", quiet: true })).toBe("hello\nthere\n");
  });

  it("names the command, its exit code and its output when it fails", async () => {
    const failing = runCommand("sh", ["-c", "echo no wheel >&2; exit 3"], { cwd: ".", quiet: true });
    await expect(failing).rejects.toThrow(BackendError);
    await expect(runCommand("sh", ["-c", "echo no wheel >&2; exit 3"], { cwd: ".", quiet: true })).rejects.toThrow(
      '"sh -c echo no wheel >&2; exit 3" failed with exit code 3:\nno wheel',
    );
  });

  it("says to install a program that is missing", async () => {
    await expect(runCommand("no-such-program-fer", [], { cwd: "." })).rejects.toThrow(
      /^Could not start "no-such-program-fer": .*; install no-such-program-fer and run the setup again$/,
    );
  });
});
