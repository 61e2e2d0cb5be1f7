/** The texts every host (agent loop, SDK adapters, MCP server) returns to the model for the same situation. */
export const toolCallText = {
  malformedJson: (name: string): string =>
    `This call to '${name}' had malformed JSON arguments (not valid JSON), so it was NOT executed. Retry with smaller content; for 'write', split the file into several smaller writes or edits, or use bash with a heredoc.`,
  unknownTool: (name: string, available: readonly string[]): string =>
    `Unknown tool '${name}'. Available tools: ${available.join(", ")}.`,
  invalidArguments: (name: string, issues: string): string =>
    `Invalid arguments for tool '${name}':\n${issues}\nFix the arguments to match the tool's schema and call it again.`,
  cancelled: (name: string): string => `Tool '${name}' was cancelled.`,
  failed: (name: string, message: string): string => `Tool '${name}' failed: ${message}`,
  notExecuted: (reason: string): string => `Not executed: ${reason}`,
  rejected: (feedback: string): string =>
    `The user rejected this call${feedback ? `. User feedback: ${feedback}` : "."}`,
  abandoned: "Task abandoned: the user continued the conversation without approving.",
  editedNote: "[The user edited the arguments of this call before approving it.]\n",
} as const;
