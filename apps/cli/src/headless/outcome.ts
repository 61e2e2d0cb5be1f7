import type { ErrorCode, TurnResult } from "@ml-intern/core";
import { EXIT, type ExitCode } from "../cli/exit-codes.ts";

export type RunStatus = "success" | "max_iterations" | "interrupted" | "loop_aborted" | "error";

export interface RunOutcome {
  status: RunStatus;
  exitCode: ExitCode;
  error: { type: string; message: string; code: ExitCode } | null;
}

function errorExit(code: ErrorCode): ExitCode {
  switch (code) {
    case "auth":
      return EXIT.auth;
    case "config":
    case "model_not_found":
      return EXIT.config;
    case "loop_detected":
      return EXIT.loopAborted;
    default:
      return EXIT.error;
  }
}

/** Maps how a turn ended to the documented exit codes. */
export function outcomeOf(result: TurnResult): RunOutcome {
  switch (result.status) {
    case "done":
      // An empty or thinking-only last reply is not a success: there is no answer to print.
      if (!result.finalResponse?.trim()) {
        return {
          status: "error",
          exitCode: EXIT.error,
          error: {
            type: "empty_response",
            message:
              "The model ended the turn without an answer (an empty or thinking-only reply). Run again, or try another model with --model.",
            code: EXIT.error,
          },
        };
      }
      return { status: "success", exitCode: EXIT.ok, error: null };
    case "max_iterations":
      return {
        status: "max_iterations",
        exitCode: EXIT.maxIterations,
        error: {
          type: "max_iterations",
          message: `Stopped after ${result.iterations} model calls (--max-iterations).`,
          code: EXIT.maxIterations,
        },
      };
    case "interrupted":
      return {
        status: "interrupted",
        exitCode: EXIT.interrupted,
        error: { type: "interrupted", message: "Interrupted.", code: EXIT.interrupted },
      };
    case "error": {
      const code = result.error?.code ?? "internal";
      const exitCode = errorExit(code);
      return {
        status: code === "loop_detected" ? "loop_aborted" : "error",
        exitCode,
        error: { type: code, message: result.error?.message ?? "The run failed.", code: exitCode },
      };
    }
  }
}
