import type { Colors } from "./colors.ts";
import { renderDiff, renderEditDiff } from "./diff-view.ts";
import { codeField } from "./tool-code-field.ts";
import { displayToolName, firstLine, summarizeArgs } from "./tool-summary.ts";

function shortPath(path: unknown, max = 60): string {
  const p = typeof path === "string" ? path : "";
  return p.length > max ? `…${p.slice(-(max - 1))}` : p;
}

function shortId(id: unknown): string {
  const s = String(id ?? "");
  return s.length > 8 ? `${s.slice(0, 4)}…` : s;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The line printed when a call starts: the tool and what it is about (a bash call's `description` first). */
export function describeToolCall(tool: string, args: Record<string, unknown>, c: Colors): string {
  const name = c.bold(displayToolName(tool));
  if (tool === "bash") {
    const cmd = typeof args.command === "string" ? args.command.split("\n")[0]! : "";
    const desc = typeof args.description === "string" && args.description ? `${args.description} ` : "";
    return `${c.cyan("▸")} ${name} ${desc}${c.dim(`$ ${cmd.length > 90 ? `${cmd.slice(0, 89)}…` : cmd}`)}`;
  }
  if (tool === "read" || tool === "write" || tool === "edit")
    return `${c.cyan("▸")} ${name} ${c.dim(shortPath(args.path))}`;
  const field = codeField(tool, args);
  if (field) {
    const rest = { ...args };
    delete rest[field.key];
    const n = field.code.split("\n").length;
    const code = n > 1 ? `${field.key}: ${n} lines` : `${field.key}=${field.code.slice(0, 40)}`;
    return `${c.cyan("▸")} ${name} ${c.dim(`${summarizeArgs(rest)} (${code})`.trim())}`;
  }
  return `${c.cyan("▸")} ${name} ${c.dim(summarizeArgs(args))}`;
}

export interface ToolResultInput {
  tool: string;
  args: Record<string, unknown>;
  output: string;
  success: boolean;
  structured?: Record<string, unknown>;
  elapsedMs?: number;
  /** Log lines the tool emitted while it ran (job logs, progress notes). */
  logTail?: readonly string[];
  /** A write's previous file content, when the file existed (for the diff). */
  before?: string;
  /** The workspace: paths under it are shown relative to it. */
  cwd?: string;
}

/** What happened, in one line (plus a diff for write/edit): "read 20 lines of src/x.ts", "job 85c0… COMPLETED in 3m12s". */
export function describeToolResult(r: ToolResultInput, c: Colors): string {
  const s = { ...(r.structured ?? {}) };
  if (r.cwd && typeof s.path === "string" && s.path.startsWith(`${r.cwd}/`))
    s.path = s.path.slice(r.cwd.length + 1);
  const took =
    r.elapsedMs !== undefined && r.elapsedMs >= 2000 ? c.dim(` · ${formatDuration(r.elapsedMs)}`) : "";
  if (!r.success) return `  ${c.red("✗")} ${displayToolName(r.tool)}: ${firstLine(r.output, 160)}${took}`;
  const ok = (text: string, extra = "") => `  ${c.green("✓")} ${text}${took}${extra}`;
  const lines = (text: string) => text.split("\n").length;
  switch (r.tool) {
    case "read": {
      const first = Number(s.firstLine ?? 0);
      const last = Number(s.lastLine ?? 0);
      const total = Number(s.totalLines ?? 0);
      const path = shortPath(s.path ?? r.args.path);
      if (!total) return ok(`read ${path} (empty)`);
      const count = last - first + 1;
      return ok(
        `read ${plural(count, "line")} of ${path}${count < total ? c.dim(` (${first}-${last} of ${total})`) : ""}`,
      );
    }
    case "write": {
      const content = typeof r.args.content === "string" ? r.args.content : "";
      const path = shortPath(s.path ?? r.args.path);
      if (r.before !== undefined && s.created !== true) {
        const diff = renderDiff(r.before, content, c, { indent: "    ", maxLines: 30 });
        return ok(`wrote ${path}`, diff ? `\n${diff}` : c.dim(" (unchanged)"));
      }
      return ok(`created ${path} ${c.dim(`(${plural(lines(content.replace(/\n$/, "")), "line")})`)}`);
    }
    case "edit": {
      const diff = renderEditDiff(r.args, c, 30).replace(/^/gm, "  ");
      const n = Number(s.replacements ?? 1);
      return ok(
        `edited ${shortPath(s.path ?? r.args.path)}${n > 1 ? c.dim(` (${n} replacements)`) : ""}`,
        `\n${diff}`,
      );
    }
    case "bash": {
      const code = s.exitCode;
      const body = r.output.replace(/\n+$/, "");
      const outLines = body ? body.split("\n") : [];
      const tail = outLines.slice(-3).map((l) => `    ${c.dim(l.length > 140 ? `${l.slice(0, 139)}…` : l)}`);
      const head = `exit ${code ?? 0}${s.timedOut ? " (timed out)" : ""} · ${plural(outLines.length, "line")} of output`;
      return ok(head, tail.length ? `\n${tail.join("\n")}` : "");
    }
    case "hf_jobs": {
      const job = (s.job ?? undefined) as Record<string, unknown> | undefined;
      const op = String(r.args.operation ?? "");
      if (job?.id) {
        const stage = String(job.stage ?? "submitted");
        const verb = op === "run" || op === "uv" ? "job" : `job ${op}:`;
        const tail = (r.logTail ?? []).slice(-3).map((l) => `    ${c.dim(`│ ${l}`)}`);
        const inTime =
          r.elapsedMs !== undefined && stage !== "RUNNING" ? ` in ${formatDuration(r.elapsedMs)}` : "";
        return `  ${c.green("✓")} ${verb} ${shortId(job.id)} ${stage}${inTime}${tail.length ? `\n${tail.join("\n")}` : ""}`;
      }
      return ok(`hf_jobs ${op}: ${firstLine(r.output, 120)}`);
    }
    case "plan": {
      const items = Array.isArray(r.args.todos)
        ? r.args.todos
        : Array.isArray(r.args.plan)
          ? r.args.plan
          : [];
      return ok(`plan updated${items.length ? ` (${plural(items.length, "item")})` : ""}`);
    }
    default: {
      const logs = r.logTail ?? [];
      const more =
        logs.length > 3 ? `\n    ${c.dim(`… ${plural(logs.length - 3, "earlier log line")}`)}` : "";
      const tail = logs
        .slice(-3)
        .map((l) => `\n    ${c.dim(`│ ${l}`)}`)
        .join("");
      return ok(`${displayToolName(r.tool)}: ${firstLine(r.output, 120)}`, more + tail);
    }
  }
}
