/**
 * A raw Streamable HTTP MCP caller (no SDK): builds JSON-RPC POSTs with the headers the spec requires
 * and decodes either a JSON body or an SSE stream. For asserting HTTP-level behaviour and for benchmarks.
 */

export type Fetcher = (request: Request) => Response | Promise<Response>;

export interface JsonRpcMessage {
  jsonrpc: "2.0";
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

export const MCP_PROTOCOL_VERSION = "2025-11-25";

export function initializeRequest(id: number | string = 1, capabilities: Record<string, unknown> = {}) {
  return {
    jsonrpc: "2.0" as const,
    id,
    method: "initialize",
    params: {
      protocolVersion: MCP_PROTOCOL_VERSION,
      capabilities,
      clientInfo: { name: "raw-test", version: "1.0.0" },
    },
  };
}

export interface PostOptions {
  sessionId?: string;
  headers?: Record<string, string>;
  method?: string;
}

/** The `data:` payloads of an SSE body, parsed as JSON-RPC messages, with their event ids. */
export function parseSse(text: string): { id?: string; message: JsonRpcMessage }[] {
  const out: { id?: string; message: JsonRpcMessage }[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith("id:")) id = line.slice(3).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    if (data.length === 0 || data.join("").trim() === "") continue;
    const message = JSON.parse(data.join("\n")) as JsonRpcMessage;
    out.push(id === undefined ? { message } : { id, message });
  }
  return out;
}

export interface McpHttpReply {
  response: Response;
  status: number;
  sessionId: string | null;
  /** Every JSON-RPC message in the body (one for JSON, all events for SSE). */
  messages: JsonRpcMessage[];
}

export function buildMcpRequest(url: string, body: unknown, options: PostOptions = {}): Request {
  const headers = new Headers({
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    host: new URL(url).host,
    ...(options.headers ?? {}),
  });
  if (options.sessionId) {
    headers.set("mcp-session-id", options.sessionId);
    headers.set("mcp-protocol-version", MCP_PROTOCOL_VERSION);
  }
  const method = options.method ?? "POST";
  return new Request(url, { method, headers, ...(method === "POST" ? { body: JSON.stringify(body) } : {}) });
}

export async function decodeMcpReply(response: Response): Promise<McpHttpReply> {
  const type = response.headers.get("content-type") ?? "";
  const text = await response.text();
  let messages: JsonRpcMessage[] = [];
  if (type.includes("text/event-stream")) messages = parseSse(text).map((e) => e.message);
  else if (text.trim()) {
    const parsed = JSON.parse(text) as JsonRpcMessage | JsonRpcMessage[];
    messages = Array.isArray(parsed) ? parsed : [parsed];
  }
  return { response, status: response.status, sessionId: response.headers.get("mcp-session-id"), messages };
}

/** POSTs one JSON-RPC body through `fetcher` (a hono app's fetch or the global fetch) and decodes the reply. */
export async function mcpPost(
  fetcher: Fetcher,
  url: string,
  body: unknown,
  options: PostOptions = {},
): Promise<McpHttpReply> {
  return decodeMcpReply(await fetcher(buildMcpRequest(url, body, options)));
}

/** initialize + notifications/initialized; returns the session id (null when stateless). */
export async function openMcpSession(
  fetcher: Fetcher,
  url: string,
  headers: Record<string, string> = {},
): Promise<string | null> {
  const init = await mcpPost(fetcher, url, initializeRequest(), { headers });
  if (init.status !== 200)
    throw new Error(`initialize failed: HTTP ${init.status} ${JSON.stringify(init.messages)}`);
  const sessionId = init.sessionId;
  const ack = await fetcher(
    buildMcpRequest(
      url,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { ...(sessionId ? { sessionId } : {}), headers },
    ),
  );
  await ack.text();
  return sessionId;
}
