import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Who a caller is, as stored: a SHA-256 of the credential the caller presented (its own HF token over HTTP),
 * "" for the server's own identity (stdio, or HTTP callers that present none). Never the token itself.
 */
export function callerKey(token: string | undefined): string {
  return token ? createHash("sha256").update(token).digest("hex") : "";
}

/** The owner recorded for each stored ml_intern session, so evicted sessions stay bound to their caller. */
export interface SessionOwners {
  /** The owner's caller key; sessions with no record belong to "" (the server's own identity). */
  get(sessionId: string): string;
  set(sessionId: string, owner: string): void;
}

export function createMemorySessionOwners(): SessionOwners {
  const owners = new Map<string, string>();
  return { get: (id) => owners.get(id) ?? "", set: (id, owner) => void owners.set(id, owner) };
}

const OWNER_FILE = "mcp-owner";
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Owners kept beside each session's transcript (`<session dir>/mcp-owner`, 0600), cached in memory. */
export function createFileSessionOwners(store: { transcriptPath(id: string): string }): SessionOwners {
  const cache = new Map<string, string>();
  const fileOf = (id: string) => join(dirname(store.transcriptPath(id)), OWNER_FILE);
  return {
    get(id) {
      if (!SAFE_ID.test(id)) return "";
      const cached = cache.get(id);
      if (cached !== undefined) return cached;
      let owner = "";
      try {
        owner = readFileSync(fileOf(id), "utf8").trim();
      } catch {
        // No record: the server's own session.
      }
      cache.set(id, owner);
      return owner;
    },
    set(id, owner) {
      if (!SAFE_ID.test(id)) return;
      cache.set(id, owner);
      const file = fileOf(id);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, owner, { mode: 0o600 });
    },
  };
}
