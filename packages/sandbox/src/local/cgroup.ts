import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

export const CGROUP_PREFIX = "ml-intern-sandbox-";

export interface CgroupLimits {
  /** pids.max: most processes and threads at once. */
  pidsMax?: number;
  /** memory.max in bytes. */
  memoryMaxBytes?: number;
}

/** A cgroup v2 directory holding one sandbox session. */
export interface SessionCgroup {
  readonly path: string;
  /** Write a pid here to move that process in. */
  readonly procsFile: string;
  /** Which limits the kernel enforces for this cgroup (a controller may not be delegated here). */
  readonly enforced: { pids: boolean; memory: boolean };
  /** Kills every process in the cgroup at once (cgroup.kill), or signals them one by one on older kernels. */
  kill(): Promise<void>;
  /** Kills what is left and removes the directory. */
  remove(): Promise<void>;
}

/** Where cgroup v2 is mounted and which cgroup this process is in, or undefined without cgroup v2. */
export function ownCgroupDir(mountinfo = "/proc/self/mountinfo", cgroupFile = "/proc/self/cgroup") {
  try {
    const mount = readFileSync(mountinfo, "utf8")
      .split("\n")
      .map((line) => line.split(" "))
      .find((fields) => fields[fields.indexOf("-") + 1] === "cgroup2");
    const point = mount?.[4];
    if (!point) return undefined;
    const own = readFileSync(cgroupFile, "utf8")
      .split("\n")
      .find((line) => line.startsWith("0::"));
    if (!own) return undefined;
    const rel = own.slice(3).trim();
    // A cgroup namespace or a mount of a sub-tree can hide where we are; only trust a path that exists.
    const dir = join(point, rel);
    return existsSync(join(dir, "cgroup.procs")) ? dir : undefined;
  } catch {
    return undefined;
  }
}

const readProcs = async (dir: string) =>
  (await readFile(join(dir, "cgroup.procs"), "utf8").catch(() => "")).split("\n").filter(Boolean).map(Number);

const processExists = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Removes empty session cgroups left behind by a killed agent: named after the process that created them,
 * so a cgroup another live agent just created (and has not moved its sandbox into yet) is left alone.
 */
export async function removeStaleCgroups(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const match = new RegExp(`^${CGROUP_PREFIX}(\\d+)-`).exec(name);
    if (!match || processExists(Number(match[1]))) continue;
    const dir = join(parent, name);
    if ((await readProcs(dir)).length === 0) await rmdir(dir).catch(() => undefined);
  }
}

/**
 * A fresh child of this process's cgroup, when cgroup v2 is mounted and writable here (root, or a delegated
 * sub-tree). Limits apply only for controllers the parent delegates (its cgroup.subtree_control); the
 * kill switch works regardless. Undefined when none can be created.
 */
export async function createSessionCgroup(
  limits: CgroupLimits,
  parent = ownCgroupDir(),
): Promise<SessionCgroup | undefined> {
  if (!parent) return undefined;
  await removeStaleCgroups(parent);
  const path = join(parent, `${CGROUP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`);
  try {
    await mkdir(path);
  } catch {
    return undefined;
  }
  const set = async (file: string, value: number | undefined) => {
    if (value === undefined || !existsSync(join(path, file))) return false;
    return writeFile(join(path, file), String(Math.floor(value))).then(
      () => true,
      () => false,
    );
  };
  const enforced = {
    pids: await set("pids.max", limits.pidsMax),
    memory: await set("memory.max", limits.memoryMaxBytes),
  };
  if (enforced.memory) await set("memory.swap.max", 0);
  const kill = async () => {
    if (existsSync(join(path, "cgroup.kill"))) {
      await writeFile(join(path, "cgroup.kill"), "1").catch(() => undefined);
      return;
    }
    for (const pid of await readProcs(path)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
  };
  return {
    path,
    procsFile: join(path, "cgroup.procs"),
    enforced,
    kill,
    async remove() {
      for (let attempt = 0; attempt < 50; attempt++) {
        if ((await readProcs(path)).length === 0) break;
        await kill();
        await delay(10);
      }
      await rmdir(path).catch(() => undefined);
    },
  };
}
