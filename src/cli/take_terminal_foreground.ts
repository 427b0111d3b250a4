/**
 * Makes a run the only receiver of the terminal's Ctrl-C.
 *
 * `npx deno task fer run ...` starts the run under wrappers (npm exec, the
 * deno package's Node launcher, deno task). Ctrl-C signals the terminal's
 * whole foreground process group; the Node launcher dies of it at once, so
 * the shell prompt came back while the run was still saving its folder, and
 * a second Ctrl-C could no longer reach it. Moving the run into a process
 * group of its own and making that group the terminal's foreground group
 * sends Ctrl-C to the run alone: the wrappers keep waiting for it, and the
 * prompt returns when the run has finished.
 *
 * @module
 */

/** SIGTTOU has the same number on Linux and macOS. */
const SIGTTOU = 22;

const LIBC: Partial<Record<string, string>> = { linux: "libc.so.6", darwin: "libSystem.dylib" };

/**
 * Puts this process in a new process group in the terminal's foreground,
 * when it runs in a terminal's foreground group it does not lead (that is,
 * under wrappers). Elsewhere (no terminal, a pipe, Windows, already a group
 * leader started by the shell itself) it changes nothing.
 *
 * @returns A function that hands the terminal back to the original group;
 *   call it before the process exits. Calling it twice is harmless.
 * @example
 * ```ts
 * const handBack = takeTerminalForeground();
 * try {
 *   // ... run, with Ctrl-C reaching only this process
 * } finally {
 *   handBack();
 * }
 * ```
 */
export function takeTerminalForeground(): () => void {
  const nothing = () => {};
  const library = LIBC[Deno.build.os];
  if (library === undefined || !Deno.stdin.isTerminal()) return nothing;
  let libc;
  try {
    libc = Deno.dlopen(library, {
      setpgid: { parameters: ["i32", "i32"], result: "i32" },
      getpgrp: { parameters: [], result: "i32" },
      tcgetpgrp: { parameters: ["i32"], result: "i32" },
      tcsetpgrp: { parameters: ["i32", "i32"], result: "i32" },
      signal: { parameters: ["i32", "pointer"], result: "pointer" },
    });
  } catch {
    return nothing;
  }
  const c = libc.symbols;
  const original = c.tcgetpgrp(0);
  if (original !== c.getpgrp() || original === Deno.pid) {
    libc.close();
    return nothing;
  }
  // A background group that changes the terminal's foreground gets SIGTTOU,
  // which would stop it; ignore it while switching.
  const withTtouIgnored = (action: () => void) => {
    const previous = c.signal(SIGTTOU, Deno.UnsafePointer.create(1n));
    try {
      action();
    } finally {
      c.signal(SIGTTOU, previous);
    }
  };
  let moved = false;
  withTtouIgnored(() => {
    if (c.setpgid(0, 0) !== 0) return;
    moved = c.tcsetpgrp(0, Deno.pid) === 0;
    // Back into the original group, or Ctrl-C would reach no one.
    if (!moved) c.setpgid(0, original);
  });
  if (!moved) {
    libc.close();
    return nothing;
  }
  let handedBack = false;
  return () => {
    if (handedBack) return;
    handedBack = true;
    withTtouIgnored(() => c.tcsetpgrp(0, original));
    libc.close();
  };
}
