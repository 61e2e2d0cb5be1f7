import type { AnyToolDefinition } from "@ml-intern/core";
import type { SandboxToolsOptions } from "@ml-intern/sandbox";
import { CliError } from "../cli/exit-codes.ts";
import type { SandboxMode } from "../cli/parse-args.ts";
import type { Env } from "../config/types.ts";

export interface ToolCatalog {
  tools: AnyToolDefinition[];
  /** Stops running commands (user interrupt). */
  interrupt(): Promise<void>;
  /** Kills background commands; deletes an owned Space sandbox. */
  dispose(): Promise<void>;
}

export interface ToolCatalogOptions {
  env: Env;
  cwd: string;
  sandbox: SandboxMode;
  confirmCpuJobs: boolean;
  extraTools: readonly AnyToolDefinition[];
  fetch?: typeof fetch;
  warn: (message: string) => void;
}

/** The CLI's tools: @ml-intern/mcp-server's catalog bound to a sandbox this session owns. */
export async function loadToolCatalog(options: ToolCatalogOptions): Promise<ToolCatalog> {
  const [sandboxPkg, { createToolCatalog }] = await Promise.all([
    import("@ml-intern/sandbox"),
    import("@ml-intern/mcp-server"),
  ]);
  let sandbox: SandboxToolsOptions;
  let interrupt: () => Promise<void>;
  let dispose: () => Promise<void>;
  if (options.sandbox === "remote") {
    const hfToken = options.env.HF_TOKEN || options.env.HUGGING_FACE_HUB_TOKEN;
    if (!hfToken) throw new CliError("auth", "--sandbox remote needs HF_TOKEN to create a Space sandbox.");
    const sandboxes = sandboxPkg.createRemoteSandboxManager({
      provisioner: sandboxPkg.createSpaceProvisioner({
        hfToken,
        hubUrl: options.env.HF_ENDPOINT || undefined,
        fetch: options.fetch,
      }),
      log: options.warn,
    });
    sandbox = { mode: "remote", sandboxes };
    interrupt = () => sandboxes.interrupt();
    dispose = () => sandboxes.dispose();
  } else {
    let backend: Awaited<ReturnType<typeof sandboxPkg.createLocalBackend>>;
    try {
      backend = await sandboxPkg.createLocalBackend({
        workspace: options.cwd,
        isolation: options.sandbox,
        hostEnv: options.env,
        warn: options.warn,
      });
    } catch (error) {
      throw new CliError(
        "config",
        `${(error as Error).message} Use --sandbox none to run tools unsandboxed, or --sandbox remote.`,
      );
    }
    sandbox = { backend };
    interrupt = async () => {
      await backend.killAll();
    };
    dispose = () => backend.dispose();
  }
  try {
    const tools = createToolCatalog({
      env: options.env,
      cwd: options.cwd,
      sandbox,
      enableLocalTools: true,
      fetch: options.fetch,
      confirmCpuJobs: options.confirmCpuJobs,
      extraTools: options.extraTools,
    });
    return { tools, interrupt, dispose };
  } catch (error) {
    await dispose().catch(() => {});
    throw new CliError("config", (error as Error).message);
  }
}
