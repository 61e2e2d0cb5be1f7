import { readdirSync } from "node:fs";
import { SandboxUnavailableError } from "../errors.ts";
import { createProcessSpawner, type ProcessSpawner } from "./process-spawner.ts";
import { findExecutable } from "./which.ts";

export interface BwrapLayout {
  /** Real workspace path, bound read-write at the same path. */
  workspace: string;
  /** The user's real home directory, hidden behind `privateHome` (omitted when it does not exist). */
  home?: string;
  /** Host directory mounted over `home` (persistent for the session). */
  privateHome: string;
  /** Host directory mounted at /tmp (private to the session). */
  privateTmp: string;
  /** Host directories bound read-only at the same path (e.g. the spill-file directory). */
  readOnlyBinds: readonly string[];
  /** Device nodes bound through (GPUs). */
  devices: readonly string[];
  /**
   * A prepared /dev (see createStaticDev), bound in one mount with a fresh tmpfs on /dev/shm, instead of
   * bwrap's `--dev` (a tmpfs plus six device binds and a private devpts: about 1.2 ms more per command).
   */
  staticDev?: string;
  network: boolean;
  env: Record<string, string>;
  cwd: string;
}

/**
 * The bwrap argv (without the program) for one command. No --unshare-pid and no --new-session, so group kill
 * works and background jobs outlive the call.
 *
 * No --proc: without a pid namespace bwrap's --proc is only a read-write bind of the host's /proc (with
 * sys, sysrq-trigger, irq and bus covered read-only), i.e. the same procfs that the recursive read-only bind
 * of / already shows, read-only as a whole. Leaving it out is stricter and saves five bind mounts, each of
 * which makes bwrap re-read /proc/self/mountinfo (the bulk of its start-up time).
 */
export function buildBwrapArgs(layout: BwrapLayout): string[] {
  const args = ["--ro-bind", "/", "/"];
  if (layout.staticDev) args.push("--dev-bind", layout.staticDev, "/dev", "--tmpfs", "/dev/shm");
  else args.push("--dev", "/dev");
  for (const device of layout.devices) args.push("--dev-bind", device, device);
  if (layout.home) args.push("--bind", layout.privateHome, layout.home);
  args.push("--bind", layout.privateTmp, "/tmp");
  args.push("--bind", layout.workspace, layout.workspace);
  for (const dir of layout.readOnlyBinds) args.push("--ro-bind", dir, dir);
  args.push("--unshare-ipc", "--unshare-uts");
  if (!layout.network) args.push("--unshare-net");
  // As root bwrap keeps every capability unless told otherwise (a remount of / would then succeed).
  args.push("--cap-drop", "ALL", "--die-with-parent", "--clearenv");
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
