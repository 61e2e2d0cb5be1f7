import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxBackend } from "../backend.ts";
import { applyEdit } from "../core/edit.ts";
import { DEFAULT_READ_LINES, DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from "../core/limits.ts";
import { SandboxFileError } from "../errors.ts";
import { createLocalBackend, type LocalBackendOptions } from "../local/local-backend.ts";
import { type HttpRuntime, listen } from "./http-listener.ts";
import { SANDBOX_AUTH_HEADER, type SandboxReply } from "./protocol.ts";

export interface SandboxServerAppOptions {
  /** Bearer token required in X-Sandbox-Authorization; requests get 503 without one. */
  token: string | undefined;
  /** The backend that runs commands; or give `workspace` to create a local one on first use. */
  backend?: SandboxBackend;
  workspace?: string;
  /** Isolation for a backend created from `workspace` (default "bwrap"; use "none" inside a container). */
  isolation?: LocalBackendOptions["isolation"];
  network?: boolean;
  /** Longest command the server accepts, in seconds (default 10 h). */
  maxTimeoutSeconds?: number;
}

const digest = (s: string) => createHash("sha256").update(s).digest();
const safeEqual = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

const ok = (output: string, extra: Partial<SandboxReply> = {}): SandboxReply => ({
  success: true,
  output,
  error: null,
  ...extra,
});
const fail = (error: string, extra: Partial<SandboxReply> = {}): SandboxReply => ({
  success: false,
  output: "",
  error,
  ...extra,
});

const bashBody = z.object({
  command: z.string(),
  work_dir: z.string().nullish(),
  timeout: z.number().nullish(),
  call_id: z.string().nullish(),
});
const readBody = z.object({
  path: z.string(),
  offset: z.number().int().nullish(),
  limit: z.number().int().nullish(),
  raw: z.boolean().nullish(),
});
const writeBody = z.object({
  path: z.string(),
  content: z.string(),
  encoding: z.enum(["utf8", "latin1"]).nullish(),
});
const editBody = z.object({
  path: z.string(),
  old_str: z.string(),
  new_str: z.string(),
  replace_all: z.boolean().nullish(),
  mode: z.string().nullish(),
});
const pathBody = z.object({ path: z.string() });
const killBody = z.object({ call_id: z.string().nullish() });

function fileFailure(error: unknown): SandboxReply {
  if (error instanceof SandboxFileError) return fail(error.message, { code: error.code });
  return fail(error instanceof Error ? error.message : String(error));
}

/** The sandbox HTTP server (hono): health is public, everything else needs the per-sandbox bearer token. */
export function createSandboxServerApp(options: SandboxServerAppOptions): Hono {
  if (!options.backend && !options.workspace)
    throw new Error("createSandboxServerApp needs a backend or a workspace.");
  let backendPromise: Promise<SandboxBackend> | undefined = options.backend
    ? Promise.resolve(options.backend)
    : undefined;
  const backend = () => {
    backendPromise ??= createLocalBackend({
      workspace: options.workspace as string,
      isolation: options.isolation ?? "bwrap",
      network: options.network,
    });
    return backendPromise;
  };
  const maxTimeout = options.maxTimeoutSeconds ?? MAX_TIMEOUT_SECONDS;
  const calls = new Map<string, AbortController>();
  const app = new Hono();

  app.get("/api/health", (c) => c.json({ status: "ok" }));

  app.use("/api/*", async (c, next) => {
    if (!options.token) return c.json({ detail: "Sandbox API token not configured" }, 503);
    const header = c.req.header(SANDBOX_AUTH_HEADER) ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) return c.json({ detail: "Missing bearer token" }, 401);
    if (!safeEqual(match[1] as string, options.token)) return c.json({ detail: "Invalid bearer token" }, 401);
    await next();
  });

  const parse = async <T extends z.ZodType>(schema: T, body: Promise<unknown>) => {
    const parsed = schema.safeParse(await body.catch(() => undefined));
    return parsed;
  };

  app.get("/api/info", async (c) => {
    const b = await backend();
    return c.json({ workspace: b.workspace, kind: b.kind, max_timeout: maxTimeout });
  });

  app.post("/api/bash", async (c) => {
    const body = await parse(bashBody, c.req.json());
    if (!body.success) return c.json(fail("Invalid request: command is required."), 400);
    const { command, work_dir, call_id } = body.data;
    const timeout = body.data.timeout ?? DEFAULT_TIMEOUT_SECONDS;
    if (!(timeout > 0)) return c.json(fail("timeout must be a positive number of seconds."));
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    c.req.raw.signal.addEventListener("abort", onClientGone, { once: true });
    if (call_id) calls.set(call_id, controller);
    try {
      const b = await backend();
      const seconds = Math.min(timeout, maxTimeout);
      const result = await b.exec(command, {
        cwd: work_dir ?? undefined,
        timeoutMs: seconds * 1000,
        signal: controller.signal,
      });
      const extra: Partial<SandboxReply> = {
        exit_code: result.exitCode,
        timed_out: result.timedOut,
        cancelled: result.cancelled,
        truncated: result.truncated,
        full_output_path: result.spillPath ?? null,
      };
      if (result.timedOut)
        return c.json({ ...fail(`Timeout after ${seconds}s`, extra), output: result.output });
      if (result.cancelled) return c.json({ ...fail("Cancelled", extra), output: result.output });
      if (result.exitCode !== 0) {
        const error =
          result.exitCode === null
            ? `Killed by ${result.signal ?? "signal"}`
            : `Exit code ${result.exitCode}`;
        return c.json({ ...fail(error, extra), output: result.output });
      }
      return c.json(ok(result.output, extra));
    } catch (error) {
      return c.json(fileFailure(error));
    } finally {
      c.req.raw.signal.removeEventListener("abort", onClientGone);
      if (call_id) calls.delete(call_id);
    }
  });

  app.post("/api/kill", async (c) => {
    const body = await parse(killBody, c.req.json());
    const callId = body.success ? body.data.call_id : undefined;
    if (callId) {
      const controller = calls.get(callId);
      controller?.abort();
      return c.json(ok(controller ? "Killed 1 process group" : "Nothing to kill"));
    }
    const n = await (await backend()).killAll();
    return c.json(ok(`Killed ${n} process group(s)`));
  });

  app.post("/api/read", async (c) => {
    const body = await parse(readBody, c.req.json());
    if (!body.success) return c.json(fail("Invalid request: path is required."), 400);
    try {
      const file = await (await backend()).readFile(body.data.path);
      if (body.data.raw)
        return c.json(ok(file.content, { path: file.path, encoding: file.encoding ?? "utf8" }));
      const lines = file.content.split("\n");
      if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
      const offset = Math.max(1, body.data.offset ?? 1);
      const limit = body.data.limit ?? DEFAULT_READ_LINES;
      const page = lines.slice(offset - 1, offset - 1 + limit).map((l, i) => `${offset + i}\t${l}`);
      return c.json(ok(page.join("\n"), { path: file.path }));
    } catch (error) {
      return c.json(fileFailure(error));
    }
  });

  app.post("/api/write", async (c) => {
    const body = await parse(writeBody, c.req.json());
    if (!body.success) return c.json(fail("Invalid request: path and content are required."), 400);
    try {
      const written = await (await backend()).writeFile(body.data.path, body.data.content, {
        encoding: body.data.encoding ?? "utf8",
      });
      return c.json(
        ok(`Wrote ${written.bytes} bytes to ${written.path}`, { path: written.path, bytes: written.bytes }),
      );
    } catch (error) {
      return c.json(fileFailure(error));
    }
  });

  app.post("/api/edit", async (c) => {
    const body = await parse(editBody, c.req.json());
    if (!body.success) return c.json(fail("Invalid request: path, old_str and new_str are required."), 400);
    try {
      const b = await backend();
      const file = await b.readFile(body.data.path);
      const outcome = applyEdit(file.content, {
        oldStr: body.data.old_str,
        newStr: body.data.new_str,
        replaceAll: body.data.replace_all ?? false,
        mode: (body.data.mode ?? "replace") as "replace",
      });
      if (!outcome.ok) return c.json(fail(outcome.message, { code: outcome.code }));
      const written = await b.writeFile(file.path, outcome.content, { encoding: file.encoding ?? "utf8" });
      const plural = outcome.replacements === 1 ? "" : "s";
      return c.json(
        ok(
          `Edited ${written.path} (${outcome.replacements} replacement${plural})${outcome.note ? ` ${outcome.note}` : ""}`,
          {
            path: written.path,
          },
        ),
      );
    } catch (error) {
      return c.json(fileFailure(error));
    }
  });

  app.post("/api/exists", async (c) => {
    const body = await parse(pathBody, c.req.json());
    if (!body.success) return c.json(fail("Invalid request: path is required."), 400);
    try {
      const s = await (await backend()).stat(body.data.path);
      return c.json(ok(s.exists ? "true" : "false", { is_directory: s.isDirectory }));
    } catch (error) {
      return c.json(fileFailure(error));
    }
  });

  return app;
}

export interface StartSandboxServerOptions extends SandboxServerAppOptions {
  host?: string;
  port?: number;
  /** HTTP server: "bun" (Bun.serve) or "node" (node:http via @hono/node-server); by default the running runtime's. */
  runtime?: HttpRuntime;
}

export interface RunningSandboxServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves the sandbox API (used by `ml-intern sandbox serve` and inside the Space). Refuses to start without a token. */
export async function startSandboxServer(options: StartSandboxServerOptions): Promise<RunningSandboxServer> {
  if (!options.token || options.token.length < 16) {
    throw new Error(
      "Refusing to start the sandbox server without a bearer token of at least 16 characters (SANDBOX_API_TOKEN).",
    );
  }
  const backend =
    options.backend ??
    (await createLocalBackend({
      workspace: options.workspace ?? process.cwd(),
      isolation: options.isolation ?? "bwrap",
      network: options.network,
    }));
  const app = createSandboxServerApp({ ...options, backend });
  const host = options.host ?? "127.0.0.1";
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    server = await listen(app.fetch, { hostname: host, port: options.port ?? 7860 }, options.runtime);
  } catch (error) {
    if (!options.backend) await backend.dispose();
    throw error;
  }
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${server.port}`;
  return {
    url,
    port: server.port,
    async stop() {
      await server.stop();
      if (!options.backend) await backend.dispose();
    },
  };
}
