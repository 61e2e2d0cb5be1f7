import type { AnyToolDefinition } from "@ml-intern/core";
import type { CreateTaskRequestHandlerExtra } from "@modelcontextprotocol/sdk/experimental/tasks/interfaces.js";
import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import {
  type ANY_ARGUMENTS,
  createToolHandler,
  type RegisterToolOptions,
  type ToolCallExtra,
  toolRegistrationConfig,
} from "./register-tool.ts";
import type { McpTaskStore } from "./task-store.ts";

export interface RegisterTaskToolOptions extends RegisterToolOptions {
  store: McpTaskStore;
  /**
   * How long createTask waits for the call to finish before answering with a working task (default 1 s):
   * a quick call (a `ps`, a status read) then ends at once, with or without task augmentation.
   */
  settleMs?: number;
}

const STATUS_LINE_CHARS = 300;

const flatten = (line: unknown): string | undefined =>
  typeof line === "string" && line.trim() ? line.replace(/\s+/g, " ").trim() : undefined;

/**
 * A task's status line from the call's latest progress message and latest log line ("3 log lines · epoch 2
 * loss=1.9", "Calling hf_jobs · Submitting the job"), clipped; both matter, as tools use them differently.
 */
function createStatusLine(): (notification: ServerNotification) => string | undefined {
  let progress: string | undefined;
  let log: string | undefined;
  return (notification) => {
    if (notification.method === "notifications/progress")
      progress = flatten(notification.params.message) ?? progress;
    else if (notification.method === "notifications/message") log = flatten(notification.params.data) ?? log;
    else return undefined;
    const line = [progress, log].filter((part) => part !== undefined).join(" · ");
    if (!line) return undefined;
    return line.length > STATUS_LINE_CHARS ? `${line.slice(0, STATUS_LINE_CHARS - 1)}…` : line;
  };
}

/** A call that ends within settleMs is answered complete; otherwise the race resolves and the work goes on. */
async function settle(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * A long-running tool (ml_intern, hf_jobs) as an MCP task tool (taskSupport "optional"): a task-augmented
 * tools/call returns a task at once while the call goes on in the background on the same tool-call path as
 * every other tool (createToolHandler); tasks/get shows the latest progress line as statusMessage,
 * tasks/result the call's result, tasks/cancel aborts the call (an agent run is interrupted, a followed job
 * cancelled on the Hub). A client that asks for no task is served by the SDK's automatic polling: same
 * result, same progress notifications, and its notifications/cancelled still aborts the call.
 */
export function registerTaskToolDefinition(
  server: McpServer,
  def: AnyToolDefinition,
  options: RegisterTaskToolOptions,
): RegisteredTool {
  const { store } = options;
  const handler = createToolHandler(def, options);
  const settleMs = options.settleMs ?? 1000;

  const createTask = async (args: unknown, extra: CreateTaskRequestHandlerExtra) => {
    const task = await extra.taskStore.createTask({
      ...(extra.taskRequestedTtl !== undefined ? { ttl: extra.taskRequestedTtl } : {}),
    });
    const { taskId } = task;
    const controller = new AbortController();
    // The request's own signal matters until the reply: a task request is answered at once, and a call
    // served by automatic polling is answered at the end, so its client's cancellation still reaches the call.
    const abort = () => controller.abort();
    extra.signal.addEventListener("abort", abort, { once: true });
    const unsubscribe = store.onCancel(taskId, abort);
    // tasks/get shows the latest progress or log line, whether or not the client asked for progress.
    const clientToken = extra._meta?.progressToken;
    const statusLine = createStatusLine();
    const sendNotification = async (notification: ServerNotification) => {
      const line = statusLine(notification);
      if (line) store.setStatusMessage(taskId, line, extra.sessionId);
      if (notification.method === "notifications/progress" && clientToken === undefined) return;
      await extra.sendNotification(notification);
    };
    const workExtra: ToolCallExtra = {
      ...extra,
      _meta: { ...extra._meta, progressToken: clientToken ?? `task-${taskId}` },
      signal: controller.signal,
      sendNotification,
    };
    const finish = (result: CallToolResult) =>
      extra.taskStore.storeTaskResult(taskId, result.isError ? "failed" : "completed", result);
    const work = handler((args ?? {}) as Record<string, unknown>, workExtra)
      .catch(
        (error: unknown): CallToolResult => ({
          content: [
            {
              type: "text",
              text: `${def.name} failed: ${error instanceof Error ? error.message : String(error)}`,
            },
          ],
          isError: true,
        }),
      )
      .then(finish)
      .catch(() => {}) // the task expired or the server closed meanwhile: nobody is left to tell
      .finally(() => {
        unsubscribe();
        extra.signal.removeEventListener("abort", abort);
      });
    await settle(work, settleMs);
    return { task: (await store.getTask(taskId, extra.sessionId)) ?? task };
  };

  const config = { ...toolRegistrationConfig(def), execution: { taskSupport: "optional" as const } };
  return server.experimental.tasks.registerToolTask<typeof ANY_ARGUMENTS, z.ZodObject>(def.name, config, {
    createTask,
    getTask: (_args, extra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (_args, extra) =>
      (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  });
}
