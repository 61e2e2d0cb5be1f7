import { jsonResponse, sseResponse } from "../http/fake-server.ts";
import { type FakeLlm, httpErrorResponse, startFakeLlm } from "./fake-llm-base.ts";
import { type FakeReply, splitInto, toolArguments } from "./fake-reply.ts";

function finishReason(reply: FakeReply): string {
  if (reply.stopReason === "max_tokens") return "length";
  if (reply.stopReason === "refusal") return "content_filter";
  return reply.toolCalls?.length ? "tool_calls" : "stop";
}

function usage(reply: FakeReply) {
  const prompt = reply.usage?.input ?? 100;
  const completion = reply.usage?.output ?? 20;
  return {
    prompt_tokens: prompt + (reply.usage?.cacheRead ?? 0),
    completion_tokens: completion,
    total_tokens: prompt + completion + (reply.usage?.cacheRead ?? 0),
    prompt_tokens_details: { cached_tokens: reply.usage?.cacheRead ?? 0 },
  };
}

function chunk(index: number, model: string, delta: Record<string, unknown>, finish: string | null = null) {
  const data = {
    id: `chatcmpl-fake${index}`,
    object: "chat.completion.chunk",
    created: 1_760_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(data)}\n\n`;
}

function streamFrames(reply: FakeReply, model: string, index: number): string[] {
  const parts = reply.chunks ?? 3;
  const frames = [chunk(index, model, { role: "assistant", content: "" })];
  if (reply.thinking) {
    for (const piece of splitInto(reply.thinking.text, parts)) {
      frames.push(chunk(index, model, { reasoning_content: piece }));
    }
  }
  if (reply.text) {
    for (const piece of splitInto(reply.text, parts)) frames.push(chunk(index, model, { content: piece }));
  }
  reply.toolCalls?.forEach((call, i) => {
    frames.push(
      chunk(index, model, {
        tool_calls: [
          {
            index: i,
            id: call.id ?? `call_fake_${index}_${i}`,
            type: "function",
            function: { name: call.name, arguments: "" },
          },
        ],
      }),
    );
    for (const piece of splitInto(toolArguments(call), parts)) {
      frames.push(chunk(index, model, { tool_calls: [{ index: i, function: { arguments: piece } }] }));
    }
  });
  frames.push(chunk(index, model, {}, finishReason(reply)));
  frames.push(
    `data: ${JSON.stringify({ id: `chatcmpl-fake${index}`, object: "chat.completion.chunk", created: 1_760_000_000, model, choices: [], usage: usage(reply) })}\n\n`,
  );
  frames.push("data: [DONE]\n\n");
  if (reply.midStreamError) {
    const at = Math.min(reply.midStreamError.afterFrames ?? 2, frames.length);
    frames.splice(
      at,
      frames.length - at,
      `data: ${JSON.stringify({ error: { message: reply.midStreamError.message, type: reply.midStreamError.type } })}\n\n`,
    );
  }
  return frames;
}

/** A fake OpenAI-compatible chat-completions API (POST .../chat/completions), used for the HF router and local servers. */
export function startFakeOpenAI(): Promise<FakeLlm> {
  return startFakeLlm(
    (path) => path.endsWith("/chat/completions"),
    (reply, body, index) => {
      const model = String(body.model ?? "fake-model");
      if (reply.httpError) {
        const { status, type, message, headers } = reply.httpError;
        return httpErrorResponse(
          status,
          {
            error: {
              message: message ?? `fake ${status}`,
              type: type ?? "api_error",
              param: null,
              code: null,
            },
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
      return jsonResponse({
        id: `chatcmpl-fake${index}`,
        object: "chat.completion",
        created: 1_760_000_000,
        model,
        choices: [
          {
            index: 0,
            finish_reason: finishReason(reply),
            message: {
              role: "assistant",
              content: reply.text ?? null,
              ...(reply.toolCalls?.length
                ? {
                    tool_calls: reply.toolCalls.map((call, i) => ({
                      id: call.id ?? `call_fake_${index}_${i}`,
                      type: "function",
                      function: { name: call.name, arguments: toolArguments(call) },
                    })),
                  }
                : {}),
            },
          },
        ],
        usage: usage(reply),
      });
    },
  );
}
