/**
 * Lock files held by one live process: a sweep folder's driver, a run that
 * trains another run's source. The file appears whole (linked in), names
 * its holder (pid, host, since when, for what) and is removed on release; a
 * file left by a process that no longer exists is taken over.
 *
 * @module
 */
import { readlinkSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { link, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname } from "node:path";
import process from "node:process";

/** Who holds a lock, as its file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken; empty for a lock file from before locks named it. */
  since: string;
  /** What the holder does under the lock, for messages. */
  purpose: string;
}

/** What {@linkcode takeLock} got: the lock, or the live (or uncheckable) holder that has it. */
export type LockAttempt =
  | { taken: true; release: () => Promise<void> }
  | {
    taken: false;
    holder: LockHolder;
    /** False when the holder runs on another host, whose processes cannot be checked from here. */
    checkable: boolean;
  };

/**
 * Takes the lock at `path` (creating its folder), or says who holds it. A
 * holder on this host whose process is gone left a stale lock: it is removed
 * and taken. A holder on another host is believed (its liveness cannot be
 * checked); the caller's message should name the file to delete if that host
 * is gone.
 *
 * @param path The lock file.
 * @param purpose What the caller does under the lock, written into the file.
 * @returns The lock with its release, or the holder.
 * @example
 * ```ts
 * const lock = await takeLock("results/locks/x.lock", "training x");
 * if (lock.taken) { try { await work(); } finally { await lock.release(); } }
 * ```
 */
export async function takeLock(path: string, purpose: string): Promise<LockAttempt> {
  await mkdir(dirname(path), { recursive: true });
  const mine: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
  // The holder is written to a file of its own first and linked in as the lock: creating the lock file and then
  // writing it would let another taker read it empty in between, judge its holder dead and take it too.
  const draft = `${path}.${process.pid}-${randomUUID()}.draft`;
  await writeFile(draft, JSON.stringify(mine) + "\n");
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, path);
        return { taken: true, release: () => rm(path, { force: true }) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const text = await readLockText(path);
      if (text === undefined) continue; // released between our link and our read
      const holder = parseHolder(text);
      if (holder.host !== mine.host) return { taken: false, holder, checkable: false };
      if (processAlive(holder.pid)) return { taken: false, holder, checkable: true };
      await removeStaleLock(path, text); // its process is gone (killed, crashed)
    }
  } finally {
    await rm(draft, { force: true });
  }
  throw new Error(`Could not take the lock ${path}; remove it if no process named in it is running`);
}

/**
 * Removes the lock file at `path` if it still holds `staleText`. Two takers can judge the same dead holder's
 * file stale; the second must not delete the lock the first has taken since. The file is moved aside (atomic), and
 * put back when what was moved is not the stale lock.
 */
async function removeStaleLock(path: string, staleText: string): Promise<void> {
  const aside = `${path}.${process.pid}-${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // another taker removed it already
    throw error;
  }
  try {
    if (await readLockText(aside) !== staleText) await link(aside, path).catch(() => {});
  } finally {
    await rm(aside, { force: true });
  }
}

/**
 * Whether process `pid` on this host is alive and a Deno process (a pid that
 * is alive but not Deno's was reused by the system for something else).
 *
 * @param pid A process id.
 * @returns True while it runs.
 * @example
 * ```ts
 * console.assert(processAlive(Deno.pid));
 * ```
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    // The executable, not the command line: vitest and others rename their process title.
    return basename(readlinkSync(`/proc/${pid}/exe`)).startsWith("deno");
  } catch {
    return true; // no /proc (macOS), or not ours to read: the signal check is all there is
  }
}

async function readLockText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

// A lock file is JSON; a sweep.lock from before holds the pid alone. Unreadable content counts as a dead holder.
function parseHolder(text: string): LockHolder {
  const here = hostname();
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder> | number;
    if (typeof parsed === "number") return { pid: parsed, host: here, since: "", purpose: "" };
    return {
      pid: Number(parsed.pid),
      host: typeof parsed.host === "string" ? parsed.host : here,
      since: typeof parsed.since === "string" ? parsed.since : "",
      purpose: typeof parsed.purpose === "string" ? parsed.purpose : "",
    };
  } catch {
    return { pid: 0, host: here, since: "", purpose: "" };
  }
}
