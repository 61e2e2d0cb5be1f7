import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A private tmux server (own socket) running one command in a fixed-size pane. */
export interface TmuxSession {
  capture(): string;
  send(...keys: string[]): void;
  /** Types literal text (no key-name interpretation). */
  type(text: string): void;
  /** Pastes text as a terminal does (bracketed paste when the program asked for it). */
  paste(text: string): void;
  waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  kill(): void;
}

function tmux(socket: string, args: string[]): string {
  const r = Bun.spawnSync(["tmux", "-S", socket, ...args], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

/** Starts `command` (argv) in tmux with exactly `env`; its exit code is written to `<dir>/exit-code`. */
export function startTmux(options: {
  dir: string;
  cwd: string;
  env: Record<string, string>;
  argv: string[];
}): TmuxSession {
  const socket = join(options.dir, "tmux.sock");
  const script = join(options.dir, "run.sh");
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // `env -i`: the tmux server inherits the test runner's environment (CI=true on CI, the developer's keys), and none
  // of it may reach the program.
  const assignments = Object.entries({ ...options.env, TERM: "xterm-256color" })
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(" ");
  writeFileSync(
    script,
    `#!/bin/sh\ncd ${quote(options.cwd)}\nenv -i ${assignments} ${options.argv.map(quote).join(" ")}\necho $? > ${quote(join(options.dir, "exit-code"))}\nsleep 60\n`,
    { mode: 0o755 },
  );
  tmux(socket, ["-f", "/dev/null", "new-session", "-d", "-s", "cli", "-x", "140", "-y", "50", script]);
  const session: TmuxSession = {
    capture: () => tmux(socket, ["capture-pane", "-p", "-J", "-S", "-200", "-t", "cli"]),
    send: (...keys) => {
      tmux(socket, ["send-keys", "-t", "cli", ...keys]);
    },
    type: (text) => {
      tmux(socket, ["send-keys", "-t", "cli", "-l", text]);
    },
    paste: (text) => {
      tmux(socket, ["set-buffer", "-b", "paste", text]);
      tmux(socket, ["paste-buffer", "-p", "-b", "paste", "-t", "cli"]);
    },
    async waitFor(predicate, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = session.capture();
        if (predicate(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
        await Bun.sleep(50);
      }
    },
    kill: () => {
      try {
        tmux(socket, ["kill-server"]);
      } catch {
        // already gone
      }
    },
  };
  return session;
}

export async function waitForFile(path: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await Bun.sleep(50);
  }
}
