import { readFileSync } from "node:fs";
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Temp-dir prefix of a backend's private state (home, spill files, prepared /dev, proxy socket). */
export const STATE_DIR_PREFIX = "ml-intern-sandbox-";
const OWNER_FILE = "owner";
/** An unmarked directory younger than this may be one another process is setting up right now. */
const UNMARKED_GRACE_MS = 10 * 60_000;

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), to tell a reused pid apart. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number, started: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = startTime(pid);
  return started === undefined || now === undefined || now === started;
}

/** Records which process owns a state dir, so a later start can tell it was left behind. */
export async function markStateDir(dir: string): Promise<void> {
  await writeFile(join(dir, OWNER_FILE), `${process.pid} ${startTime(process.pid) ?? ""}\n`);
}

/**
 * Removes state dirs of backends whose process is gone (killed with kill -9, so dispose never ran).
 * Only this user's directories, and only ones whose owner is dead or that are unmarked and old.
 */
export async function removeStaleStateDirs(parent: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(STATE_DIR_PREFIX)) continue;
    const dir = join(parent, name);
    try {
      const info = await stat(dir);
      if (!info.isDirectory() || info.uid !== (process.getuid?.() ?? info.uid)) continue;
      const owner = await readFile(join(dir, OWNER_FILE), "utf8").catch(() => undefined);
      if (owner === undefined) {
        if (now - info.mtimeMs < UNMARKED_GRACE_MS) continue;
      } else {
        const [pid, started] = owner.trim().split(" ");
        if (isAlive(Number(pid), started || undefined)) continue;
      }
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {}
  }
  return removed;
}
