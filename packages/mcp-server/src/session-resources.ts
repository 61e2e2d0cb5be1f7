import { readFile } from "node:fs/promises";
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { callerKey, createFileSessionOwners, type SessionOwners } from "./caller-identity.ts";

export interface SessionTraceSummary {
  id: string;
  title: string;
  updatedAt: string;
  model?: string;
}

/**
 * Where session traces come from (core's session store in production). `caller` is the caller key
 * (see callerKey): a source only lists and reads the sessions that caller owns.
 */
export interface SessionTraceSource {
  /** Newest first. */
  list(caller: string): readonly SessionTraceSummary[] | Promise<readonly SessionTraceSummary[]>;
  /** The JSONL transcript, or undefined when there is no such session (or it is someone else's). */
  read(id: string, caller: string): Promise<string | undefined>;
}

/** The subset of core's SessionStore this needs. */
export interface SessionStoreLike {
  list(): readonly SessionTraceSummary[];
  transcriptPath(id: string): string;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function traceSourceFromStore(
  store: SessionStoreLike,
  owners: SessionOwners = createFileSessionOwners(store),
): SessionTraceSource {
  return {
    list: (caller) => store.list().filter((s) => owners.get(s.id) === caller),
    async read(id, caller) {
      if (!SAFE_ID.test(id) || owners.get(id) !== caller) return undefined;
      try {
        return await readFile(store.transcriptPath(id), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

export const SESSION_URI_PREFIX = "ml-intern://sessions/";
const MAX_LISTED = 100;

/** Session traces as resources: `ml-intern://sessions/{id}` (JSONL, one record a line), newest first. */
export function registerSessionResources(server: McpServer, source: SessionTraceSource): void {
  const template = new ResourceTemplate(`${SESSION_URI_PREFIX}{id}`, {
    list: async (extra) => {
      const sessions = (await source.list(callerKey(extra.authInfo?.token))).slice(0, MAX_LISTED);
      return {
        resources: sessions.map((s) => ({
          uri: `${SESSION_URI_PREFIX}${s.id}`,
          name: s.id,
          title: s.title || s.id,
          description: `ML Intern session${s.model ? ` with ${s.model}` : ""}, updated ${s.updatedAt}`,
          mimeType: "application/x-ndjson",
        })),
      };
    },
  });
  server.registerResource(
    "session_trace",
    template,
    {
      title: "ML Intern session trace",
      description: "The full JSONL trace of an ML Intern session (messages and events), secrets redacted.",
      mimeType: "application/x-ndjson",
    },
    async (uri, variables, extra) => {
      const raw = variables.id;
      const id = decodeURIComponent(Array.isArray(raw) ? (raw[0] ?? "") : (raw ?? ""));
      const text = await source.read(id, callerKey(extra.authInfo?.token));
      if (text === undefined)
        throw new Error(`No session "${id}". List resources to see the available sessions.`);
      return { contents: [{ uri: uri.href, mimeType: "application/x-ndjson", text }] };
    },
  );
}
