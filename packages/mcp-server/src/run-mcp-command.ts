import type { AnyToolDefinition } from "@ml-intern/core";
import type { HostCommandIo } from "@ml-intern/runtime/host";
import type { RunAgent } from "./agent-run.ts";
import { MCP_USAGE, type McpCommandArgs, parseMcpArgs, UsageError } from "./cli-args.ts";
import { isLoopbackHost } from "./host-guard.ts";
import type { SessionTraceSource } from "./session-resources.ts";
import { logToStderr } from "./stderr-log.ts";

/** What the command gets besides its flags (the host contract of @ml-intern/runtime). */
export type McpCommandIo = HostCommandIo;

const csv = (value: string | undefined): string[] | undefined => {
  const items = value
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
};

interface LocalSandbox {
  backend: import("@ml-intern/sandbox").SandboxBackend;
  dispose(): Promise<void>;
}

async function createLocalSandbox(
  args: McpCommandArgs,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  log: (m: string) => void,
): Promise<LocalSandbox | undefined> {
  if (!args.enableLocalTools) return undefined;
  const { createLocalBackend } = await import("@ml-intern/sandbox");
  const backend = await createLocalBackend({
    workspace: cwd,
    isolation: args.dangerouslyNoSandbox ? "none" : "bwrap",
    hostEnv: env,
    warn: log,
  });
  return { backend, dispose: () => backend.dispose() };
}

/** Loads the tool catalog (imported lazily so stdio can answer `initialize` while it loads). */
async function loadTools(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  sandbox: LocalSandbox | undefined,
  fetchImpl: typeof fetch | undefined,
): Promise<AnyToolDefinition[]> {
  const { createToolCatalog } = await import("@ml-intern/runtime/catalog");
  return createToolCatalog({
    env,
    cwd,
    ...(sandbox ? { sandbox: { backend: sandbox.backend }, enableLocalTools: true } : {}),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/**
 * core's research sub-agent as a tool of its own (read-only, streams its steps as logs), when a model
 * can be built from the environment; undefined otherwise.
 */
async function createResearch(
  model: string,
  env: Readonly<Record<string, string | undefined>>,
  tools: AnyToolDefinition[],
  log: (m: string) => void,
  fetchImpl: typeof fetch | undefined,
): Promise<AnyToolDefinition | undefined> {
  const [core, { RESEARCH_SYSTEM_PROMPT }] = await Promise.all([
    import("@ml-intern/core"),
    import("@ml-intern/runtime/prompts"),
  ]);
  let provider: Awaited<ReturnType<typeof core.createProvider>>;
  try {
    provider = await core.createProvider(model, { env, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  } catch (error) {
    log(`mcp: research tool not served: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const registry = core.createToolRegistry({ tools });
  return core.createResearchTool({
    provider: () => provider,
    tools: () => registry,
    systemPrompt: RESEARCH_SYSTEM_PROMPT,
  }) as AnyToolDefinition;
}

async function createAgentRunner(
  args: McpCommandArgs,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  tools: Promise<AnyToolDefinition[]>,
  fetchImpl: typeof fetch | undefined,
): Promise<{ run: RunAgent; dispose(): Promise<void> } | undefined> {
  if (!args.agentTool) return undefined;
  const { loadCreateMlInternAgent, createDefaultOpenAgent } = await import("./default-agent.ts");
  const create = await loadCreateMlInternAgent();
  const { createSessionRunner } = await import("./session-runner.ts");
  const { DEFAULT_MODEL } = await import("@ml-intern/runtime/model");
  const model = args.model ?? env.ML_INTERN_MODEL ?? DEFAULT_MODEL;
  // The agent adds its own research tool; give it the catalog without the standalone one.
  const catalog = tools.then((all) => all.filter((t) => t.name !== "research"));
  return createSessionRunner({
    open: async (request) =>
      createDefaultOpenAgent({
        create,
        model,
        env,
        tools: await catalog,
        cwd,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      })(request),
  });
}

async function createTraceSource(
  env: Readonly<Record<string, string | undefined>>,
): Promise<SessionTraceSource> {
  const [{ createSessionStore, createRedactor, resolveStateHome }, { homedir }, { traceSourceFromStore }] =
    await Promise.all([import("@ml-intern/core"), import("node:os"), import("./session-resources.ts")]);
  const store = createSessionStore({
    home: resolveStateHome({ env, homeDir: homedir() }),
    redactor: createRedactor({}),
  });
  return traceSourceFromStore(store);
}

/** Resolves on the signal, or (when there is none and `processSignals`) on SIGINT/SIGTERM. */
function waitForStop(signal: AbortSignal | undefined, processSignals: boolean): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    if (processSignals) {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    }
  });
}

/**
 * `ml-intern mcp [flags]`: serves stdio (default) or Streamable HTTP until the client disconnects or the
 * process is signalled. Returns the exit code: 0 ok, 1 startup failure, 2 bad flags. Logs go to stderr.
 */
export async function runMcpCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: McpCommandIo = {},
): Promise<number> {
  const log = io.log ?? logToStderr;
  let args: McpCommandArgs;
  try {
    args = parseMcpArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      log(`ml-intern mcp: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    log(MCP_USAGE);
    return 0;
  }
  const cwd = io.cwd ?? process.cwd();
  // stdio: answer `initialize` before loading the SDK and the tools (see fast-stdio.ts).
  const early =
    args.transport === "stdio"
      ? await (await import("./fast-stdio.ts")).acceptEarlyInitialize(
          io.stdin ?? process.stdin,
          io.stdout ?? process.stdout,
        )
      : undefined;
  let sandbox: LocalSandbox | undefined;
  try {
    sandbox = await createLocalSandbox(args, env, cwd, log);
  } catch (error) {
    log(`ml-intern mcp: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const { DEFAULT_MODEL } = await import("@ml-intern/runtime/model");
  const model = args.model ?? env.ML_INTERN_MODEL ?? DEFAULT_MODEL;
  const tools = loadTools(env, cwd, sandbox, io.fetch).then(async (catalog) => {
    if (!args.agentTool) return catalog;
    const research = await createResearch(model, env, catalog, log, io.fetch);
    return research ? [...catalog, research] : catalog;
  });
  let runner: Awaited<ReturnType<typeof createAgentRunner>>;
  try {
    if (args.transport === "http") await tools;
    runner = await createAgentRunner(args, env, cwd, tools, io.fetch);
  } catch (error) {
    log(`ml-intern mcp: ${error instanceof Error ? error.message : String(error)}`);
    await sandbox?.dispose();
    return 1;
  }
  // Session traces are the operator's own: served on stdio and loopback HTTP only.
  const traces =
    args.transport === "stdio" || isLoopbackHost(args.host) ? await createTraceSource(env) : undefined;
  const base = {
    filter: args.filter,
    ...(runner ? { runAgent: runner.run } : {}),
    ...(traces ? { traces } : {}),
  };
  try {
    if (args.transport === "stdio") {
      const { serveStdio } = await import("./serve-stdio.ts");
      const serving = await serveStdio(
        { ...base, tools },
        early ? { stdin: early.stdin, stdout: early.stdout } : {},
      );
      const failed = tools.then(
        () => new Promise<number>(() => {}),
        (error: unknown) => {
          log(`ml-intern mcp: ${error instanceof Error ? error.message : String(error)}`);
          return 1;
        },
      );
      const code = await Promise.race([
        serving.closed.then(() => 0),
        waitForStop(io.signal, false).then(() => 0),
        failed,
      ]);
      await serving.close();
      return code;
    }
    const { serveHttp } = await import("./serve-http.ts");
    const token = env.ML_INTERN_MCP_TOKEN?.trim() || undefined;
    const allowedHosts = csv(env.ML_INTERN_MCP_ALLOWED_HOSTS);
    const allowedOrigins = csv(env.ML_INTERN_MCP_ALLOWED_ORIGINS);
    const corsOrigins = csv(env.ML_INTERN_MCP_CORS_ORIGINS);
    let running: ReturnType<typeof serveHttp>;
    try {
      running = serveHttp({
        ...base,
        tools: await tools,
        host: args.host,
        port: args.port,
        stateless: args.stateless,
        jsonResponse: args.jsonResponse,
        log,
        ...(token ? { token } : {}),
        ...(allowedHosts ? { allowedHosts } : {}),
        ...(allowedOrigins ? { allowedOrigins } : {}),
        ...(corsOrigins ? { corsOrigins } : {}),
      });
    } catch (error) {
      log(`ml-intern mcp: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    log(`ML Intern MCP server listening on ${running.url} (${args.stateless ? "stateless" : "stateful"})`);
    io.onListening?.(running.url);
    await waitForStop(io.signal, true);
    await running.stop();
    return 0;
  } finally {
    await runner?.dispose();
    await sandbox?.dispose();
  }
}
