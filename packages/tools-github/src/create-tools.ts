import type { AnyToolDefinition } from "@ml-intern/tool";
import type { GithubToolsConfig } from "./config.ts";
import { createGithubTools } from "./github/create-github-tools.ts";
import type { Sleep } from "./github/sleep.ts";
import { createNotifyTool } from "./notify/notify.ts";
import { createWebSearchTool } from "./web/web-search.ts";

export interface ToolsFromConfigOptions {
  config: GithubToolsConfig;
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => Date;
}

/**
 * Every tool of this package for a config: the github toolset, web_search, and notify
 * (notify only when at least one destination is configured).
 */
export function createToolsFromConfig(options: ToolsFromConfigOptions): AnyToolDefinition[] {
  const tools = [
    ...createGithubTools(options),
    createWebSearchTool({
      baseUrl: options.config.webSearchUrl,
      fetch: options.fetch,
      userAgent: options.config.userAgent,
    }),
  ];
  if (options.config.notifyDestinations.length > 0) {
    tools.push(
      createNotifyTool({
        destinations: options.config.notifyDestinations,
        fetch: options.fetch,
        sleep: options.sleep,
        now: options.now,
      }),
    );
  }
  return tools;
}
