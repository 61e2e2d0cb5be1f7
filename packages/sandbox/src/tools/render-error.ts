import type { ToolResult } from "@ml-intern/tool";
import { SandboxFileError, SandboxRemoteError, SandboxUnavailableError } from "../errors.ts";

/** Turns failures the model or user can act on into error results; anything else is rethrown. */
export function renderError(error: unknown, operation: string): ToolResult {
  if (
    error instanceof SandboxFileError ||
    error instanceof SandboxRemoteError ||
    error instanceof SandboxUnavailableError
  ) {
    return { text: error.message, isError: true, structured: { error: error.name } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { text: `${operation} failed: ${message}`, isError: true };
}
