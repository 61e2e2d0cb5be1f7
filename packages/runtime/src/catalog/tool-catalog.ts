import type { AnyToolDefinition, Env } from "@ml-intern/core";
import type { SandboxBackend, SandboxToolsOptions } from "@ml-intern/sandbox";
import { createSandboxTools } from "@ml-intern/sandbox";
import { createToolsFromConfig, githubConfigFromEnv } from "@ml-intern/tools-github";
import {
  createHfTools,
  createJobTracker,
  createTrackioSeeder,
  hfConfigFromEnv,
  type JobTracker,
  type WorkspaceFileReader,
} from "@ml-intern/tools-hf";
import { RuntimeError } from "../errors.ts";

export interface ToolCatalogOptions {
  env: Env;
  /** The working directory (the workspace of local sandbox tools). */
  cwd: string;
  /** The sandbox to bind bash/read/write/edit to (a local or remote backend, or a Space manager). */
  sandbox?: SandboxToolsOptions;
  /** Local file and shell tools are served only when the host enables them. Remote sandboxes are not local. */
  enableLocalTools?: boolean;
  fetch?: typeof fetch;
  /** false: CPU jobs run without approval. Default true. */
  confirmCpuJobs?: boolean;
  /** Tools from elsewhere (MCP-proxied tools), appended last. */
  extraTools?: readonly AnyToolDefinition[];
  /** Jobs started by hf_jobs; the host cancels them on interrupt (`jobTracker.cancelAll()`). */
  jobTracker?: JobTracker;
}

/** Reads files of the session's sandbox, so hf_jobs can ship a `script` path the agent wrote. */
export function sandboxFileReader(sandbox: SandboxToolsOptions): WorkspaceFileReader {
  return async (path) => {
    if (sandbox.mode === "remote") {
      const active = sandbox.sandboxes.active();
      if (!active) throw new Error("no sandbox is running yet, so the file does not exist there");
      return (await active.backend.readFile(path)).content;
    }
    return (await sandbox.backend.readFile(path)).content;
  };
}

/** True when the sandbox options would give local file and shell access. */
export function isLocalSandbox(sandbox: SandboxToolsOptions): boolean {
  return sandbox.mode !== "remote" && sandbox.backend.kind !== "remote";
}

/**
 * The one assembly of ML Intern's tools for every host (MCP server and CLI): tools-hf, tools-github
 * (github toolset, web_search, notify when destinations are configured), the sandbox tools when a
 * sandbox is given (local ones only with enableLocalTools), then any extra tools.
 * Throws on malformed configuration (bad base URLs) so it fails at startup.
 */
export function createToolCatalog(options: ToolCatalogOptions): AnyToolDefinition[] {
  const sandbox = options.sandbox;
  const sandboxServed = !!sandbox && (!isLocalSandbox(sandbox) || !!options.enableLocalTools);
  const hfConfig = hfConfigFromEnv(options.env);
  const hf = createHfTools({
    config: hfConfig,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.confirmCpuJobs === undefined ? {} : { confirmCpuJobs: options.confirmCpuJobs }),
    ...(options.jobTracker ? { jobTracker: options.jobTracker } : {}),
    ...(sandbox && sandboxServed ? { readWorkspaceFile: sandboxFileReader(sandbox) } : {}),
  });
  const github = createToolsFromConfig({
    config: githubConfigFromEnv(options.env),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const tools: AnyToolDefinition[] = [...hf, ...github];
  if (sandbox && sandboxServed) {
    const bound: SandboxToolsOptions =
      sandbox.mode === "remote" && !sandbox.seedTrackio
        ? {
            ...sandbox,
            seedTrackio: createTrackioSeeder({
              config: hfConfig,
              ...(options.fetch ? { fetch: options.fetch } : {}),
            }),
          }
        : sandbox;
    tools.push(...createSandboxTools(bound).tools);
  }
  tools.push(...(options.extraTools ?? []));
  return tools;
}

/**
 * Where a session's bash/read/write/edit run: bubblewrap on this machine, unsandboxed on this machine,
 * a Hugging Face Space the session creates and deletes, or `off` (no sandbox tools at all).
 */
export type SandboxChoice = "bwrap" | "none" | "remote" | "off";

export interface SessionToolsOptions extends Omit<ToolCatalogOptions, "sandbox" | "enableLocalTools"> {
  sandbox: SandboxChoice;
  /** Network of a local sandbox: "on", "off" or a domain allowlist (the `sandbox_network` config key). */
  network?: "on" | "off" | readonly string[];
  /** Warnings for the user (stderr). */
  warn?: (message: string) => void;
  /** Appended when the local sandbox cannot start (the host's own flags). Default: the CLI's --sandbox hint. */
  sandboxHint?: string;
}

/** The catalog bound to a sandbox the session owns. */
export interface SessionTools {
  tools: AnyToolDefinition[];
  /** Stops running commands and cancels the HF jobs started in the turn (user interrupt). */
  interrupt(): Promise<void>;
  /** A turn ended normally: the jobs it started keep running and a later interrupt no longer cancels them. */
  turnEnded(): void;
  /** The session's HF jobs that a turn interrupt would cancel. */
  jobTracker: JobTracker;
  /** Kills background commands; deletes an owned Space sandbox. */
  dispose(): Promise<void>;
}

interface OwnedSandbox {
  options?: SandboxToolsOptions;
  interrupt(): Promise<void>;
  dispose(): Promise<void>;
}

async function createOwnedSandbox(options: SessionToolsOptions): Promise<OwnedSandbox> {
  const noop = async () => {};
  if (options.sandbox === "off") return { interrupt: noop, dispose: noop };
  const sandboxPkg = await import("@ml-intern/sandbox");
  const warn = options.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  if (options.sandbox === "remote") {
    const hfToken = options.env.HF_TOKEN || options.env.HUGGING_FACE_HUB_TOKEN;
    if (!hfToken)
      throw new RuntimeError("auth", "--sandbox remote needs HF_TOKEN to create a Space sandbox.");
    const sandboxes = sandboxPkg.createRemoteSandboxManager({
      provisioner: sandboxPkg.createSpaceProvisioner({
        hfToken,
        hubUrl: options.env.HF_ENDPOINT || undefined,
        fetch: options.fetch,
        // The Space sandboxes are duplicated from (packages/sandbox/template/publish.ts publishes your own).
        templateSpace: options.env.ML_INTERN_SANDBOX_TEMPLATE || undefined,
      }),
      log: warn,
    });
    return {
      options: { mode: "remote", sandboxes },
      interrupt: () => sandboxes.interrupt(),
      dispose: () => sandboxes.dispose(),
    };
  }
  let backend: SandboxBackend;
  try {
    backend = await sandboxPkg.createLocalBackend({
      workspace: options.cwd,
      isolation: options.sandbox,
      network: typeof options.network === "object" ? { allowDomains: options.network } : options.network,
      hostEnv: options.env,
      warn,
    });
  } catch (error) {
    throw new RuntimeError(
      "config",
      `${(error as Error).message} ${options.sandboxHint ?? "Use --sandbox none to run tools unsandboxed, or --sandbox remote."}`,
      { cause: error },
    );
  }
  return {
    options: { backend },
    interrupt: async () => {
      await backend.killAll();
    },
    dispose: () => backend.dispose(),
  };
}

/**
 * The catalog for one session (CLI or MCP server): creates the sandbox the session owns, binds the
 * sandbox tools to it and returns the tools with interrupt/dispose for that sandbox. Throws RuntimeError.
 */
export async function loadSessionTools(options: SessionToolsOptions): Promise<SessionTools> {
  const sandbox = await createOwnedSandbox(options);
  const jobTracker = createJobTracker(options.warn ? { log: options.warn } : {});
  try {
    const tools = createToolCatalog({
      jobTracker,
      env: options.env,
      cwd: options.cwd,
      ...(sandbox.options ? { sandbox: sandbox.options, enableLocalTools: true } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.confirmCpuJobs === undefined ? {} : { confirmCpuJobs: options.confirmCpuJobs }),
      ...(options.extraTools ? { extraTools: options.extraTools } : {}),
    });
    return {
      tools,
      async interrupt() {
        await Promise.all([sandbox.interrupt(), jobTracker.cancelAll()]);
      },
      turnEnded: () => jobTracker.forgetAll(),
      jobTracker,
      async dispose() {
        // An interrupt's job cancellations must reach the Hub before the host exits.
        await jobTracker.settled();
        await sandbox.dispose();
      },
    };
  } catch (error) {
    await sandbox.dispose().catch(() => {});
    throw new RuntimeError("config", (error as Error).message, { cause: error });
  }
}
