import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";

/** Another live process (or another store in this one) already writes this session. */
export class SessionLockedError extends Error {
  constructor(
    readonly sessionId: string,
    readonly holder: { pid: number; host: string },
  ) {
    super(
      `Session ${sessionId} is already open in another ml-intern process (pid ${holder.pid} on ${holder.host}). ` +
        "Two writers would interleave its records and make it unresumable: finish or quit that one first, " +
        "or start a new session instead of resuming this one.",
    );
    this.name = "SessionLockedError";
  }
}

interface LockOwner {
  pid: number;
  host: string;
}

/** Lock files held by stores of this process: a same-pid lock not in here is left over from a closed store. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string") {
      return { pid: parsed.pid, host: parsed.host };
    }
  } catch {
    // Unreadable or half-written: treated as stale below.
  }
  return undefined;
}

function isHeld(path: string, owner: LockOwner | undefined): boolean {
  if (!owner) return false;
  if (owner.host !== hostname()) return true; // cannot check a pid on another host: respect it
  if (owner.pid === process.pid) return heldHere.has(path);
  return isAlive(owner.pid);
}

/**
 * Takes the single-writer lock of one session (`<dir>/session.lock`, created with O_EXCL, holding pid and host).
 * A lock whose process is gone is taken over. Returns the release function.
 */
export function acquireSessionLock(sessionId: string, lockPath: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx", 0o600);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      } finally {
        closeSync(fd);
      }
      heldHere.add(lockPath);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(lockPath);
        try {
          if (readOwner(lockPath)?.pid === process.pid) unlinkSync(lockPath);
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(lockPath);
      if (isHeld(lockPath, owner)) throw new SessionLockedError(sessionId, owner!);
      try {
        unlinkSync(lockPath); // stale: its process died without releasing it
      } catch {
        // Someone else removed it first; retry.
      }
    }
  }
  throw new Error(`Could not lock session ${sessionId} (${lockPath}): the lock keeps changing hands.`);
}
