/** What the server says about itself in `initialize`; no SDK import, so the stdio fast path can use it. */

export const SERVER_NAME = "ml-intern";
export const SERVER_VERSION = "0.1.0";

/** Exactly what McpServer ends up declaring for a server built by createMcpServer (tested against it). */
export const SERVER_CAPABILITIES = {
  tools: { listChanged: true },
  logging: {},
  prompts: { listChanged: true },
  resources: { listChanged: true },
  // Long-running tools (ml_intern, hf_jobs) run as MCP tasks; stateless HTTP leaves this out.
  tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
};

/** The MCP SDK's supported protocol versions, newest first (a test checks it against the SDK). */
export const SUPPORTED_PROTOCOL_VERSIONS = [
  "2025-11-25",
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
  "2024-10-07",
];

export const DEFAULT_INSTRUCTIONS =
  "ML Intern: tools for machine-learning engineering on Hugging Face (Hub search and details, papers, datasets, docs, jobs) and GitHub examples. Read-only tools are safe to call freely; job and write tools spend money or change things. The ml_intern tool (when listed) runs the whole agent on a task and returns a session_id to continue it.";

/** The InitializeResult the SDK's server would send for a client asking `requestedVersion`. */
export function initializeResult(requestedVersion: unknown, instructions = DEFAULT_INSTRUCTIONS) {
  const protocolVersion =
    typeof requestedVersion === "string" && SUPPORTED_PROTOCOL_VERSIONS.includes(requestedVersion)
      ? requestedVersion
      : SUPPORTED_PROTOCOL_VERSIONS[0]!;
  return {
    protocolVersion,
    capabilities: SERVER_CAPABILITIES,
    serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    ...(instructions ? { instructions } : {}),
  };
}
