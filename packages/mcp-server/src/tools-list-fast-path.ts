import type { EventStore } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
  type JSONRPCMessage,
  type ListToolsResult,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";

/** The SDK's transport writes a priming event (empty data) for clients at this protocol version or later. */
const PRIMING_SINCE = "2025-11-25";
/** The SDK stores an empty object as the priming event (typed as a message only by its store interface). */
const primingMessage = () => ({}) as JSONRPCMessage;

const SSE_HEADERS = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;

/** Where a tools/list answer goes: a live session (its id and event store) or a stateless request. */
export interface ToolsListTarget {
  sessionId?: string;
  eventStore?: EventStore;
  /** Stateless JSON mode: a plain JSON body instead of an SSE stream. */
  json?: boolean;
}

export interface ToolsListFastPath {
  /**
   * The answer to `body` when it is a plain `tools/list` request the SDK would accept, with the bytes the SDK
   * transport would write (SSE `event: message`, priming event, ids stored in the event store for replay, or
   * the JSON body); undefined for anything else, which then takes the SDK path.
   */
  answer(request: Request, body: unknown, target: ToolsListTarget): Promise<Response | undefined>;
}

type RequestId = string | number;

/** `{jsonrpc: "2.0", id, method: "tools/list"}` with no params or empty params, and nothing else. */
function plainToolsListId(body: unknown): RequestId | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const message = body as Record<string, unknown>;
  if (message.jsonrpc !== "2.0" || message.method !== "tools/list") return undefined;
  for (const key of Object.keys(message)) {
    if (key !== "jsonrpc" && key !== "id" && key !== "method" && key !== "params") return undefined;
  }
  const params = message.params;
  if (params !== undefined) {
    if (typeof params !== "object" || params === null || Array.isArray(params)) return undefined;
    if (Object.keys(params).length > 0) return undefined;
  }
  const id = message.id;
  if (typeof id === "string") return id;
  if (typeof id === "number" && Number.isInteger(id)) return id;
  return undefined;
}

/** The headers the SDK transport checks before answering (406, 415, 400 on a bad protocol version). */
function headersAccepted(request: Request): boolean {
  const accept = request.headers.get("accept");
  if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) return false;
  const contentType = request.headers.get("content-type");
  if (contentType?.split(";", 1)[0]?.trim().toLowerCase() !== "application/json") return false;
  const version = request.headers.get("mcp-protocol-version");
  return version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

/**
 * Answers `tools/list` from one pre-serialised result. The SDK path serialises the ~30 KB list again for
 * every request (JSON.stringify, SSE framing, UTF-8 encoding: about 150 KB of transient strings per call),
 * which under load is most of the server's memory churn. Here each answer is one buffer: a small head and
 * tail around the cached bytes. The list must be the one every server of this app lists.
 */
export function createToolsListFastPath(list: () => ListToolsResult): ToolsListFastPath {
  const encoder = new TextEncoder();
  let cached: { result: ListToolsResult; bytes: Uint8Array } | undefined;
  const load = () => {
    if (!cached) {
      const result = list();
      cached = { result, bytes: encoder.encode(JSON.stringify(result)) };
    }
    return cached;
  };

  return {
    async answer(request, body, target) {
      if (request.method !== "POST") return undefined;
      const id = plainToolsListId(body);
      if (id === undefined || !headersAccepted(request)) return undefined;
      const { result, bytes } = load();
      const tail = `,"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;
      if (target.json) {
        return new Response(join(encoder, '{"result":', bytes, tail), {
          status: 200,
          headers: { "Content-Type": "application/json" },
        });
      }
      let head = "";
      let eventId: string | undefined;
      const store = target.eventStore;
      if (store) {
        const streamId = crypto.randomUUID();
        const version = request.headers.get("mcp-protocol-version") ?? DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
        if (version >= PRIMING_SINCE)
          head = `id: ${await store.storeEvent(streamId, primingMessage())}\ndata: \n\n`;
        eventId = await store.storeEvent(streamId, { result, jsonrpc: "2.0", id });
      }
      head += eventId === undefined ? "event: message\n" : `event: message\nid: ${eventId}\n`;
      const headers: Record<string, string> = { ...SSE_HEADERS };
      if (target.sessionId !== undefined) headers["mcp-session-id"] = target.sessionId;
      return new Response(join(encoder, `${head}data: {"result":`, bytes, `${tail}\n\n`), {
        status: 200,
        headers,
      });
    },
  };
}

/**
 * One buffer for the answer. (A Blob of the parts would save one of the two copies of the list per request,
 * ~5 µs, but kept ~8 MB more RSS under a tools/list load: its stores wait for a collection.)
 */
function join(encoder: TextEncoder, head: string, middle: Uint8Array, tail: string): Uint8Array {
  const h = encoder.encode(head);
  const t = encoder.encode(tail);
  const out = new Uint8Array(h.length + middle.length + t.length);
  out.set(h, 0);
  out.set(middle, h.length);
  out.set(t, h.length + middle.length);
  return out;
}
