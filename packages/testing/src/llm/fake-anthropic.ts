import { jsonResponse, sseResponse } from "../http/fake-server.ts";
import { type FakeLlm, httpErrorResponse, startFakeLlm } from "./fake-llm-base.ts";
import { type FakeReply, splitInto, toolArguments } from "./fake-reply.ts";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

function frame(event: string, data: Record<string, unknown>): string {
  return `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
}

function usageOf(reply: FakeReply) {
  return {
    input_tokens: reply.usage?.input ?? 100,
    output_tokens: reply.usage?.output ?? 20,
    cache_creation_input_tokens: reply.usage?.cacheWrite ?? 0,
    cache_read_input_tokens: reply.usage?.cacheRead ?? 0,
  };
}

function stopReasonOf(reply: FakeReply): string {
  return reply.stopReason ?? (reply.toolCalls?.length ? "tool_use" : "end_turn");
}

type Block = Record<string, unknown>;

function blocksOf(reply: FakeReply, index: number): Block[] {
  const blocks: Block[] = [];
  if (reply.thinking) {
    blocks.push({ type: "thinking", thinking: reply.thinking.text, signature: reply.thinking.signature });
  }
  if (reply.text !== undefined) blocks.push({ type: "text", text: reply.text });
  reply.toolCalls?.forEach((call, i) => {
    blocks.push({
      type: "tool_use",
      id: call.id ?? `toolu_fake_${index}_${i}`,
      name: call.name,
      raw: toolArguments(call),
    });
  });
  return blocks;
}

function streamFrames(reply: FakeReply, model: string, index: number): string[] {
  const parts = reply.chunks ?? 3;
  const usage = usageOf(reply);
  const frames = [
    frame("message_start", {
      message: {
        id: `msg_fake_${index}`,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1, service_tier: "standard" },
      },
    }),
    frame("ping", {}),
  ];
  blocksOf(reply, index).forEach((block, i) => {
    if (block.type === "thinking") {
      frames.push(
        frame("content_block_start", {
          index: i,
          content_block: { type: "thinking", thinking: "", signature: "" },
        }),
      );
      for (const piece of splitInto(String(block.thinking), parts)) {
        frames.push(
          frame("content_block_delta", { index: i, delta: { type: "thinking_delta", thinking: piece } }),
        );
      }
      frames.push(
        frame("content_block_delta", {
          index: i,
          delta: { type: "signature_delta", signature: block.signature },
        }),
      );
    } else if (block.type === "text") {
      frames.push(frame("content_block_start", { index: i, content_block: { type: "text", text: "" } }));
      for (const piece of splitInto(String(block.text), parts)) {
        frames.push(frame("content_block_delta", { index: i, delta: { type: "text_delta", text: piece } }));
      }
    } else {
      frames.push(
        frame("content_block_start", {
          index: i,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        }),
      );
      frames.push(
        frame("content_block_delta", { index: i, delta: { type: "input_json_delta", partial_json: "" } }),
      );
      for (const piece of splitInto(String(block.raw), parts)) {
        frames.push(
          frame("content_block_delta", {
            index: i,
            delta: { type: "input_json_delta", partial_json: piece },
          }),
        );
      }
    }
    frames.push(frame("content_block_stop", { index: i }));
  });
  frames.push(
    frame("message_delta", {
      delta: { stop_reason: stopReasonOf(reply), stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
    frame("message_stop", {}),
  );
  if (reply.midStreamError) {
    const at = Math.min(reply.midStreamError.afterFrames ?? 3, frames.length);
    frames.splice(
      at,
      frames.length - at,
      frame("error", { error: { type: reply.midStreamError.type, message: reply.midStreamError.message } }),
    );
  }
  return frames;
}

function fullMessage(reply: FakeReply, model: string, index: number): Record<string, unknown> {
  const content = blocksOf(reply, index).map((block) => {
    if (block.type !== "tool_use") return block;
    let input: unknown = {};
    try {
      input = JSON.parse(String(block.raw));
    } catch {
      input = {};
    }
    return { type: "tool_use", id: block.id, name: block.name, input };
  });
  return {
    id: `msg_fake_${index}`,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stopReasonOf(reply),
    stop_sequence: null,
    usage: usageOf(reply),
  };
}

/**
 * What clients such as Claude Code call besides the model: token counting (`POST /v1/messages/count_tokens`,
 * about 4 characters a token; not recorded in `bodies`) and a reachability probe (`HEAD /`).
 */
function sideRoute(request: Request, recorded: { path: string; body: string }): Response | undefined {
  if (request.method === "POST" && recorded.path === "/v1/messages/count_tokens") {
    return jsonResponse({ input_tokens: Math.max(1, Math.ceil(recorded.body.length / 4)) });
  }
  if (request.method === "HEAD" && recorded.path === "/") return new Response(null, { status: 200 });
  return undefined;
}

/** A fake Anthropic Messages API (POST /v1/messages) speaking the real SSE format. */
export function startFakeAnthropic(): Promise<FakeLlm> {
  return startFakeLlm(
    (path) => path === "/v1/messages",
    (reply, body, index) => {
      const model = String(body.model ?? "claude-fake");
      if (reply.httpError) {
        const { status, type, message, headers } = reply.httpError;
        return httpErrorResponse(
          status,
          {
            type: "error",
            error: { type: type ?? ERROR_TYPES[status] ?? "api_error", message: message ?? `fake ${status}` },
            request_id: `req_fake_${index}`,
          },
          headers,
        );
      }
      if (body.stream === true) {
        return sseResponse({
          frames: streamFrames(reply, model, index),
          delayMs: reply.frameDelayMs,
          dropAfter: reply.dropAfterFrames,
          hangAfter: reply.hangAfterFrames,
        });
      }
      return jsonResponse(fullMessage(reply, model, index));
    },
    sideRoute,
  );
}
