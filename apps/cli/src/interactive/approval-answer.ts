import type { ApprovalAnswer, ApprovalRequestItem } from "@ml-intern/core";

export type ParsedAnswer =
  | { kind: "approve" }
  | { kind: "always" }
  | { kind: "yolo" }
  | { kind: "edit" }
  | { kind: "reject"; feedback?: string };

/** y/yes, a/always, e/edit, yolo, n/no; any other text rejects with that text as feedback. */
export function parseApprovalInput(input: string): ParsedAnswer {
  const text = input.trim();
  const lower = text.toLowerCase();
  if (lower === "y" || lower === "yes") return { kind: "approve" };
  if (lower === "a" || lower === "always") return { kind: "always" };
  if (lower === "e" || lower === "edit") return { kind: "edit" };
  if (lower === "yolo") return { kind: "yolo" };
  if (lower === "" || lower === "n" || lower === "no") return { kind: "reject" };
  return { kind: "reject", feedback: text };
}

/** Parses edited arguments; must be a JSON object. */
export function parseEditedArguments(text: string): Record<string, unknown> | string {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    return "The arguments must be a JSON object.";
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`;
  }
}

export function rejectAll(items: readonly ApprovalRequestItem[], feedback: string): ApprovalAnswer[] {
  return items.map((t) => ({ tool_call_id: t.tool_call_id, decision: "reject", feedback }));
}
