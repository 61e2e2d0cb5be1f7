import { defineTool, errorResult, textResult } from "@ml-intern/tool";
import { z } from "zod";
import { truncateText } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";

const input = z.object({
  query: z
    .string()
    .max(200)
    .optional()
    .describe("Keywords describing the endpoint, e.g. 'list space secrets' or 'collection items'."),
  tag: z.string().optional().describe("Only endpoints with this OpenAPI tag (e.g. 'models', 'spaces')."),
  limit: z.number().int().min(1).max(40).optional().describe("Maximum endpoints to show (default 10)."),
});

interface Operation {
  method: string;
  path: string;
  summary: string;
  description: string;
  operationId: string;
  tags: string[];
  params: { name: string; in: string; required: boolean; description: string }[];
}

interface OpenApiDoc {
  paths?: Record<
    string,
    Record<
      string,
      {
        summary?: string;
        description?: string;
        operationId?: string;
        tags?: string[];
        parameters?: { name?: string; in?: string; required?: boolean; description?: string }[];
      }
    >
  >;
}

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);

function index(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? "",
        description: op.description ?? "",
        operationId: op.operationId ?? "",
        tags: op.tags ?? [],
        params: (op.parameters ?? []).map((p) => ({
          name: p.name ?? "",
          in: p.in ?? "query",
          required: !!p.required,
          description: p.description ?? "",
        })),
      });
    }
  }
  return ops;
}

function score(op: Operation, words: string[]): number {
  let s = 0;
  for (const w of words) {
    if (op.summary.toLowerCase().includes(w)) s += 3;
    if (op.operationId.toLowerCase().includes(w)) s += 2;
    if (op.path.toLowerCase().includes(w)) s += 2;
    if (op.tags.some((t) => t.toLowerCase().includes(w))) s += 1.5;
    if (op.description.toLowerCase().includes(w)) s += 1;
  }
  return s;
}

function render(call: HfCall, op: Operation, i: number): string {
  const curlPath = op.path.replace(/\{([^}]+)\}/g, "<$1>");
  const required = op.params
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${p.name}=<${p.name}>`);
  const params = op.params.map(
    (p) => `  - ${p.name} (${p.in}${p.required ? ", required" : ""}) ${truncateText(p.description, 100)}`,
  );
  return [
    `## ${i}. ${op.method} ${op.path}`,
    op.summary,
    op.description ? truncateText(op.description, 300) : "",
    op.tags.length ? `Tags: ${op.tags.join(", ")}` : "",
    params.length ? `Parameters:\n${params.join("\n")}` : "",
    `\`curl -X ${op.method} "${call.config.hubUrl}${curlPath}${required.length ? `?${required.join("&")}` : ""}" -H "Authorization: Bearer $HF_TOKEN"\``,
  ]
    .filter(Boolean)
    .join("\n");
}

export function createFindHfApiTool(deps: HfToolDeps) {
  let cached: Promise<Operation[]> | undefined;
  return defineTool({
    name: "find_hf_api",
    description:
      "Search the Hugging Face Hub's OpenAPI document for REST endpoints (method, path, parameters, a curl example). Use it when no dedicated tool covers an operation.",
    toolset: "hf-docs",
    input,
    annotations: {
      title: "Find Hub API endpoints",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      if (!args.query && !args.tag) return errorResult("Give `query` and/or `tag`.");
      const call = createHfCall(deps, ctx);
      try {
        cached ??= call.http.json<OpenApiDoc>(`${call.config.hubUrl}/.well-known/openapi.json`).then(index);
        cached.catch(() => {
          cached = undefined;
        });
        const ops = await cached;
        const tagged = args.tag
          ? ops.filter((o) => o.tags.some((t) => t.toLowerCase() === args.tag?.toLowerCase()))
          : ops;
        const words = (args.query ?? "")
          .toLowerCase()
          .split(/\W+/)
          .filter((w) => w.length > 1);
        const ranked = words.length
          ? tagged
              .map((o) => ({ o, s: score(o, words) }))
              .filter((x) => x.s > 0)
              .sort((a, b) => b.s - a.s)
              .map((x) => x.o)
          : tagged;
        const shown = ranked.slice(0, args.limit ?? 10);
        if (shown.length === 0)
          return textResult(`No API endpoints found matching '${args.query ?? args.tag}'.`);
        // Text only: the rendered endpoints (parameters, curl example) are the substance.
        return textResult(shown.map((o, i) => render(call, o, i + 1)).join("\n\n"));
      } catch (error) {
        return hfErrorResult(error, call, { action: "load the Hub OpenAPI document" });
      }
    },
  });
}
