import { describe, expect, test } from "bun:test";
import type { AgentEvent, AgentEventBody, AgentEventType } from "@ml-intern/core";
import {
  STREAM_JSON_SCHEMA_VERSION,
  streamEventSchema,
  toStreamEvent,
} from "../../src/headless/stream-schema.ts";

/** One sample of every internal event type: adding a type to core without deciding its mapping fails to compile. */
const SAMPLES: { [K in AgentEventType]: Extract<AgentEventBody, { type: K }> } = {
  ready: { type: "ready", session_id: "s", model: "m", tool_count: 3 },
  processing: { type: "processing", turn: 1 },
  assistant_chunk: { type: "assistant_chunk", content: "he" },
  thinking_chunk: { type: "thinking_chunk", content: "hm" },
  assistant_message: { type: "assistant_message", content: "hello" },
  assistant_stream_end: { type: "assistant_stream_end" },
  tool_call: { type: "tool_call", tool: "bash", tool_call_id: "t1", arguments: { command: "ls" } },
  tool_output: { type: "tool_output", tool: "bash", tool_call_id: "t1", output: "a", success: true },
  tool_log: { type: "tool_log", tool: "hf_jobs", log: "step 1", tool_call_id: "t1" },
  notice: { type: "notice", kind: "compaction", reason: "overflow", message: "compacting" },
  tool_progress: { type: "tool_progress", tool: "hf_jobs", tool_call_id: "t1", progress: 1, total: 2 },
  tool_state_change: { type: "tool_state_change", tool: "bash", tool_call_id: "t1", state: "running" },
  approval_required: {
    type: "approval_required",
    tools: [{ tool: "hf_jobs", tool_call_id: "t2", arguments: {}, reason: "GPU", kind: "spend" }],
    count: 1,
  },
  approval_decision: {
    type: "approval_decision",
    tool: "hf_jobs",
    tool_call_id: "t2",
    decision: "refused",
    source: "headless",
    reason: "over the cap",
    estimated_cost_usd: 0.1,
    spent_usd: 0,
    cap_usd: 0,
  },
  llm_call: {
    type: "llm_call",
    model: "m",
    kind: "main",
    latency_ms: 5,
    input_tokens: 1,
    output_tokens: 1,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: null,
    stop_reason: "end_turn",
  },
  plan_update: { type: "plan_update", plan: [{ id: "1", content: "x", status: "pending" }] },
  turn_complete: { type: "turn_complete", final_response: "ok", reason: "done", iterations: 1 },
  error: { type: "error", error: "boom", code: "llm_error" },
  interrupted: { type: "interrupted" },
  compacted: { type: "compacted", old_tokens: 10, new_tokens: 5, strategy: "prune" },
  undo_complete: { type: "undo_complete", removed_messages: 2 },
  new_complete: { type: "new_complete", session_id: "s2" },
  resume_complete: { type: "resume_complete", session_id: "s", message_count: 4 },
  shutdown: { type: "shutdown" },
};

const DROPPED: AgentEventType[] = [
  "assistant_stream_end",
  "undo_complete",
  "new_complete",
  "resume_complete",
  "shutdown",
];

const envelope = (body: AgentEventBody, seq: number): AgentEvent =>
  ({ ...body, seq, timestamp: "2026-12-02T00:00:00.000Z", session_id: "s" }) as AgentEvent;

describe("stream-json public schema", () => {
  test("every internal event maps to a valid public event or is dropped on purpose", () => {
    Object.values(SAMPLES).forEach((body, i) => {
      const mapped = toStreamEvent(envelope(body, i));
      if (DROPPED.includes(body.type)) {
        expect(mapped).toBeNull();
        return;
      }
      const parsed = streamEventSchema.safeParse(mapped);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(mapped).toMatchObject({ schema_version: STREAM_JSON_SCHEMA_VERSION, seq: i, session_id: "s" });
    });
  });

  test("loop notices keep their typed kind and display message (no text matching)", () => {
    const retry = toStreamEvent(
      envelope(
        {
          type: "notice",
          kind: "retry",
          message: "Model call failed (connection); retrying in 1.0 s",
          attempt: 2,
          delay_ms: 1000,
          error_kind: "connection",
        },
        1,
      ),
    );
    expect(retry).toMatchObject({
      type: "notice",
      kind: "retry",
      message: expect.stringContaining("retrying"),
    });
    const guard = toStreamEvent(
      envelope({ type: "notice", kind: "guard", guard: "plan_unfinished", message: "Keep going" }, 2),
    );
    expect(guard).toMatchObject({ type: "notice", kind: "guard", message: "Keep going" });
    const limit = toStreamEvent(
      envelope(
        {
          type: "notice",
          kind: "limit",
          limit: "iterations",
          max_iterations: 3,
          message: "Reached the limit",
        },
        3,
      ),
    );
    expect(limit).toMatchObject({ type: "notice", kind: "limit" });
  });

  test("unknown fields are rejected, so drift between the mapping and the schema is caught", () => {
    const line = { ...toStreamEvent(envelope(SAMPLES.processing, 1)), extra: true };
    expect(streamEventSchema.safeParse(line).success).toBe(false);
  });
});
