import type { ApprovalRequestItem } from "@ml-intern/core";
import { renderCode } from "./code-view.ts";
import type { Colors } from "./colors.ts";
import { renderEditDiff } from "./diff-view.ts";
import { codeField } from "./tool-code-field.ts";
import { displayToolName } from "./tool-summary.ts";

function money(usd: number | null | undefined): string | undefined {
  if (usd === undefined) return undefined;
  return usd === null ? "unknown" : `$${usd.toFixed(2)}`;
}

/** The facts a user decides on, first: tool, hardware, timeout, cost, whether the HF token goes along, namespace. */
export function approvalSummary(item: ApprovalRequestItem): [string, string][] {
  const a = item.arguments;
  const rows: [string, string][] = [];
  const str = (k: string) => (typeof a[k] === "string" && a[k] ? String(a[k]) : undefined);
  const op = str("operation");
  rows.push(["tool", `${displayToolName(item.tool)}${op ? ` ${op}` : ""}`]);
  const hardware = str("hardware_flavor") ?? str("hardware") ?? str("flavor");
  if (hardware || item.tool === "hf_jobs") rows.push(["hardware", hardware ?? "cpu-basic (default)"]);
  const timeout = str("timeout");
  if (timeout || item.tool === "hf_jobs") rows.push(["timeout", timeout ?? "30m (default)"]);
  const cost = money(item.estimated_cost_usd);
  if (cost)
    rows.push([
      "est. cost",
      `${cost}${item.remaining_cap_usd !== undefined ? ` (spend cap left $${item.remaining_cap_usd.toFixed(2)})` : ""}`,
    ]);
  if (item.tool === "hf_jobs" || "include_hf_token" in a) {
    const secrets = a.secrets && typeof a.secrets === "object" ? Object.values(a.secrets) : [];
    const token = a.include_hf_token === true || secrets.includes("$HF_TOKEN");
    rows.push(["HF token", token ? "sent to the job" : "not sent"]);
  }
  const namespace = str("namespace");
  if (namespace || item.tool === "hf_jobs") rows.push(["namespace", namespace ?? "yours (default)"]);
  const schedule = str("schedule");
  if (schedule) rows.push(["schedule", schedule]);
  if (Array.isArray(a.dependencies) && a.dependencies.length)
    rows.push(["dependencies", a.dependencies.join(", ")]);
  return rows;
}

/** The whole body of one approval: reason, summary table, then the script as code (or a diff, or the arguments). */
export function renderApprovalItem(
  item: ApprovalRequestItem,
  c: Colors,
  position: { index: number; count: number },
  maxCodeLines = 30,
): string {
  const head = `${c.bold(c.yellow("Approval required"))}${position.count > 1 ? c.dim(` (${position.index + 1}/${position.count})`) : ""}  ${c.bold(c.cyan(displayToolName(item.tool)))}`;
  const rows = approvalSummary(item);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [head, `  ${item.reason}`];
  if (item.block_reason) lines.push(`  ${c.yellow(item.block_reason)}`);
  for (const [k, v] of rows) lines.push(`  ${c.dim(k.padEnd(width))}  ${v}`);
  const field = codeField(item.tool, item.arguments);
  const rest = { ...item.arguments };
  if (field) delete rest[field.key];
  for (const k of ["operation", "hardware_flavor", "timeout", "namespace", "include_hf_token", "schedule"])
    delete rest[k];
  if (Array.isArray(rest.dependencies)) delete rest.dependencies;
  if (item.tool === "edit" && typeof item.arguments.old_string === "string") {
    lines.push("", renderEditDiff(item.arguments, c, maxCodeLines));
    delete rest.old_string;
    delete rest.new_string;
  } else if (field) {
    lines.push(
      "",
      `  ${c.dim(`${field.key}${field.language ? ` (${field.language})` : ""}, ${field.code.split("\n").length} lines`)}`,
    );
    lines.push(renderCode(field.code, c, { language: field.language, maxLines: maxCodeLines }));
  }
  const other = Object.entries(rest).filter(([, v]) => v !== undefined);
  if (other.length) {
    lines.push("");
    for (const [k, v] of other) {
      const text = typeof v === "string" ? v : JSON.stringify(v);
      lines.push(`  ${c.dim(k)} ${text.length > 200 ? `${text.slice(0, 199)}…` : text}`);
    }
  }
  return lines.join("\n");
}
