import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Env } from "@ml-intern/core";
import type { ExecOptions, ExecResult, SandboxBackend } from "../backend.ts";
import { SandboxFileError } from "../errors.ts";
import { buildBwrapArgs, listGpuDevices, probeStaticDev, requireBubblewrap } from "./bwrap.ts";
import { readConfinedFile, statConfined, writeConfinedFile } from "./host-files.ts";
import { killGroup, runProcess } from "./process-runner.ts";
import { createProcessSpawner, type ProcessSpawner, type SpawnerKind } from "./process-spawner.ts";
import { buildSandboxEnv } from "./sandbox-env.ts";
import { createStaticDev } from "./static-dev.ts";
import { findExecutable } from "./which.ts";
import { type PathRoots, resolveSandboxPath } from "./workspace-paths.ts";

export interface LocalBackendOptions {
  /** Directory the agent works in; the only place commands and file tools may write. Created if missing. */
  workspace: string;
  /** "bwrap" (default) isolates with bubblewrap; "none" runs directly on this machine (explicit opt-out). */
  isolation?: "bwrap" | "none";
  /** Network access for commands under bubblewrap (default true). */
  network?: boolean;
  /** Host variables to pass through besides the default allowlist (e.g. ["HF_TOKEN"]). */
  allowEnv?: readonly string[];
  /** Explicit variables for every command. */
  env?: Readonly<Record<string, string>>;
  /** Host environment to read allowlisted variables from; defaults to process.env. */
  hostEnv?: Env;
  /** Private state (home, /tmp, spill files); a fresh temp dir, removed on dispose, by default. */
  stateDir?: string;
  /** The user's home directory to hide; defaults to os.homedir(). */
  homeDir?: string;
  bwrapPath?: string;
  /**
   * Pseudo-terminals for commands (tmux, script, expect, python's pty): a private devpts via bwrap's `--dev`.
   * Default false: as root, /dev is then a directory prepared once per session (null, zero, full, random,
   * urandom, tty, a private /dev/shm; read-only for the sandbox), which saves about 1.2 ms per command.
   * Not root: always bwrap's `--dev`.
   */
  ptys?: boolean;
  /** How commands are started: "bun" (Bun.spawn, the default under Bun) or "node" (node:child_process, any runtime). */
  spawner?: SpawnerKind;
  maxOutputChars?: number;
  /** Warnings (stderr by default). */
  warn?: (message: string) => void;
}

export const NO_SANDBOX_WARNING =
  "WARNING: sandboxing is DISABLED (--dangerously-no-sandbox). The agent's commands run directly on this machine with your permissions and your full environment is readable by them.";

/** A prepared /dev for every command of the session, or undefined (bwrap's --dev then) when it does not work here. */
async function prepareStaticDev(
  bwrapPath: string,
  dir: string,
  spawner: ProcessSpawner,
): Promise<string | undefined> {
  if (!(await createStaticDev(dir, spawner))) return undefined;
  if (await probeStaticDev(bwrapPath, dir, spawner)) return dir;
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  return undefined;
}

/** Creates a local backend; with bubblewrap it probes first and throws SandboxUnavailableError if it cannot isolate. */
export async function createLocalBackend(options: LocalBackendOptions): Promise<SandboxBackend> {
  const isolation = options.isolation ?? "bwrap";
  const warn = options.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  const spawner = createProcessSpawner(options.spawner);
  const bwrapPath =
    isolation === "bwrap" ? await requireBubblewrap({ bwrapPath: options.bwrapPath, spawner }) : undefined;
  if (isolation === "none") warn(NO_SANDBOX_WARNING);

  await mkdir(options.workspace, { recursive: true });
  const workspace = await realpath(options.workspace);
  const ownsState = !options.stateDir;
  const stateDir = await realpath(
    options.stateDir
      ? await mkdir(options.stateDir, { recursive: true }).then(() => options.stateDir as string)
      : await mkdtemp(join(tmpdir(), "ml-intern-sandbox-")),
  );
  const spillDir = join(stateDir, "outputs");
  const privateHome = join(stateDir, "home");
  const privateTmp = join(stateDir, "tmp");
  await Promise.all([spillDir, privateHome, privateTmp].map((d) => mkdir(d, { recursive: true })));
  const hostEnv = options.hostEnv ?? process.env;
  const home = options.homeDir ?? homedir();
  // A home that does not exist has nothing to hide and no mount point: commands then get HOME=/tmp.
  const hideHome = isolation === "bwrap" && existsSync(home) && home !== "/";
  const roots: PathRoots = { workspace, readOnly: [spillDir] };
  const env = buildSandboxEnv({
    hostEnv,
    allowEnv: options.allowEnv,
    env: options.env,
    home: isolation === "bwrap" ? (hideHome ? home : "/tmp") : (hostEnv.HOME ?? home),
    tmpDir: isolation === "bwrap" ? "/tmp" : (hostEnv.TMPDIR ?? tmpdir()),
  });
  const devices = isolation === "bwrap" ? listGpuDevices() : [];
  const staticDev =
    bwrapPath && !options.ptys && process.getuid?.() === 0
      ? await prepareStaticDev(bwrapPath, join(stateDir, "dev"), spawner)
      : undefined;
  const shell = findExecutable("bash") ?? "/bin/sh";

  const groups = new Set<number>();
  const running = new Set<() => void>();
  let counter = 0;
  let disposed = false;

  const resolveCwd = async (cwd: string | undefined) => {
    if (!cwd) return workspace;
    const path = await resolveSandboxPath(roots, cwd, "write");
    const s = await statConfined(roots, path);
    if (!s.isDirectory) throw new SandboxFileError("not_found", `Working directory ${cwd} does not exist.`);
    return path;
  };

  return {
    kind: isolation === "bwrap" ? "local-bwrap" : "local-unrestricted",
    workspace,
    async exec(command: string, exec: ExecOptions): Promise<ExecResult> {
      if (disposed) throw new Error("The sandbox has been disposed.");
      const cwd = await resolveCwd(exec.cwd);
      // Merge stderr into stdout inside the shell so the two are interleaved in order.
      const script = `exec 2>&1\n${command}`;
      const argv = bwrapPath
        ? [
            bwrapPath,
            ...buildBwrapArgs({
              workspace,
              home: hideHome ? home : undefined,
              privateHome,
              privateTmp,
              readOnlyBinds: [spillDir],
              devices,
              staticDev,
              network: options.network ?? true,
              env,
              cwd,
            }),
            "--",
            shell,
            "-c",
            script,
          ]
        : [shell, "-c", script];
      counter += 1;
      return runProcess({
        argv,
        env: bwrapPath ? {} : env,
        cwd: bwrapPath ? undefined : cwd,
        spawner,
        timeoutMs: exec.timeoutMs,
        signal: exec.signal,
        onOutput: exec.onOutput,
        spillDir,
        spillName: `${Date.now()}_${counter}_${randomBytes(3).toString("hex")}`,
        maxOutputChars: options.maxOutputChars,
        onSpawn: (pgid) => groups.add(pgid),
        registerKill: (kill) => {
          running.add(kill);
          return () => running.delete(kill);
        },
      });
    },
    readFile: (path) => readConfinedFile(roots, path),
    writeFile: (path, content) => writeConfinedFile(roots, path, content),
    stat: (path) => statConfined(roots, path),
    async killAll() {
      const kills = [...running];
      for (const kill of kills) kill();
      return kills.length;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const kill of running) kill();
      const alive = [...groups].filter((pgid) => killGroup(pgid, "SIGTERM"));
      if (alive.length) {
        await delay(100);
        for (const pgid of alive) killGroup(pgid, "SIGKILL");
      }
      groups.clear();
      if (ownsState) await rm(stateDir, { recursive: true, force: true }).catch(() => undefined);
      else if (staticDev) await rm(staticDev, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
