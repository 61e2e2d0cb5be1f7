import type Anthropic from "@anthropic-ai/sdk";
import { createAnthropicToolRunner, type ToolApprovalHandler } from "@ml-intern/core/adapters";
import { DEFAULT_MODEL } from "@ml-intern/runtime/model";
import { createHfTools, type HfConfig } from "@ml-intern/tools-hf";

export interface AskOptions {
  client: Anthropic;
  hf: HfConfig;
  prompt: string;
  model?: string;
  /** Model calls before giving up (default 8). */
  maxSteps?: number;
  /** Jobs and repo writes ask here; without it they are refused. */
  approve?: ToolApprovalHandler;
  signal?: AbortSignal;
  onToolCall?: (name: string, input: unknown) => void;
}

export interface AskResult {
  answer: string;
  steps: number;
  messages: Anthropic.MessageParam[];
}

/** A plain Messages API tool loop: the model calls the HF tools until it answers in text. */
export async function askWithHfTools(options: AskOptions): Promise<AskResult> {
  const hfTools = createAnthropicToolRunner({
    tools: createHfTools({ config: options.hf }),
    approve: options.approve,
  });
  const messages: Anthropic.MessageParam[] = [{ role: "user", content: options.prompt }];
  const maxSteps = options.maxSteps ?? 8;
  for (let step = 1; step <= maxSteps; step++) {
    const reply = await options.client.messages.create(
      {
        model: options.model ?? DEFAULT_MODEL.replace(/^anthropic\//, ""),
        max_tokens: 4096,
        system: "You answer questions about the Hugging Face Hub. Use the tools; cite repo ids.",
        tools: hfTools.tools,
        messages,
      },
      { signal: options.signal },
    );
    messages.push({ role: "assistant", content: reply.content });
    for (const block of reply.content)
      if (block.type === "tool_use") options.onToolCall?.(block.name, block.input);
    const results = await hfTools.runToolUses(reply.content, { signal: options.signal });
    if (results.length === 0) {
      const answer = reply.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
      return { answer, steps: step, messages };
    }
    messages.push({ role: "user", content: results });
  }
  throw new Error(`No answer after ${maxSteps} model calls.`);
}
