import type { Env } from "@ml-intern/core";
import { isHuggingFaceUrl, isSpaceUrl } from "@ml-intern/tools-hf/hosts";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isStdioServer, type McpServerConfig } from "../config/schema.ts";

export interface ConnectDeps {
  env: Env;
  hfToken?: string;
  /** The Hub endpoint (HF_ENDPOINT); its host may receive the HF token too. */
  hubUrl?: string;
  /** The namespaces the token's owner controls (user and orgs); asked only for a `*.hf.space` server. */
  spaceNamespaces?: () => Promise<readonly string[]>;
  fetch?: typeof fetch;
  clientInfo: { name: string; version: string };
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ConnectedServer {
  client: Client;
  transport: "stdio" | "streamable-http" | "sse";
  close(): Promise<void>;
}

/** Last lines a stdio server wrote to stderr, for error messages. */
function stderrTail(lines: string[]): string {
  const tail = lines.join("").trim().split("\n").slice(-5).join("\n");
  return tail ? `\n${tail}` : "";
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    const onAbort = () => reject(new Error(`${what} cancelled`));
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Headers for a remote server; the HF token is added only for Hugging Face hosts (tools-hf's one check): a
 * `*.hf.space` server gets it only when the Space is in one of `spaceNamespaces` (the user's own). To send it to
 * any other Space, configure `"headers": {"Authorization": "Bearer ${HF_TOKEN}"}` for that server.
 */
export function remoteHeaders(
  url: string,
  configured: Record<string, string>,
  hfToken: string | undefined,
  scope: { hubUrl?: string; spaceNamespaces?: readonly string[] } = {},
): Record<string, string> {
  const headers = { ...configured };
  const hasAuth = Object.keys(headers).some((k) => k.toLowerCase() === "authorization");
  const hf = isHuggingFaceUrl(url, {
    origins: [scope.hubUrl],
    ...(scope.spaceNamespaces ? { spaceNamespaces: scope.spaceNamespaces } : {}),
  });
  if (hfToken && !hasAuth && hf) headers.Authorization = `Bearer ${hfToken}`;
  return headers;
}

/** Connects one configured server (stdio; Streamable HTTP falling back to SSE), bounded by a timeout. */
export async function connectServer(config: McpServerConfig, deps: ConnectDeps): Promise<ConnectedServer> {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const newClient = () => new Client(deps.clientInfo, { capabilities: {} });

  const attempt = async (transport: Transport, label: string, extra = () => ""): Promise<Client> => {
    const client = newClient();
    try {
      await withTimeout(
        client.connect(transport, { timeout: deps.timeoutMs }),
        deps.timeoutMs,
        `connecting (${label})`,
        deps.signal,
      );
      return client;
    } catch (error) {
      await client.close().catch(() => {});
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}${extra()}`);
    }
  };

  if (isStdioServer(config)) {
    const { StdioClientTransport, getDefaultEnvironment } = await import(
      "@modelcontextprotocol/sdk/client/stdio.js"
    );
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: { ...getDefaultEnvironment(), ...config.env },
      cwd: config.cwd,
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr.push(chunk.toString("utf8"));
      if (stderr.length > 50) stderr.shift();
    });
    const client = await attempt(transport, "stdio", () => stderrTail(stderr));
    return { client, transport: "stdio", close: () => client.close() };
  }

  const url = new URL(config.url);
  const spaceNamespaces =
    deps.hfToken && isSpaceUrl(url) ? await deps.spaceNamespaces?.().catch(() => []) : undefined;
  const headers = remoteHeaders(config.url, config.headers, deps.hfToken, {
    ...(deps.hubUrl ? { hubUrl: deps.hubUrl } : {}),
    ...(spaceNamespaces ? { spaceNamespaces } : {}),
  });
  const wantsSse = config.transport === "sse" || (!config.transport && /\/sse\/?$/.test(url.pathname));
  if (!wantsSse) {
    const { StreamableHTTPClientTransport } = await import(
      "@modelcontextprotocol/sdk/client/streamableHttp.js"
    );
    try {
      const transport = new StreamableHTTPClientTransport(url, {
        requestInit: { headers },
        fetch: deps.fetch,
      });
      const client = await attempt(transport, "streamable http");
      return { client, transport: "streamable-http", close: () => client.close() };
    } catch (error) {
      if (deps.signal?.aborted) throw error;
      // Older servers only speak the deprecated HTTP+SSE transport: try it before giving up.
      try {
        return await connectSse(url, headers, deps, attempt);
      } catch (sseError) {
        const first = error instanceof Error ? error.message : String(error);
        const second = sseError instanceof Error ? sseError.message : String(sseError);
        throw new Error(`${first}; SSE fallback: ${second}`);
      }
    }
  }
  return connectSse(url, headers, deps, attempt);
}

async function connectSse(
  url: URL,
  headers: Record<string, string>,
  deps: ConnectDeps,
  attempt: (transport: Transport, label: string) => Promise<Client>,
): Promise<ConnectedServer> {
  const { SSEClientTransport } = await import("@modelcontextprotocol/sdk/client/sse.js");
  const transport = new SSEClientTransport(url, { requestInit: { headers }, fetch: deps.fetch });
  const client = await attempt(transport, "sse");
  return { client, transport: "sse", close: () => client.close() };
}
