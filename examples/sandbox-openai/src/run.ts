import { createOpenAIToolRunner } from "@ml-intern/core/adapters";
import { createLocalBackend, createSandboxTools } from "@ml-intern/sandbox";
import type OpenAI from "openai";

export interface CodeTaskOptions {
  client: OpenAI;
  model: string;
  task: string;
  /** The only directory the tools may write to. */
  workspace: string;
  /** "bwrap" (default) isolates commands with bubblewrap; "none" runs them directly on this machine. */
  isolation?: "bwrap" | "none";
  maxSteps?: number;
  signal?: AbortSignal;
  onToolCall?: (name: string, args: string) => void;
}

/** The sandbox's bash/read/write/edit tools in a chat-completions tool loop (OpenAI, HF router, vLLM, ...). */
export async function runCodeTask(
  options: CodeTaskOptions,
): Promise<{ answer: string | null; steps: number }> {
  const backend = await createLocalBackend({
    workspace: options.workspace,
    isolation: options.isolation ?? "bwrap",
    warn: (m) => process.stderr.write(`${m}\n`),
  });
  const sandbox = createSandboxTools({ backend });
  const tools = createOpenAIToolRunner({ tools: sandbox.tools });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    {
      role: "system",
      content: "You are a careful engineer. Work only inside the workspace using the tools.",
    },
    { role: "user", content: options.task },
  ];
  const onAbort = () => void sandbox.interrupt();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (let step = 1; step <= (options.maxSteps ?? 12); step++) {
      const completion = await options.client.chat.completions.create(
        { model: options.model, messages, tools: tools.tools },
        { signal: options.signal },
      );
      const message = completion.choices[0]?.message;
      if (!message) throw new Error("The model returned no choices.");
      messages.push(message);
      if (!message.tool_calls?.length) return { answer: message.content, steps: step };
      for (const call of message.tool_calls) {
        if (call.type === "function") options.onToolCall?.(call.function.name, call.function.arguments);
      }
      messages.push(...(await tools.runToolCalls(message.tool_calls, { signal: options.signal })));
    }
    return { answer: null, steps: options.maxSteps ?? 12 };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await sandbox.dispose();
  }
}
