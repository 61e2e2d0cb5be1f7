import type { AnyToolDefinition } from "@ml-intern/tool";
import type { GithubToolDeps } from "./deps.ts";
import { createFindExamplesTool } from "./find-examples.ts";
import { createListReposTool } from "./list-repos.ts";
import { createReadFileTool } from "./read-file.ts";
import { createSearchCodeTool } from "./search-code.ts";

/** The "github" toolset: find examples, list repositories, read files, search code. */
export function createGithubTools(deps: GithubToolDeps): AnyToolDefinition[] {
  return [
    createFindExamplesTool(deps),
    createListReposTool(deps),
    createReadFileTool(deps),
    createSearchCodeTool(deps),
  ];
}
