import { lchown, mkdir, rm, stat, symlink } from "node:fs/promises";
import { join } from "node:path";
import type { ProcessSpawner } from "./process-spawner.ts";
import { findExecutable } from "./which.ts";

/** The device nodes bwrap's `--dev` binds one by one; here they are made once per session. */
const DEVICE_NODES = ["null", "zero", "full", "random", "urandom", "tty"] as const;

const DEV_LINKS: Readonly<Record<string, string>> = {
  stdin: "/proc/self/fd/0",
  stdout: "/proc/self/fd/1",
  stderr: "/proc/self/fd/2",
  fd: "/proc/self/fd",
  core: "/proc/kcore",
};

/**
 * Owner of the prepared directory and its nodes: not root, so root inside the sandbox (all capabilities
 * dropped, hence no CAP_FOWNER or CAP_DAC_OVERRIDE) can neither add, remove nor chmod anything in it.
 * When commands run as an unprivileged uid instead, the directory belongs to root.
 */
export const STATIC_DEV_OWNER = 65534;

/** Linux dev_t split as glibc's major()/minor() do it. */
function splitDevice(rdev: number): { major: number; minor: number } {
  const value = BigInt(rdev);
  const major = Number(((value >> 8n) & 0xfffn) | ((value >> 32n) & ~0xfffn));
  const minor = Number((value & 0xffn) | ((value >> 12n) & ~0xffn));
  return { major, minor };
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Builds, in `dir`, the /dev that bwrap's `--dev` would assemble on every call (the usual character
 * devices, the /proc/self/fd links, a mount point for a private /dev/shm), so one `--dev-bind` replaces
 * bwrap's six device binds. Needs root (mknod). Returns false, leaving nothing behind, when it cannot.
 * There is no /dev/pts: that needs bwrap's own `--dev` (see the `ptys` option).
 */
export async function createStaticDev(
  dir: string,
  spawner: ProcessSpawner,
  hostDev = "/dev",
  owner = STATIC_DEV_OWNER,
): Promise<boolean> {
  try {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { mode: 0o755 });
    const lines: string[] = [];
    for (const name of DEVICE_NODES) {
      const info = await stat(join(hostDev, name));
      if (!info.isCharacterDevice()) throw new Error(`${hostDev}/${name} is not a character device`);
      const { major, minor } = splitDevice(info.rdev);
      lines.push(`mknod -m 666 ${quote(join(dir, name))} c ${major} ${minor}`);
    }
    const shell = findExecutable("sh") ?? "/bin/sh";
    let output = "";
    const child = await spawner.spawn({
      argv: [shell, "-ec", lines.join("\n")],
      onText: (text) => {
        output += text;
      },
    });
    await child.drained;
    const { code } = await child.exited;
    if (code !== 0) throw new Error(`mknod failed: ${output.trim()}`);
    for (const [name, target] of Object.entries(DEV_LINKS)) await symlink(target, join(dir, name));
    await mkdir(join(dir, "shm"), { mode: 0o755 });
    const entries = [...DEVICE_NODES, ...Object.keys(DEV_LINKS), "shm", "."];
    for (const name of entries) await lchown(join(dir, name), owner, owner);
    return true;
  } catch {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    return false;
  }
}
