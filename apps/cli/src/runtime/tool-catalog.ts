import type { AnyToolDefinition } from "@ml-intern/core";
import type { SandboxMode } from "../cli/parse-args.ts";
import type { Env } from "../config/types.ts";

export interface ToolCatalog {
  tools: AnyToolDefinition[];
  /** Stops running commands (user interrupt). */
  interrupt(): Promise<void>;
  dispose(): Promise<void>;
}

export interface ToolCatalogOptions {
  env: Env;
  cwd: string;
  sandbox: SandboxMode;
  fetch?: typeof fetch;
  warn: (message: string) => void;
}

/**
 * The built-in tools for a CLI session.
 *
 * Interim: @ml-intern/mcp-server's `createToolCatalog` (the one place tools are assembled) has not
 * landed yet, so this provides the local file/shell tools only. Replace the body with a call to it.
 */
export async function loadToolCatalog(options: ToolCatalogOptions): Promise<ToolCatalog> {
  const { createLocalBackend, createSandboxTools } = await import("@ml-intern/sandbox");
  if (options.sandbox === "remote") {
    throw new Error("--sandbox remote needs the HF tool catalog, which this build does not include yet.");
  }
  const backend = await createLocalBackend({
    workspace: options.cwd,
    isolation: options.sandbox,
    hostEnv: options.env,
    warn: options.warn,
  });
  const sandbox = createSandboxTools({ backend });
  return { tools: sandbox.tools, interrupt: () => sandbox.interrupt(), dispose: () => sandbox.dispose() };
}
