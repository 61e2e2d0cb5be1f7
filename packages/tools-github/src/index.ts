export {
  DEFAULT_GITHUB_API_URL,
  DEFAULT_USER_AGENT,
  DEFAULT_WEB_SEARCH_URL,
  type Env,
  type GithubToolsConfig,
  githubConfigFromEnv,
} from "./config.ts";
export { createToolsFromConfig, type ToolsFromConfigOptions } from "./create-tools.ts";
export { createGithubClient, type GithubClient, type GithubClientOptions } from "./github/client.ts";
export { createGithubTools } from "./github/create-github-tools.ts";
export type { GithubToolDeps } from "./github/deps.ts";
export { describeGithubError } from "./github/describe-error.ts";
export { EXAMPLE_PATTERNS, rankExampleFiles } from "./github/example-ranking.ts";
export { notebookToMarkdown } from "./github/notebook-to-markdown.ts";
export { abortableSleep, type Sleep } from "./github/sleep.ts";
export {
  type NotifyDestination,
  notifyDestinationsFromEnv,
  parseNotifyDestinations,
} from "./notify/destinations.ts";
export { createNotifyTool, type NotifyToolOptions } from "./notify/notify.ts";
export { type Notification, type SendDeps, type Severity, sendNotification } from "./notify/send.ts";
export { markdownToSlack } from "./notify/slack-format.ts";
export { createWebSearchTool, type WebSearchDeps } from "./web/web-search.ts";
