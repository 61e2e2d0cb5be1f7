import type Anthropic from "@anthropic-ai/sdk";
import type { ToolSchema } from "@ml-intern/tool";
import { classifyLlmError } from "./llm-error.ts";
import type { AssistantMessage, Message, ReasoningBlock, ToolCall } from "./messages.ts";
import type {
  LlmCallOptions,
  LlmProvider,
  LlmRequest,
  LlmResponse,
  ModelInfo,
  ReasoningEffort,
  StopReason,
} from "./provider.ts";
import type { Usage } from "./usage.ts";

type MessageParam = Anthropic.Messages.MessageParam;
type ContentBlockParam = Anthropic.Messages.ContentBlockParam;
type CreateParams = Omit<Anthropic.Messages.MessageCreateParamsNonStreaming, "stream">;

/** The slice of the Anthropic (or AnthropicBedrock) client the provider uses. */
export interface AnthropicLikeClient {
  messages: Pick<Anthropic["messages"], "create">;
}

const CACHE = { type: "ephemeral" } as const;
const THINKING_BUDGET: Record<ReasoningEffort, number> = {
  low: 2048,
  medium: 8192,
  high: 16_384,
  max: 32_000,
};

function parseArgs(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw || "{}");
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Converts the neutral history to Anthropic messages; consecutive same-role turns are merged. */
export function toAnthropicMessages(messages: readonly Message[], providerName: string): MessageParam[] {
  const out: MessageParam[] = [];
  const push = (role: "user" | "assistant", blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (last && last.role === role && Array.isArray(last.content)) {
      last.content.push(...blocks);
    } else {
      out.push({ role, content: blocks });
    }
  };
  for (const m of messages) {
    if (m.role === "user") {
      push("user", [{ type: "text", text: m.content || "(empty)" }]);
    } else if (m.role === "tool") {
      push("user", [
        {
          type: "tool_result",
          tool_use_id: m.toolCallId,
          content: m.content || "(no output)",
          is_error: m.isError || undefined,
        },
      ]);
    } else {
      const blocks: ContentBlockParam[] = [];
      if (m.reasoning && m.reasoningProvider === providerName) {
        for (const r of m.reasoning) {
          blocks.push(
            r.type === "thinking"
              ? { type: "thinking", thinking: r.thinking, signature: r.signature }
              : { type: "redacted_thinking", data: r.data },
          );
        }
      }
      if (m.content) blocks.push({ type: "text", text: m.content });
      for (const call of m.toolCalls) {
        blocks.push({ type: "tool_use", id: call.id, name: call.name, input: parseArgs(call.arguments) });
      }
      if (blocks.length === 0) blocks.push({ type: "text", text: "(no content)" });
      push("assistant", blocks);
    }
  }
  return out;
}

/** Cache breakpoints: the stable prefix (tools, system) and the latest turn. At most 4 are allowed; we use 3. */
export function buildAnthropicParams(
  request: LlmRequest,
  info: ModelInfo,
  providerName: string,
): CreateParams {
  const messages = toAnthropicMessages(request.messages, providerName);
  const last = messages[messages.length - 1];
  if (last && Array.isArray(last.content) && last.content.length > 0) {
    const block = last.content[last.content.length - 1] as ContentBlockParam & { cache_control?: unknown };
    if (block.type !== "thinking" && block.type !== "redacted_thinking") block.cache_control = CACHE;
  }
  const tools = request.tools.map((t: ToolSchema, i, all) => ({
    name: t.name,
    description: t.description,
    input_schema: t.inputSchema as Anthropic.Messages.Tool.InputSchema,
    ...(i === all.length - 1 ? { cache_control: CACHE } : {}),
  }));
  const params: CreateParams = {
    model: info.wireModel,
    max_tokens: request.maxOutputTokens ?? info.maxOutputTokens,
    system: [{ type: "text", text: request.system, cache_control: CACHE }],
    messages,
    ...(tools.length ? { tools, tool_choice: { type: "auto" } } : {}),
  };
  if (request.effort && info.supportsThinking) {
    const budget = THINKING_BUDGET[request.effort];
    params.thinking = { type: "enabled", budget_tokens: budget };
    if (params.max_tokens <= budget) params.max_tokens = budget + 4096;
  }
  return params;
}

function mapStop(reason: string | null | undefined): StopReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "end_turn";
    case "tool_use":
      return "tool_use";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "max_tokens";
    case "refusal":
      return "refusal";
    default:
      return "other";
  }
}

interface BlockState {
  type: string;
  text: string;
  json: string;
  id?: string;
  name?: string;
  signature: string;
  data?: string;
}

export interface AnthropicProviderOptions {
  client: AnthropicLikeClient;
  info: ModelInfo;
  /** "anthropic" or "bedrock": thinking signatures are only replayed to the provider that made them. */
  providerName: string;
  requestTimeoutMs?: number;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const { client, info, providerName } = options;
  return {
    info,
    async complete(request: LlmRequest, call: LlmCallOptions): Promise<LlmResponse> {
      const params = buildAnthropicParams(request, info, providerName);
      const reqOptions = { signal: call.signal, timeout: options.requestTimeoutMs ?? 600_000, maxRetries: 0 };
      try {
        if (!request.stream) {
          const msg = await client.messages.create({ ...params, stream: false }, reqOptions);
          const blocks: BlockState[] = msg.content.map((b) => {
            if (b.type === "text") return { type: "text", text: b.text, json: "", signature: "" };
            if (b.type === "thinking")
              return { type: "thinking", text: b.thinking, json: "", signature: b.signature };
            if (b.type === "redacted_thinking")
              return { type: "redacted_thinking", text: "", json: "", signature: "", data: b.data };
            if (b.type === "tool_use") {
              return {
                type: "tool_use",
                text: "",
                json: JSON.stringify(b.input ?? {}),
                id: b.id,
                name: b.name,
                signature: "",
              };
            }
            return { type: b.type, text: "", json: "", signature: "" };
          });
          return finish(blocks, msg.stop_reason, usageFrom(msg.usage), msg.model);
        }
        const stream = await client.messages.create({ ...params, stream: true as const }, reqOptions);
        const blocks: BlockState[] = [];
        let stop: string | null = null;
        let usage: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
        let model = info.wireModel;
        let stopped = false;
        for await (const event of stream) {
          switch (event.type) {
            case "message_start":
              usage = usageFrom(event.message.usage);
              model = event.message.model;
              break;
            case "content_block_start": {
              const b = event.content_block;
              blocks[event.index] = {
                type: b.type,
                text: b.type === "text" ? b.text : b.type === "thinking" ? b.thinking : "",
                json: "",
                id: b.type === "tool_use" ? b.id : undefined,
                name: b.type === "tool_use" ? b.name : undefined,
                signature: b.type === "thinking" ? b.signature : "",
                data: b.type === "redacted_thinking" ? b.data : undefined,
              };
              break;
            }
            case "content_block_delta": {
              const block = blocks[event.index];
              if (!block) break;
              const d = event.delta;
              if (d.type === "text_delta") {
                block.text += d.text;
                call.onTextDelta?.(d.text);
              } else if (d.type === "input_json_delta") {
                block.json += d.partial_json;
              } else if (d.type === "thinking_delta") {
                block.text += d.thinking;
                call.onThinkingDelta?.(d.thinking);
              } else if (d.type === "signature_delta") {
                block.signature += d.signature;
              }
              break;
            }
            case "message_delta":
              stop = event.delta.stop_reason ?? stop;
              usage = {
                inputTokens: event.usage.input_tokens ?? usage.inputTokens,
                outputTokens: event.usage.output_tokens ?? usage.outputTokens,
                cacheReadTokens: event.usage.cache_read_input_tokens ?? usage.cacheReadTokens,
                cacheWriteTokens: event.usage.cache_creation_input_tokens ?? usage.cacheWriteTokens,
              };
              break;
            case "message_stop":
              stopped = true;
              break;
            default:
              break;
          }
        }
        if (!stopped) throw new Error("connection error: stream ended before message_stop");
        return finish(blocks, stop, usage, model);
      } catch (error) {
        throw classifyLlmError(error, call.signal);
      }
    },
  };

  function finish(blocks: BlockState[], stop: string | null, usage: Usage, model: string): LlmResponse {
    const reasoning: ReasoningBlock[] = [];
    const toolCalls: ToolCall[] = [];
    let content = "";
    for (const b of blocks) {
      if (!b) continue;
      if (b.type === "text") content += b.text;
      else if (b.type === "thinking")
        reasoning.push({ type: "thinking", thinking: b.text, signature: b.signature });
      else if (b.type === "redacted_thinking")
        reasoning.push({ type: "redacted_thinking", data: b.data ?? "" });
      else if (b.type === "tool_use")
        toolCalls.push({ id: b.id ?? "", name: b.name ?? "", arguments: b.json || "{}" });
    }
    const message: AssistantMessage = { role: "assistant", content, toolCalls };
    if (reasoning.length) {
      message.reasoning = reasoning;
      message.reasoningProvider = providerName;
    }
    return { message, stopReason: mapStop(stop), usage, model };
  }
}

function usageFrom(u: {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}): Usage {
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
  };
}
