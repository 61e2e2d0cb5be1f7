import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, readdirSync, realpathSync } from "node:fs";
import { chown, mkdir, mkdtemp, realpath, rm, stat, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Env } from "@ml-intern/tool";
import type { ExecOptions, ExecResult, SandboxBackend } from "../backend.ts";
import { DEFAULT_PIDS_MAX, DEFAULT_TMP_SIZE_BYTES, MAX_FILE_BYTES } from "../core/limits.ts";
import { SandboxFileError, SandboxUnavailableError } from "../errors.ts";
import {
  ancestorsBelow,
  buildBwrapArgs,
  listGpuDevices,
  probeStaticDev,
  requireBubblewrap,
  type SandboxNetwork,
} from "./bwrap.ts";
import { type SandboxSession, startSandboxSession } from "./bwrap-session.ts";
import { createSessionCgroup } from "./cgroup.ts";
import { readConfinedFile, statConfined, writeConfinedFile } from "./host-files.ts";
import { type FilteringProxy, type ProxyResolver, startFilteringProxy } from "./network-proxy.ts";
import { killGroup, runProcess } from "./process-runner.ts";
import { createProcessSpawner, type ProcessSpawner, type SpawnerKind } from "./process-spawner.ts";
import { buildSandboxEnv } from "./sandbox-env.ts";
import { buildSeatbeltProfile, seatbeltArgv } from "./seatbelt.ts";
import { SESSION_INIT_SOURCE } from "./session-init.ts";
import { markStateDir, removeStaleStateDirs, STATE_DIR_PREFIX } from "./state-dirs.ts";
import { createStaticDev } from "./static-dev.ts";
import { findExecutable } from "./which.ts";
import { isInside, type PathRoots, protectedWorkspacePaths, resolveSandboxPath } from "./workspace-paths.ts";

export interface LocalBackendOptions {
  /** Directory the agent works in; the only place commands and file tools may write. Created if missing. */
  workspace: string;
  /**
   * "bwrap" (default) isolates with bubblewrap on Linux and is served by Seatbelt (`sandbox-exec`) on macOS;
   * "seatbelt" asks for Seatbelt explicitly; "none" runs directly on this machine (explicit opt-out).
   */
  isolation?: "bwrap" | "seatbelt" | "none";
  /** sandbox-exec to use on macOS (tests); default /usr/bin/sandbox-exec. */
  sandboxExecPath?: string;
  /** The platform (tests); default process.platform. */
  platform?: NodeJS.Platform;
  /**
   * Network access for commands under bubblewrap: "on" (default; the host network, loopback included), "off"
   * (a network namespace of their own: no host loopback, no network), or `{ allowDomains }`: only those
   * domains, over HTTP(S) through a filtering proxy on the host. `true`/`false` mean "on"/"off".
   */
  network?: boolean | SandboxNetwork;
  /** Resolves names for the allowlist proxy (tests map names to local servers); default dns.lookup. */
  proxyResolver?: ProxyResolver;
  /**
   * When the host runs as root: the uid/gid commands run as. Default: the workspace's owner when that is not
   * root; with a root-owned workspace, root without capabilities (see the README's safety section).
   */
  runAs?: { uid: number; gid: number } | "root";
  /** Host variables to pass through besides the default allowlist (e.g. ["HF_TOKEN"]). */
  allowEnv?: readonly string[];
  /** Explicit variables for every command. */
  env?: Readonly<Record<string, string>>;
  /** Host environment to read allowlisted variables from; defaults to process.env. */
  hostEnv?: Env;
  /** Private state (home, spill files); a fresh temp dir, removed on dispose, by default. */
  stateDir?: string;
  /** The user's home directory to hide; defaults to os.homedir(). */
  homeDir?: string;
  bwrapPath?: string;
  /**
   * Pseudo-terminals for commands (tmux, script, expect, python's pty): a private devpts via bwrap's `--dev`.
   * Default false: as root, /dev is then a directory prepared once per session (null, zero, full, random,
   * urandom, tty, a private /dev/shm; read-only for the sandbox). Not root: always bwrap's `--dev`.
   */
  ptys?: boolean;
  /** How unsandboxed commands and probes are started: "bun" (Bun.spawn, the default under Bun) or "node". */
  spawner?: SpawnerKind;
  maxOutputChars?: number;
  /** Cap of one command's spill file (default 32 MiB). */
  maxSpillBytes?: number;
  /** Size of the session's private /tmp, a tmpfs (default 2 GiB). */
  tmpSizeBytes?: number;
  /** Most processes in the session (default 4,096): cgroup v2 pids.max, else RLIMIT_NPROC for a non-root uid. */
  pidsMax?: number;
  /** Memory of the session (cgroup v2 memory.max, enforced only where the memory controller is delegated). */
  memoryMaxBytes?: number;
  /** Largest file the file tools read whole (default 32 MiB). */
  maxFileBytes?: number;
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
  owner?: number,
): Promise<string | undefined> {
  if (!(await createStaticDev(dir, spawner, "/dev", owner))) return undefined;
  if (await probeStaticDev(bwrapPath, dir, spawner)) return dir;
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  return undefined;
}

/** Port the session init listens on (inside the sandbox's own network namespace) for the allowlist proxy. */
const PROXY_PORT = 3128;

function normaliseNetwork(network: LocalBackendOptions["network"]): SandboxNetwork {
  if (network === undefined || network === true) return "on";
  if (network === false) return "off";
  return network;
}

/** Host directories where daemons keep Unix sockets; the sandbox gets empty ones instead. */
function socketDirs(): { hidden: string[]; rebound: string[] } {
  const hidden: string[] = [];
  for (const dir of ["/run", "/var/run", "/var/lib/sss/pipes", "/mnt/wslg"]) {
    try {
      if (lstatSync(dir).isDirectory()) hidden.push(dir);
    } catch {}
  }
  // A resolv.conf that points under /run (systemd-resolved) stays readable, so DNS keeps working.
  const rebound: string[] = [];
  try {
    const resolv = realpathSync("/etc/resolv.conf");
    if (hidden.some((dir) => resolv.startsWith(`${dir}/`))) rebound.push(dirname(resolv));
  } catch {}
  return { hidden, rebound };
}

/** Files only root may read that a sandbox running as root (without capabilities) could otherwise read. */
function rootSecrets(): string[] {
  const files = ["/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers"];
  try {
    for (const name of readdirSync("/etc/ssh"))
      if (/^ssh_host_.*_key$/.test(name)) files.push(`/etc/ssh/${name}`);
  } catch {}
  return files.filter((file) => {
    try {
      return lstatSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** Who runs the commands: undefined keeps bwrap's own user (the caller's, or root without capabilities). */
async function chooseUser(
  runAs: LocalBackendOptions["runAs"],
  workspace: string,
): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0 || runAs === "root") return undefined;
  if (runAs) return runAs.uid === 0 ? undefined : runAs;
  const info = await stat(workspace);
  return info.uid === 0 ? undefined : { uid: info.uid, gid: info.gid };
}

/** The runtime that runs the session init (this one), and a bind for it when the hidden home holds it. */
function initRuntime(home: string | undefined): {
  argv: string[];
  bind?: string;
  env: Record<string, string>;
} {
  const exe = process.execPath;
  const bind = home && isInside(home, exe) ? dirname(exe) : undefined;
  // A `bun build --compile` executable behaves as plain bun with BUN_BE_BUN.
  const env: Record<string, string> = typeof Bun !== "undefined" ? { BUN_BE_BUN: "1" } : {};
  return { argv: [exe, "-e", SESSION_INIT_SOURCE], bind, env };
}

/** sandbox-exec (macOS), or SandboxUnavailableError. The domain allowlist needs bubblewrap for now. */
function requireSeatbelt(network: SandboxNetwork, given?: string): string {
  const path = given ? findExecutable(given) : findExecutable("sandbox-exec", "/usr/bin");
  if (!path) throw new SandboxUnavailableError("`sandbox-exec` (macOS Seatbelt) was not found in /usr/bin.");
  if (typeof network === "object") {
    throw new SandboxUnavailableError(
      'a domain allowlist (`network: { allowDomains }`) is only available with bubblewrap on Linux so far; use "on" or "off" on macOS.',
    );
  }
  return path;
}

/** Creates a local backend; with bubblewrap it probes first and throws SandboxUnavailableError if it cannot isolate. */
export async function createLocalBackend(options: LocalBackendOptions): Promise<SandboxBackend> {
  const requested = options.isolation ?? "bwrap";
  const platform = options.platform ?? process.platform;
  // macOS has no bubblewrap: its own sandbox (Seatbelt) serves the default.
  const isolation = requested === "bwrap" && platform === "darwin" ? "seatbelt" : requested;
  const warn = options.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  const spawner = createProcessSpawner(options.spawner);
  const network = normaliseNetwork(options.network);
  const sandboxExec =
    isolation === "seatbelt" ? requireSeatbelt(network, options.sandboxExecPath) : undefined;
  const bwrapPath =
    isolation === "bwrap"
      ? await requireBubblewrap({ bwrapPath: options.bwrapPath, spawner, network: network === "on" })
      : undefined;
  if (isolation === "none") warn(NO_SANDBOX_WARNING);

  await mkdir(options.workspace, { recursive: true });
  const workspace = await realpath(options.workspace);
  const ownsState = !options.stateDir;
  if (ownsState) await removeStaleStateDirs(tmpdir());
  const stateDir = await realpath(
    options.stateDir
      ? await mkdir(options.stateDir, { recursive: true }).then(() => options.stateDir as string)
      : await mkdtemp(join(tmpdir(), STATE_DIR_PREFIX)),
  );
  if (ownsState) await markStateDir(stateDir);
  const spillDir = join(stateDir, "outputs");
  const privateHome = join(stateDir, "home");
  const privateTmp = join(stateDir, "tmp");
  await Promise.all([spillDir, privateHome, privateTmp].map((d) => mkdir(d, { recursive: true })));
  const hostEnv = options.hostEnv ?? process.env;
  const home = options.homeDir ?? homedir();
  // A home that does not exist has nothing to hide and no mount point: commands then get HOME=/tmp.
  const hideHome = isolation !== "none" && existsSync(home) && home !== "/";
  const protectedPaths = bwrapPath ? await protectedWorkspacePaths(workspace) : [];
  const roots: PathRoots = { workspace, readOnly: [spillDir], protectedPaths };
  const env = buildSandboxEnv({
    hostEnv,
    allowEnv: options.allowEnv,
    env: options.env,
    home:
      isolation === "bwrap" ? (hideHome ? home : "/tmp") : sandboxExec ? privateHome : (hostEnv.HOME ?? home),
    tmpDir: isolation === "bwrap" ? "/tmp" : sandboxExec ? privateTmp : (hostEnv.TMPDIR ?? tmpdir()),
  });
  const shell = findExecutable("bash") ?? "/bin/sh";
  const user = bwrapPath ? await chooseUser(options.runAs, workspace) : undefined;
  const maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const writeOptions = user ? { owner: user } : {};

  const running = new Set<() => void>();
  let counter = 0;
  let disposed = false;

  // --- bubblewrap: one sandbox per session, started on first use -------------------------------------
  let session: Promise<SandboxSession> | undefined;
  let proxy: FilteringProxy | undefined;
  let staticDev: string | undefined;
  const startSession = async (): Promise<SandboxSession> => {
    if (!bwrapPath) throw new Error("no bubblewrap");
    if (user) {
      await chown(privateHome, user.uid, user.gid);
      await chown(spillDir, user.uid, user.gid);
    }
    const devices = listGpuDevices();
    if (staticDev === undefined && !options.ptys && process.getuid?.() === 0) {
      staticDev = await prepareStaticDev(bwrapPath, join(stateDir, "dev"), spawner, user ? 0 : undefined);
    }
    let proxyDir: string | undefined;
    const initConfig: Record<string, unknown> = {};
    const sessionEnv = { ...env };
    if (typeof network === "object") {
      proxyDir = join(stateDir, "proxy");
      await mkdir(proxyDir, { recursive: true, mode: 0o755 });
      const socketPath = join(proxyDir, "proxy.sock");
      await rm(socketPath, { force: true });
      proxy ??= await startFilteringProxy({
        socketPath,
        allowDomains: network.allowDomains,
        resolve: options.proxyResolver,
        allowLoopback: options.proxyResolver !== undefined,
      });
      if (user) await chown(socketPath, user.uid, user.gid).catch(() => undefined);
      initConfig.proxy = { socket: socketPath, port: PROXY_PORT };
      const url = `http://127.0.0.1:${PROXY_PORT}`;
      for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]) sessionEnv[name] = url;
      sessionEnv.NO_PROXY = "";
      sessionEnv.no_proxy = "";
    }
    commandEnv = sessionEnv;
    const runtime = initRuntime(hideHome ? home : undefined);
    const dirs = socketDirs();
    const bound = [
      workspace,
      spillDir,
      ...(proxyDir ? [proxyDir] : []),
      ...(runtime.bind ? [runtime.bind] : []),
    ];
    const traversable = user
      ? [
          ...new Set(
            bound.flatMap((p) => [
              ...ancestorsBelow("/tmp", p),
              ...(hideHome ? ancestorsBelow(home, p) : []),
            ]),
          ),
        ]
      : [];
    const empty = join(stateDir, "empty");
    await writeFile(empty, "", { mode: 0o444 });
    const args = buildBwrapArgs({
      workspace,
      home: hideHome ? home : undefined,
      privateHome,
      tmpSizeBytes: options.tmpSizeBytes ?? DEFAULT_TMP_SIZE_BYTES,
      readOnlyBinds: [spillDir, ...(runtime.bind ? [runtime.bind] : [])],
      protectedPaths,
      hiddenDirs: dirs.hidden,
      hiddenFiles: user ? [] : rootSecrets(),
      emptyFile: empty,
      traversable,
      reboundDirs: network === "on" ? dirs.rebound : [],
      devices,
      staticDev,
      network: network === "on" ? "on" : network === "off" ? "off" : "proxy",
      proxyDir,
      switchUser: user !== undefined,
      env: { ...runtime.env, ML_INTERN_SANDBOX_INIT: JSON.stringify(initConfig) },
      cwd: "/",
    });
    const cgroup = await createSessionCgroup({
      pidsMax: options.pidsMax ?? DEFAULT_PIDS_MAX,
      memoryMaxBytes: options.memoryMaxBytes,
    });
    const prefix: string[] = [];
    if (user) {
      const setpriv = findExecutable("setpriv");
      if (!setpriv) {
        await cgroup?.remove();
        throw new SandboxUnavailableError(
          "`setpriv` (util-linux) is needed to run commands as an unprivileged user but was not found on PATH.",
        );
      }
      prefix.push(
        setpriv,
        `--reuid=${user.uid}`,
        `--regid=${user.gid}`,
        "--clear-groups",
        "--no-new-privs",
        "--",
      );
    }
    const prlimit = findExecutable("prlimit");
    if (!cgroup?.enforced.pids && prlimit && (user || process.getuid?.() !== 0)) {
      const n = options.pidsMax ?? DEFAULT_PIDS_MAX;
      prefix.push(prlimit, `--nproc=${n}:${n}`, "--");
    }
    return startSandboxSession({ argv: [bwrapPath, ...args, "--", ...prefix, ...runtime.argv], cgroup });
  };
  let commandEnv = env;
  const getSession = async () => {
    const current = session ? await session.catch(() => undefined) : undefined;
    if (current?.alive) return current;
    // The sandbox died (or never started): a new one; background jobs of the old one are gone with it.
    session = startSession();
    session.catch(() => {
      session = undefined;
    });
    return session;
  };

  const groups = new Set<number>();
  const resolveCwd = async (cwd: string | undefined) => {
    if (!cwd) return workspace;
    const path = await resolveSandboxPath(roots, cwd, "write");
    const s = await statConfined(roots, path);
    if (!s.isDirectory) throw new SandboxFileError("not_found", `Working directory ${cwd} does not exist.`);
    return path;
  };
  const registerKill = (kill: () => void) => {
    running.add(kill);
    return () => running.delete(kill);
  };

  return {
    kind:
      isolation === "bwrap"
        ? "local-bwrap"
        : isolation === "seatbelt"
          ? "local-seatbelt"
          : "local-unrestricted",
    workspace,
    async exec(command: string, exec: ExecOptions): Promise<ExecResult> {
      if (disposed) throw new Error("The sandbox has been disposed.");
      const cwd = await resolveCwd(exec.cwd);
      // Merge stderr into stdout inside the shell so the two are interleaved in order.
      const script = `exec 2>&1\n${command}`;
      counter += 1;
      const spillName = `${Date.now()}_${counter}_${randomBytes(3).toString("hex")}`;
      if (bwrapPath) {
        const current = await getSession();
        return current.run({
          argv: [shell, "-c", script],
          cwd,
          env: commandEnv,
          timeoutMs: exec.timeoutMs,
          signal: exec.signal,
          onOutput: exec.onOutput,
          spillDir,
          spillName,
          maxOutputChars: options.maxOutputChars,
          maxSpillBytes: options.maxSpillBytes,
          registerKill,
        });
      }
      const profile = sandboxExec
        ? buildSeatbeltProfile({
            workspace,
            home: hideHome ? home : undefined,
            writable: [privateHome, privateTmp, spillDir],
            protectedPaths: await protectedWorkspacePaths(workspace),
            network: network === "on" ? "on" : "off",
          })
        : undefined;
      return runProcess({
        argv:
          sandboxExec && profile
            ? [...seatbeltArgv(sandboxExec, profile), shell, "-c", script]
            : [shell, "-c", script],
        env,
        cwd,
        spawner,
        timeoutMs: exec.timeoutMs,
        signal: exec.signal,
        onOutput: exec.onOutput,
        spillDir,
        spillName,
        maxOutputChars: options.maxOutputChars,
        maxSpillBytes: options.maxSpillBytes,
        onSpawn: (pgid) => groups.add(pgid),
        registerKill,
      });
    },
    readFile: (path) => readConfinedFile(roots, path, maxFileBytes),
    writeFile: (path, content, write) =>
      writeConfinedFile(roots, path, content, { ...writeOptions, encoding: write?.encoding }),
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
      const current = session ? await session.catch(() => undefined) : undefined;
      await current?.dispose();
      await proxy?.close().catch(() => undefined);
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
