import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { processAlive, takeLock } from "../../src/core/process_lock.ts";

const DEAD_PID = 2147483646; // beyond any pid the system hands out

async function lockPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "fer-lock-")), "nested", "x.lock");
}

describe("takeLock", () => {
  it("creates the file naming its holder, refuses a second taker while held, and frees it on release", async () => {
    const path = await lockPath();
    const first = await takeLock(path, "training x");
    expect(first.taken).toBe(true);
    const written = JSON.parse(await readFile(path, "utf8"));
    expect(written).toMatchObject({ pid: process.pid, host: hostname(), purpose: "training x" });
    expect(Number.isNaN(Date.parse(written.since))).toBe(false);

    const second = await takeLock(path, "training x again");
    expect(second).toMatchObject({ taken: false, checkable: true, holder: { pid: process.pid, purpose: "training x" } });
    if (first.taken) await first.release();
    expect(existsSync(path)).toBe(false);
    const third = await takeLock(path, "training x later");
    expect(third.taken).toBe(true);
    if (third.taken) await third.release();
  });

  it("goes to one of many takers at once: none reads a lock file before its holder is written in it", async () => {
    // A file created empty and written after would read as unreadable (a dead holder) and be taken over.
    for (let round = 0; round < 5; round++) {
      const path = await lockPath();
      const attempts = await Promise.all(Array.from({ length: 16 }, (_, i) => takeLock(path, `taker ${i}`)));
      expect(attempts.filter((a) => a.taken)).toHaveLength(1);
      expect(attempts.filter((a) => !a.taken && a.holder.purpose.startsWith("taker "))).toHaveLength(15);
      expect(await readdir(dirname(path))).toEqual(["x.lock"]);
      for (const attempt of attempts) if (attempt.taken) await attempt.release();
    }
  });

  it("takes over a lock whose process is gone, in the JSON form or as a bare pid (a sweep.lock from before)", async () => {
    for (const text of [JSON.stringify({ pid: DEAD_PID, host: hostname(), since: "2026-01-01T00:00:00Z", purpose: "p" }), `${DEAD_PID}\n`, "not a lock"]) {
      const path = await lockPath();
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      const lock = await takeLock(path, "after a crash");
      expect(lock.taken).toBe(true);
      expect(JSON.parse(await readFile(path, "utf8")).purpose).toBe("after a crash");
    }
  });

  it("gives a dead holder's lock to one of two takers judging it stale at once", async () => {
    // The second must not remove the lock the first has taken since: it moves the file aside and puts it back.
    for (let round = 0; round < 10; round++) {
      const path = await lockPath();
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, JSON.stringify({ pid: DEAD_PID, host: hostname(), since: "2026-01-01T00:00:00Z", purpose: "p" }));
      const attempts = await Promise.all([takeLock(path, "a"), takeLock(path, "b")]);
      expect(attempts.filter((a) => a.taken)).toHaveLength(1);
      const holder = JSON.parse(await readFile(path, "utf8")).purpose;
      expect(attempts.find((a) => !a.taken)).toMatchObject({ holder: { purpose: holder } });
      expect(await readdir(dirname(path))).toEqual(["x.lock"]);
    }
  });

  it("believes a holder on another host, whose process cannot be checked from here", async () => {
    const path = await lockPath();
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify({ pid: DEAD_PID, host: "elsewhere.example", since: "2026-01-01T00:00:00Z", purpose: "p" }));
    expect(await takeLock(path, "here")).toEqual({
      taken: false,
      checkable: false,
      holder: { pid: DEAD_PID, host: "elsewhere.example", since: "2026-01-01T00:00:00Z", purpose: "p" },
    });
  });
});

describe("processAlive", () => {
  it("is true for this (Deno) process and false for a pid no process has", () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(DEAD_PID)).toBe(false);
    expect(processAlive(0)).toBe(false);
  });
});
