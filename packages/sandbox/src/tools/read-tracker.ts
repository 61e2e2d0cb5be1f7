import { createHash } from "node:crypto";

const digest = (content: string) => createHash("sha256").update(content).digest("hex");

export type Freshness = "fresh" | "unread" | "stale";

/** Per-session record of which files the model has read, and what they contained then. */
export interface ReadTracker {
  record(path: string, content: string): void;
  check(path: string, currentContent: string): Freshness;
  forget(path: string): void;
}

export function createReadTracker(): ReadTracker {
  const seen = new Map<string, string>();
  return {
    record: (path, content) => {
      seen.set(path, digest(content));
    },
    check(path, currentContent) {
      const known = seen.get(path);
      if (known === undefined) return "unread";
      return known === digest(currentContent) ? "fresh" : "stale";
    },
    forget: (path) => {
      seen.delete(path);
    },
  };
}
