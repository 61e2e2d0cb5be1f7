import type OpenAI from "openai";
import { classifyLlmError } from "./llm-error.ts";
import type { AssistantMessage, Message, ToolCall } from "./messages.ts";
import type {
  LlmCallOptions,
  LlmProvider,
  LlmRequest,
  LlmResponse,
  ModelInfo,
  StopReason,
} from "./provider.ts";
import type { Usage } from "./usage.ts";

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ChatTool = OpenAI.Chat.Completions.ChatCompletionTool;
type ChatParams = Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, "stream">;

export interface OpenAILikeClient {
  chat: { completions: Pick<OpenAI["chat"]["completions"], "create"> };
}

/** Reasoning and thinking are not replayed: OpenAI-compatible routers reject echoes of them. */
export function toOpenAIMessages(system: string, messages: readonly Message[]): ChatMessage[] {
  const out: ChatMessage[] = [{ role: "system", content: system }];
  for (const m of messages) {
    if (m.role === "user") out.push({ role: "user", content: m.content });
    else if (m.role === "tool")
      out.push({ role: "tool", tool_call_id: m.toolCallId, content: m.content || "(no output)" });
    else
      out.push({
        role: "assistant",
        content: m.content || null,
        ...(m.toolCalls.length
          ? {
              tool_calls: m.toolCalls.map((c) => ({
                id: c.id,
                type: "function" as const,
                function: { name: c.name, arguments: c.arguments || "{}" },
              })),
            }
          : {}),
      });
  }
  return out;
}

function mapFinish(reason: string | null | undefined, hasTools: boolean): StopReason {
  switch (reason) {
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "length":
      return "max_tokens";
    case "content_filter":
      return "refusal";
    case "stop":
      return hasTools ? "tool_use" : "end_turn";
    default:
      return hasTools ? "tool_use" : "end_turn";
  }
}

interface CompletionUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

function usageFrom(u: CompletionUsage | null | undefined): Usage {
  const cached = u?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, (u?.prompt_tokens ?? 0) - cached),
    outputTokens: u?.completion_tokens ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

export interface OpenAIProviderOptions {
  client: OpenAILikeClient;
  info: ModelInfo;
  /** Extra headers per request, e.g. the HF router's X-HF-Session-id. */
  headers?: (request: LlmRequest) => Record<string, string>;
  /** Whether to send `reasoning_effort` (routers and OpenAI reasoning models accept it). */
  sendReasoningEffort?: boolean;
  requestTimeoutMs?: number;
}

export function createOpenAIProvider(options: OpenAIProviderOptions): LlmProvider {
  const { client, info } = options;
  return {
    info,
    async complete(request: LlmRequest, call: LlmCallOptions): Promise<LlmResponse> {
      const tools: ChatTool[] = request.tools.map((t) => ({
        type: "function",
        function: { name: t.name, description: t.description, parameters: t.inputSchema },
      }));
      const params: ChatParams = {
        model: info.wireModel,
        messages: toOpenAIMessages(request.system, request.messages),
        ...(tools.length ? { tools, tool_choice: "auto" as const } : {}),
        ...(request.maxOutputTokens ? { max_tokens: request.maxOutputTokens } : {}),
      };
      if (request.effort && options.sendReasoningEffort) {
        (params as ChatParams & { reasoning_effort?: string }).reasoning_effort =
          request.effort === "max" ? "high" : request.effort;
      }
      const reqOptions = {
        signal: call.signal,
        timeout: options.requestTimeoutMs ?? 600_000,
        maxRetries: 0,
        headers: options.headers?.(request),
      };
      try {
        if (!request.stream) {
          const res = await client.chat.completions.create({ ...params, stream: false }, reqOptions);
          const choice = res.choices[0];
          const toolCalls: ToolCall[] = (choice?.message.tool_calls ?? []).flatMap((c) =>
            c.type === "function"
              ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments || "{}" }]
              : [],
          );
          const message: AssistantMessage = {
            role: "assistant",
            content: choice?.message.content ?? "",
            toolCalls,
          };
          return {
            message,
            stopReason: mapFinish(choice?.finish_reason, toolCalls.length > 0),
            usage: usageFrom(res.usage),
            model: res.model,
          };
        }
        const stream = await client.chat.completions.create(
          { ...params, stream: true as const, stream_options: { include_usage: true } },
          reqOptions,
        );
        let content = "";
        let finish: string | null = null;
        let usage: Usage = usageFrom(undefined);
        let model = info.wireModel;
        let sawDone = false;
        const calls: { id: string; name: string; arguments: string }[] = [];
        for await (const chunk of stream) {
          const maybeError = (chunk as unknown as { error?: { message?: string } }).error;
          if (maybeError) throw new Error(maybeError.message ?? "stream error");
          if (chunk.model) model = chunk.model;
          if (chunk.usage) usage = usageFrom(chunk.usage);
          for (const choice of chunk.choices ?? []) {
            const delta = choice.delta as typeof choice.delta & {
              reasoning_content?: string;
              reasoning?: string;
            };
            const reasoning = delta.reasoning_content ?? delta.reasoning;
            if (reasoning) call.onThinkingDelta?.(reasoning);
            if (delta.content) {
              content += delta.content;
              call.onTextDelta?.(delta.content);
            }
            for (const tc of delta.tool_calls ?? []) {
              calls[tc.index] ??= { id: "", name: "", arguments: "" };
              const slot = calls[tc.index]!;
              if (tc.id) slot.id = tc.id;
              if (tc.function?.name) slot.name += tc.function.name;
              if (tc.function?.arguments) slot.arguments += tc.function.arguments;
            }
            if (choice.finish_reason) {
              finish = choice.finish_reason;
              sawDone = true;
            }
          }
        }
        if (!sawDone) throw new Error("connection error: stream ended before a finish_reason");
        const toolCalls: ToolCall[] = calls
          .filter(Boolean)
          .map((c, i) => ({ id: c.id || `call_${i}`, name: c.name, arguments: c.arguments || "{}" }));
        return {
          message: { role: "assistant", content, toolCalls },
          stopReason: mapFinish(finish, toolCalls.length > 0),
          usage,
          model,
        };
      } catch (error) {
        throw classifyLlmError(error, call.signal);
      }
    },
  };
}
