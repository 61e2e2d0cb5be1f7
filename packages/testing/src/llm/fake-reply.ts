/** A scripted model reply, shared by the Anthropic and OpenAI fakes. */
export interface FakeToolCall {
  name: string;
  input?: unknown;
  /** Send these exact argument bytes instead of JSON.stringify(input) (e.g. malformed JSON). */
  rawArguments?: string;
  id?: string;
}

export interface FakeReply {
  text?: string;
  thinking?: { text: string; signature: string };
  toolCalls?: FakeToolCall[];
  /** Defaults to "tool_use" when there are tool calls, else "end_turn". */
  stopReason?: "end_turn" | "tool_use" | "max_tokens" | "refusal";
  usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
  /** Answer with an HTTP error instead of a reply. */
  httpError?: { status: number; type?: string; message?: string; headers?: Record<string, string> };
  /** Send an `error` event after this many frames (Anthropic) / an error chunk (OpenAI). */
  midStreamError?: { type: string; message: string; afterFrames?: number };
  /** Close the connection abruptly after this many frames. */
  dropAfterFrames?: number;
  /** Stop sending (connection kept open) after this many frames. */
  hangAfterFrames?: number;
  /** Milliseconds between streamed frames. */
  frameDelayMs?: number;
  /** Split each text/argument payload in this many chunks (default 3). */
  chunks?: number;
}

export type FakeResponder = (body: Record<string, unknown>, index: number) => FakeReply | Promise<FakeReply>;

export function splitInto(text: string, parts: number): string[] {
  if (text.length === 0) return [""];
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, parts)));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function toolArguments(call: FakeToolCall): string {
  return call.rawArguments ?? JSON.stringify(call.input ?? {});
}
