import { readdirSync } from "node:fs";
import { SandboxUnavailableError } from "../errors.ts";
import { createProcessSpawner, type ProcessSpawner } from "./process-spawner.ts";
import { findExecutable } from "./which.ts";

/** Network access from inside the sandbox. */
export type SandboxNetwork =
  | "on"
  | "off"
  /** Only these domains (and their subdomains with a leading "*."), through a filtering proxy on the host. */
  | { allowDomains: readonly string[] };

export interface BwrapLayout {
  /** Real workspace path, bound read-write at the same path. */
  workspace: string;
  /** The user's real home directory, hidden behind `privateHome` (omitted when it does not exist). */
  home?: string;
  /** Host directory mounted over `home` (persistent for the session). */
  privateHome: string;
  /** Size cap of the session's private /tmp (a tmpfs). */
  tmpSizeBytes: number;
  /** Host directories bound read-only at the same path (e.g. the spill-file directory, the runtime). */
  readOnlyBinds: readonly string[];
  /** Paths inside the workspace that stay read-only (`.env`, `.git/hooks`, our own config). */
  protectedPaths: readonly string[];
  /** Host directories replaced by an empty tmpfs: where host daemons keep their sockets (/run, ...). */
  hiddenDirs: readonly string[];
  /** Host files replaced by `emptyFile` (root's secrets such as /etc/shadow, for a sandbox running as root). */
  hiddenFiles?: readonly string[];
  /** An empty regular file (not /dev/null: a read-only bind is nodev). */
  emptyFile?: string;
  /** Directories re-bound read-only after hiding (e.g. a resolv.conf that lives under /run). */
  reboundDirs: readonly string[];
  /** Device nodes bound through (GPUs). */
  devices: readonly string[];
  /**
   * A prepared /dev (see createStaticDev), bound in one mount with a fresh tmpfs on /dev/shm, instead of
   * bwrap's `--dev` (a tmpfs plus six device binds and a private devpts).
   */
  staticDev?: string;
  /** "on" shares the host network (loopback included); anything else gets a network namespace of its own. */
  network: "on" | "off" | "proxy";
  /** With network "proxy": the host directory holding the proxy's Unix socket, bound read-only. */
  proxyDir?: string;
  /**
   * Mount-point directories bwrap creates inside /tmp or the private home on the way to a bind (it copies
   * the host's modes, often 0700): made 0755 so an unprivileged uid can reach the workspace.
   */
  traversable?: readonly string[];
  /** Keep CAP_SETUID/CAP_SETGID so the session can drop to an unprivileged uid (setpriv) right away. */
  switchUser: boolean;
  env: Record<string, string>;
  cwd: string;
}

/**
 * The bwrap argv (without the program) for a session: one sandbox per agent session with its own pid
 * namespace (bwrap's reaper is pid 1) and a fresh /proc, so commands see no host process and every process
 * dies with the session. Commands run inside it through the session init (see session-init.ts).
 */
export function buildBwrapArgs(layout: BwrapLayout): string[] {
  const args = ["--ro-bind", "/", "/"];
  if (layout.staticDev) {
    args.push("--dev-bind", layout.staticDev, "/dev", "--tmpfs", "/dev/shm", "--chmod", "1777", "/dev/shm");
  } else args.push("--dev", "/dev");
  for (const device of layout.devices) args.push("--dev-bind", device, device);
  // A fresh procfs for the pid namespace, read-only as a whole: root without capabilities could otherwise
  // still write sysctls whose only check is the file mode.
  args.push("--proc", "/proc", "--remount-ro", "/proc");
  for (const dir of layout.hiddenDirs) args.push("--tmpfs", dir);
  for (const dir of layout.reboundDirs) args.push("--ro-bind", dir, dir);
  if (layout.emptyFile)
    for (const file of layout.hiddenFiles ?? []) args.push("--ro-bind", layout.emptyFile, file);
  if (layout.home) args.push("--bind", layout.privateHome, layout.home);
  args.push("--size", String(layout.tmpSizeBytes), "--tmpfs", "/tmp", "--chmod", "1777", "/tmp");
  args.push("--bind", layout.workspace, layout.workspace);
  for (const path of layout.protectedPaths) args.push("--ro-bind", path, path);
  for (const dir of layout.readOnlyBinds) args.push("--ro-bind", dir, dir);
  if (layout.network === "proxy" && layout.proxyDir) args.push("--ro-bind", layout.proxyDir, layout.proxyDir);
  for (const dir of layout.traversable ?? []) args.push("--chmod", "0755", dir);
  args.push("--unshare-pid", "--unshare-ipc", "--unshare-uts");
  if (layout.network !== "on") args.push("--unshare-net");
  // As root bwrap keeps every capability unless told otherwise (a remount of / would then succeed).
  args.push("--cap-drop", "ALL");
  if (layout.switchUser) args.push("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID");
  args.push("--die-with-parent", "--clearenv");
  for (const [key, value] of Object.entries(layout.env)) args.push("--setenv", key, value);
  args.push("--chdir", layout.cwd);
  return args;
}

/** GPU device nodes present on this machine (bwrap's --dev hides them otherwise). */
export function listGpuDevices(devDir = "/dev"): string[] {
  let names: string[];
  try {
    names = readdirSync(devDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith("nvidia") || n === "dri" || n === "kfd")
    .map((n) => `${devDir}/${n}`);
}

export type BubblewrapProbe =
  | { ok: true; bwrapPath: string; version: string }
  | { ok: false; reason: string };

export interface ProbeOptions {
  bwrapPath?: string;
  network?: boolean;
  /** How the probe is spawned (default: Bun.spawn under Bun, node:child_process elsewhere). */
  spawner?: ProcessSpawner;
}

/** Checks that bubblewrap exists and can actually build a sandbox here (user namespaces, mounts). */
export async function probeBubblewrap(options: ProbeOptions = {}): Promise<BubblewrapProbe> {
  const bwrapPath = options.bwrapPath ?? findExecutable("bwrap");
  if (!bwrapPath) return { ok: false, reason: "the `bwrap` executable was not found on PATH." };
  const spawner = options.spawner ?? createProcessSpawner();
  const run = async (argv: string[]) => {
    try {
      let out = "";
      let err = "";
      const child = await spawner.spawn({
        argv,
        onText: (text, stream) => {
          if (stream === "stdout") out += text;
          else err += text;
        },
      });
      await child.drained;
      const { code } = await child.exited;
      return { code: code ?? -1, out: out.trim(), err: err.trim() };
    } catch (error) {
      return { code: -1, out: "", err: error instanceof Error ? error.message : String(error) };
    }
  };
  const version = await run([bwrapPath, "--version"]);
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--tmpfs", "/tmp"];
  args.push("--unshare-ipc", "--unshare-uts");
  if (options.network === false) args.push("--unshare-net");
  args.push("--cap-drop", "ALL", "--", "/bin/sh", "-c", "echo ok");
  const test = await run([bwrapPath, ...args]);
  if (test.code !== 0 || test.out !== "ok") {
    return {
      ok: false,
      reason: `\`bwrap\` failed to start a sandbox (exit ${test.code}): ${test.err || test.out || "no output"}`,
    };
  }
  return { ok: true, bwrapPath, version: version.out || "unknown" };
}

/** Whether a prepared /dev works under bubblewrap here (device nodes usable, read-only for the sandbox). */
export async function probeStaticDev(
  bwrapPath: string,
  dir: string,
  spawner: ProcessSpawner,
): Promise<boolean> {
  const script =
    "echo x > /dev/null && head -c 1 /dev/urandom > /dev/null && ! touch /dev/probe 2>/dev/null && echo ok";
  let out = "";
  try {
    const child = await spawner.spawn({
      argv: [
        bwrapPath,
        ...["--ro-bind", "/", "/", "--dev-bind", dir, "/dev", "--tmpfs", "/dev/shm", "--cap-drop", "ALL"],
        ...["--", "/bin/sh", "-c", script],
      ],
      onText: (text, stream) => {
        if (stream === "stdout") out += text;
      },
    });
    await child.drained;
    const { code } = await child.exited;
    return code === 0 && out.trim() === "ok";
  } catch {
    return false;
  }
}

/** Probes and throws SandboxUnavailableError when isolation cannot work. */
export async function requireBubblewrap(options: ProbeOptions = {}): Promise<string> {
  const probe = await probeBubblewrap(options);
  if (!probe.ok) throw new SandboxUnavailableError(probe.reason);
  return probe.bwrapPath;
}

/** Directories strictly between root and path (root excluded), outermost first, when path is under root. */
export function ancestorsBelow(root: string, path: string): string[] {
  if (!path.startsWith(`${root}/`)) return [];
  const parts = path
    .slice(root.length + 1)
    .split("/")
    .filter(Boolean);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(`${root}/${parts.slice(0, i).join("/")}`);
  return out;
}
