import { createHash } from "node:crypto";
import type { Message } from "../llm/messages.ts";

/** One tool call reduced to what decides whether it is a repeat: tool, normalised arguments, result. */
export interface CallSignature {
  toolCallId: string;
  tool: string;
  /** `tool|argsHash|resultHash`; equal keys mean the same call with the same outcome. */
  key: string;
}

// node:crypto rather than Bun.hash so the package also runs on Node.
const fastHash = (text: string): string => createHash("sha1").update(text).digest("base64url").slice(0, 16);

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(record[k])}`).join(",")}}`;
}

/** Arguments with key order and insignificant whitespace removed; invalid JSON has its whitespace collapsed. */
export function normaliseArguments(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed === "") return "";
  try {
    return stableStringify(JSON.parse(trimmed));
  } catch {
    return trimmed.replace(/\s+/g, " ");
  }
}

/** Tool results compared ignoring trailing whitespace differences. */
const normaliseResult = (content: string): string => content.trimEnd();

/**
 * Signatures of every answered tool call in `messages`, in call order. `cache` (keyed by tool-call id)
 * avoids re-hashing calls already seen; results are immutable once appended.
 */
export function callSignatures(
  messages: readonly Message[],
  cache?: Map<string, CallSignature>,
): CallSignature[] {
  const results = new Map<string, string>();
  for (const m of messages) if (m.role === "tool") results.set(m.toolCallId, m.content);
  const out: CallSignature[] = [];
  for (const m of messages) {
    if (m.role !== "assistant") continue;
    for (const call of m.toolCalls) {
      const hit = cache?.get(call.id);
      if (hit && hit.tool === call.name) {
        out.push(hit);
        continue;
      }
      const result = results.get(call.id);
      const resultHash = result === undefined ? "-" : fastHash(normaliseResult(result));
      const sig: CallSignature = {
        toolCallId: call.id,
        tool: call.name,
        key: `${call.name}|${fastHash(normaliseArguments(call.arguments))}|${resultHash}`,
      };
      if (result !== undefined) cache?.set(call.id, sig);
      out.push(sig);
    }
  }
  return out;
}
