import { defineTool, errorResult, textResult } from "@ml-intern/tool";
import { z } from "zod";
import { formatBytes, mdCell, truncateText } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { detectTrainingFormats } from "./training-formats.ts";

const input = z.object({
  dataset: z.string().min(3).describe("Dataset id 'org/name', e.g. 'HuggingFaceH4/ultrachat_200k'."),
  config: z.string().optional().describe("Config (subset) to inspect; default: the first one."),
  split: z.string().optional().describe("Split to sample; default: the first split of the config."),
  sample_rows: z
    .number()
    .int()
    .min(1)
    .max(10)
    .optional()
    .describe("Number of sample rows to show (default 3)."),
});

const output = z.object({
  dataset: z.string(),
  url: z.string().describe("The dataset page."),
  valid: z
    .array(z.string())
    .optional()
    .describe("Viewer capabilities (preview, viewer, search, filter, statistics)."),
  config: z.string(),
  split: z.string(),
  splits: z.array(z.object({ config: z.string(), split: z.string() })),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  num_rows: z.record(z.string(), z.number()).optional().describe("Rows per split of the config."),
  sample_rows: z
    .array(z.record(z.string(), z.unknown()))
    .describe("The first rows of config/split, as the viewer returns them."),
  messages_format: z.string().optional().describe("How the `messages` column is shaped, when there is one."),
  formats: z.array(z.object({ format: z.string(), fits: z.boolean(), reason: z.string() })),
  parquet: z.array(z.object({ config_split: z.string(), files: z.number(), bytes: z.number() })).optional(),
  warnings: z.array(z.string()),
});

type Output = z.infer<typeof output>;

interface Splits {
  splits: { config: string; split: string }[];
}
interface Validity {
  preview?: boolean;
  viewer?: boolean;
  search?: boolean;
  filter?: boolean;
  statistics?: boolean;
}
interface Parquet {
  parquet_files: { config: string; split: string; size: number }[];
}
interface Info {
  dataset_info: { features?: Record<string, unknown>; splits?: Record<string, { num_examples?: number }> };
}
interface FirstRows {
  features: { name: string; type: unknown }[];
  rows: { row: Record<string, unknown> }[];
}

function describeType(type: unknown): string {
  if (!type || typeof type !== "object") return String(type);
  const t = type as { _type?: string; dtype?: string; names?: string[]; feature?: unknown };
  if (t._type === "Value") return t.dtype ?? "value";
  if (t._type === "ClassLabel") {
    const names = t.names ?? [];
    return names.length <= 5
      ? `ClassLabel (${names.map((n, i) => `${n}=${i}`).join(", ")})`
      : `ClassLabel (${names.length} classes)`;
  }
  if (t._type === "List" || t._type === "Sequence") return `List[${describeType(t.feature)}]`;
  if (t._type) return t._type;
  if (Array.isArray(type)) return `List[${describeType(type[0])}]`;
  return `{${Object.entries(type)
    .map(([k, v]) => `${k}: ${describeType(v)}`)
    .join(", ")}}`;
}

function messagesSection(rows: FirstRows["rows"]): string | undefined {
  const raw = rows.find((r) => r.row.messages !== undefined)?.row.messages;
  if (raw === undefined) return undefined;
  let messages: unknown = raw;
  if (typeof raw === "string") {
    try {
      messages = JSON.parse(raw);
    } catch {
      return "## Messages Column Format\n`messages` is a string that is not JSON.";
    }
  }
  if (!Array.isArray(messages)) return "## Messages Column Format\n`messages` is not a list.";
  const list = messages.filter((m): m is Record<string, unknown> => !!m && typeof m === "object");
  const roles = [...new Set(list.map((m) => String(m.role)))];
  const keys = ["role", "content", "tool_calls", "tool_call_id", "name", "function_call"];
  const present = keys.map((k) => `${list.some((m) => k in m) ? "✓" : "✗"} ${k}`).join(" · ");
  const example =
    list.find((m) => m.role === "assistant") ?? list.find((m) => m.role !== "system") ?? list[0];
  const shown = example ? { ...example, content: truncateText(String(example.content ?? ""), 100) } : {};
  return `## Messages Column Format\nRoles: ${roles.join(", ")}\nKeys: ${present}\nExample:\n\`\`\`json\n${JSON.stringify(shown, null, 2)}\n\`\`\``;
}

async function inspect(call: HfCall, args: z.infer<typeof input>) {
  const base = call.config.datasetsServerUrl;
  const q = { dataset: args.dataset };
  const [validity, splits, parquet] = await Promise.allSettled([
    call.http.json<Validity>(`${base}/is-valid`, { query: q }),
    call.http.json<Splits>(`${base}/splits`, { query: q }),
    call.http.json<Parquet>(`${base}/parquet`, { query: q }),
  ]);
  if (splits.status === "rejected" && validity.status === "rejected") throw splits.reason;
  const warnings: string[] = [];
  const sections: string[] = [`# ${args.dataset}`];
  let valid: string[] | undefined;
  if (validity.status === "fulfilled") {
    const flags = Object.entries(validity.value)
      .filter(([, v]) => v === true)
      .map(([k]) => k);
    valid = flags;
    sections.push(
      `## Status\n${flags.length ? `✓ Valid (${flags.join(", ")})` : "✗ Dataset may have issues (no viewer capabilities)"}`,
    );
  } else warnings.push(`is-valid: ${String((validity.reason as Error).message)}`);
  const allSplits = splits.status === "fulfilled" ? splits.value.splits : [];
  if (splits.status === "rejected") warnings.push(`splits: ${String((splits.reason as Error).message)}`);
  const config = args.config ?? allSplits[0]?.config ?? "default";
  const split = args.split ?? allSplits.find((s) => s.config === config)?.split ?? "train";
  if (allSplits.length) {
    const rows = allSplits.slice(0, 10).map((s) => `| ${s.config} | ${s.split} |`);
    const more = allSplits.length > 10 ? `\n_showing 10 of ${allSplits.length}_` : "";
    sections.push(
      `## Structure (configs & splits)\n| Config | Split |\n|---|---|\n${rows.join("\n")}${more}`,
    );
  }
  const [info, first] = await Promise.allSettled([
    call.http.json<Info>(`${base}/info`, { query: { ...q, config } }),
    call.http.json<FirstRows>(`${base}/first-rows`, { query: { ...q, config, split } }),
  ]);
  let columns: string[] = [];
  let typed: Output["columns"] = [];
  let numRows: Record<string, number> | undefined;
  let sampleRows: Record<string, unknown>[] = [];
  let messagesFormat: string | undefined;
  if (info.status === "fulfilled" && info.value.dataset_info.features) {
    const features = info.value.dataset_info.features;
    columns = Object.keys(features);
    typed = Object.entries(features).map(([name, t]) => ({ name, type: describeType(t) }));
    numRows = Object.fromEntries(
      Object.entries(info.value.dataset_info.splits ?? {}).flatMap(([name, s]) =>
        s.num_examples === undefined ? [] : [[name, s.num_examples]],
      ),
    );
    const rows = Object.entries(features).map(([name, t]) => `| ${name} | ${mdCell(describeType(t), 80)} |`);
    const counts = Object.entries(info.value.dataset_info.splits ?? {})
      .map(([name, s]) => `${name}: ${s.num_examples ?? "?"} rows`)
      .join(", ");
    sections.push(
      `## Schema (${config})\n| Column | Type |\n|---|---|\n${rows.join("\n")}${counts ? `\nRows: ${counts}` : ""}`,
    );
  } else if (info.status === "rejected") warnings.push(`info: ${String((info.reason as Error).message)}`);
  if (first.status === "fulfilled") {
    if (!columns.length) {
      columns = first.value.features.map((f) => f.name);
      typed = first.value.features.map((f) => ({ name: f.name, type: describeType(f.type) }));
    }
    const sample = first.value.rows.slice(0, args.sample_rows ?? 3);
    sampleRows = sample.map((r) => r.row);
    const rendered = sample.map(
      (r, i) =>
        `**Row ${i}**\n${Object.entries(r.row)
          .map(([k, v]) => `- ${k}: ${truncateText(typeof v === "string" ? v : JSON.stringify(v), 150)}`)
          .join("\n")}`,
    );
    sections.push(`## Sample Rows (${config}/${split})\n${rendered.join("\n")}`);
    const messages = messagesSection(first.value.rows);
    if (messages) {
      sections.push(messages);
      messagesFormat = messages.replace(/^## Messages Column Format\n/, "");
    }
  } else warnings.push(`first-rows: ${String((first.reason as Error).message)}`);
  if (columns.length) {
    const verdicts = detectTrainingFormats(columns);
    sections.push(
      `## Training formats (TRL)\n${verdicts.map((v) => `- ${v.format}: ${v.fits ? "✓ fits" : "✗ does not fit"} — ${v.reason}`).join("\n")}`,
    );
  }
  let parquetSummary: Output["parquet"];
  if (parquet.status === "fulfilled") {
    const groups = new Map<string, { n: number; bytes: number }>();
    for (const f of parquet.value.parquet_files) {
      const key = `${f.config}/${f.split}`;
      const g = groups.get(key) ?? { n: 0, bytes: 0 };
      g.n += 1;
      g.bytes += f.size;
      groups.set(key, g);
    }
    const shown = [...groups].slice(0, 10);
    parquetSummary = shown.map(([k, g]) => ({ config_split: k, files: g.n, bytes: g.bytes }));
    const lines = shown.map(([k, g]) => `- ${k}: ${g.n} file(s), ${formatBytes(g.bytes)}`);
    if (lines.length) sections.push(`## Files (Parquet)\n${lines.join("\n")}`);
  } else warnings.push(`parquet: ${String((parquet.reason as Error).message)}`);
  if (warnings.length) sections.push(`**Warnings:** ${warnings.join("; ")}`);
  const structured: Output = {
    dataset: args.dataset,
    url: `${call.config.hubUrl}/datasets/${args.dataset}`,
    ...(valid ? { valid } : {}),
    config,
    split,
    splits: allSplits.map((s) => ({ config: s.config, split: s.split })),
    columns: typed,
    ...(numRows ? { num_rows: numRows } : {}),
    sample_rows: sampleRows,
    ...(messagesFormat ? { messages_format: messagesFormat } : {}),
    formats: columns.length ? detectTrainingFormats(columns) : [],
    ...(parquetSummary ? { parquet: parquetSummary } : {}),
    warnings,
  };
  return { text: sections.join("\n\n"), structured };
}

export function createHfInspectDatasetTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_inspect_dataset",
    description:
      "Inspect a Hugging Face dataset in one call: viewer status, configs and splits, schema with row counts, sample rows, parquet files, the `messages` format when present, and which training formats (SFT, DPO, GRPO, KTO) its columns fit. Use it before training on any dataset.",
    toolset: "hf-datasets",
    input,
    output,
    annotations: {
      title: "Inspect dataset",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      try {
        const out = await inspect(call, args);
        return textResult(out.text, out.structured);
      } catch (error) {
        const result = hfErrorResult(error, call, {
          action: `inspect dataset ${args.dataset}`,
          repoId: args.dataset,
          repoType: "dataset",
        });
        return result.isError ? result : errorResult(result.text);
      }
    },
  });
}
