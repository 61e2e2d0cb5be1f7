import type { AnyToolDefinition } from "@ml-intern/core";
import { createSandboxTools, type SandboxToolsOptions } from "@ml-intern/sandbox";
import { createToolsFromConfig, githubConfigFromEnv } from "@ml-intern/tools-github";
import { createHfTools, hfConfigFromEnv } from "@ml-intern/tools-hf";

export interface ToolCatalogOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory (the workspace of local sandbox tools). */
  cwd: string;
  /** The sandbox to bind bash/read/write/edit to (a local or remote backend, or a Space manager). */
  sandbox?: SandboxToolsOptions;
  /** Local file and shell tools are served only when the operator enables them. Remote sandboxes are not local. */
  enableLocalTools?: boolean;
  fetch?: typeof fetch;
  /** false: CPU jobs run without approval. Default true. */
  confirmCpuJobs?: boolean;
  /** Tools from elsewhere (core's research/plan tools, MCP-proxied tools), appended last. */
  extraTools?: readonly AnyToolDefinition[];
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
  const hf = createHfTools({
    config: hfConfigFromEnv(options.env),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.confirmCpuJobs === undefined ? {} : { confirmCpuJobs: options.confirmCpuJobs }),
  });
  const github = createToolsFromConfig({
    config: githubConfigFromEnv(options.env),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const tools: AnyToolDefinition[] = [...hf, ...github];
  const sandbox = options.sandbox;
  if (sandbox && (!isLocalSandbox(sandbox) || options.enableLocalTools)) {
    tools.push(...createSandboxTools(sandbox).tools);
  }
  tools.push(...(options.extraTools ?? []));
  return tools;
}
