import { datasetInfo, downloadFile, HubApiError, listFiles, modelInfo, spaceInfo } from "@huggingface/hub";
import { defineTool, errorResult, textResult } from "@ml-intern/tool";
import { z } from "zod";
import { formatBytes, formatCount, stripFrontMatter, truncateText } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { type RepoKind, repoWebUrl } from "../http/hf-hosts.ts";
import { parseRepoRef, type RepoRef, toDesignation } from "./repo-ref.ts";

const input = z.object({
  repo_ids: z
    .array(z.string().min(3))
    .min(1)
    .max(10)
    .describe(
      "Repo ids such as 'meta-llama/Llama-3.1-8B' or 'datasets/HuggingFaceH4/ultrachat_200k' (1-10).",
    ),
  repo_type: z
    .enum(["model", "dataset", "space"])
    .optional()
    .describe(
      "Type of every repo; when omitted, a 'datasets/' or 'spaces/' prefix decides, else model, dataset then space are tried.",
    ),
  include_readme: z
    .boolean()
    .optional()
    .describe("Include an excerpt of the repo card / README (default true)."),
  readme_chars: z
    .number()
    .int()
    .min(200)
    .max(20000)
    .optional()
    .describe("Maximum README excerpt length (default 1500)."),
});

interface Details {
  id: string;
  type: RepoKind;
  fields: Record<string, unknown>;
}

async function fetchInfo(call: HfCall, ref: RepoRef): Promise<Details> {
  if (ref.type === "model") {
    const m = await modelInfo({
      ...call.hub,
      name: ref.id,
      additionalFields: ["author", "tags", "library_name", "cardData", "sha", "createdAt", "safetensors"],
    });
    return {
      id: m.name,
      type: "model",
      fields: {
        author: m.author,
        task: m.task,
        library: m.library_name,
        downloads: m.downloads,
        likes: m.likes,
        private: m.private,
        gated: m.gated,
        updatedAt: m.updatedAt.toISOString().slice(0, 10),
        createdAt: m.createdAt,
        sha: m.sha,
        parameters: m.safetensors?.total,
        license: (m.cardData as { license?: unknown } | undefined)?.license,
        tags: m.tags,
      },
    };
  }
  if (ref.type === "dataset") {
    const d = await datasetInfo({
      ...call.hub,
      name: ref.id,
      additionalFields: ["author", "tags", "description", "cardData", "sha", "createdAt"],
    });
    return {
      id: d.name,
      type: "dataset",
      fields: {
        author: d.author,
        downloads: d.downloads,
        likes: d.likes,
        private: d.private,
        gated: d.gated,
        updatedAt: d.updatedAt.toISOString().slice(0, 10),
        sha: d.sha,
        license: (d.cardData as { license?: unknown } | undefined)?.license,
        description: d.description ? truncateText(d.description, 300) : undefined,
        tags: d.tags,
      },
    };
  }
  const s = await spaceInfo({
    ...call.hub,
    name: ref.id,
    additionalFields: ["author", "tags", "runtime", "sha", "subdomain"],
  });
  return {
    id: s.name,
    type: "space",
    fields: {
      author: s.author,
      sdk: s.sdk,
      likes: s.likes,
      private: s.private,
      updatedAt: s.updatedAt.toISOString().slice(0, 10),
      sha: s.sha,
      stage: (s.runtime as { stage?: string } | undefined)?.stage,
      hardware: (s.runtime as { hardware?: { current?: string | null } } | undefined)?.hardware?.current,
      tags: s.tags,
    },
  };
}

const isMissing = (e: unknown) => e instanceof HubApiError && (e.statusCode === 404 || e.statusCode === 401);

async function resolveInfo(call: HfCall, raw: string, explicit: RepoKind | undefined): Promise<Details> {
  const prefixed = /^(?:https?:\/\/[^/]+\/)?(datasets|spaces|models)\//.test(raw);
  const first = parseRepoRef(raw, explicit ?? "model");
  if (explicit || prefixed) return fetchInfo(call, first);
  let lastError: unknown;
  for (const type of ["model", "dataset", "space"] as const) {
    try {
      return await fetchInfo(call, { id: first.id, type });
    } catch (error) {
      if (!isMissing(error)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

async function readmeExcerpt(call: HfCall, d: Details, max: number): Promise<string | undefined> {
  try {
    const blob = await downloadFile({ ...call.hub, repo: toDesignation(d), path: "README.md", xet: false });
    if (!blob) return undefined;
    const body = stripFrontMatter(await blob.text());
    return body.length > max
      ? `${body.slice(0, max)}\n… (truncated; read the rest with hf_repo_files read)`
      : body;
  } catch (error) {
    if (error instanceof HubApiError && (error.statusCode === 401 || error.statusCode === 403)) {
      return `_README not readable: the repo is gated or private. Accept its conditions at ${repoWebUrl(call.config, d.type, d.id)}._`;
    }
    return undefined;
  }
}

async function topFiles(call: HfCall, d: Details): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of listFiles({ ...call.hub, repo: toDesignation(d) })) {
      out.push(entry.type === "directory" ? `${entry.path}/` : `${entry.path} (${formatBytes(entry.size)})`);
      if (out.length >= 30) {
        out.push("…");
        break;
      }
    }
  } catch {
    // File listing is a bonus; the details stand without it.
  }
  return out;
}

function render(call: HfCall, d: Details, files: string[], readme: string | undefined): string {
  const f = d.fields;
  const lines = [`# ${d.id} (${d.type})`, repoWebUrl(call.config, d.type, d.id)];
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined || value === null || key === "tags") continue;
    const shown =
      key === "downloads" || key === "likes" || key === "parameters"
        ? formatCount(Number(value))
        : String(value);
    lines.push(`- ${key}: ${shown}`);
  }
  const tags = (f.tags as string[] | undefined)?.filter((t) => !t.startsWith("region:")) ?? [];
  if (tags.length) lines.push(`- tags: ${tags.slice(0, 20).join(", ")}${tags.length > 20 ? ", …" : ""}`);
  if (files.length) lines.push(`\n**Files (top level):** ${files.join(", ")}`);
  if (readme) lines.push(`\n**Card excerpt:**\n${readme}`);
  if (d.type === "dataset")
    lines.push(`\n_Next: hf_inspect_dataset {"dataset": "${d.id}"} for splits, schema and sample rows._`);
  return lines.join("\n");
}

export function createHubRepoDetailsTool(deps: HfToolDeps) {
  return defineTool({
    name: "hub_repo_details",
    description:
      "Details of Hugging Face models, datasets or Spaces: metadata (task, library, license, downloads, likes, gating, size), top-level files and an excerpt of the model/dataset card. Accepts up to 10 repo ids per call.",
    toolset: "hf-repos",
    input,
    annotations: {
      title: "Repo details",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      const sections: string[] = [];
      let failures = 0;
      for (const raw of args.repo_ids) {
        try {
          const d = await resolveInfo(call, raw, args.repo_type);
          const [files, readme] = await Promise.all([
            topFiles(call, d),
            args.include_readme === false ? undefined : readmeExcerpt(call, d, args.readme_chars ?? 1500),
          ]);
          sections.push(render(call, d, files, readme));
        } catch (error) {
          failures += 1;
          const ref = parseRepoRef(raw, args.repo_type ?? "model");
          sections.push(
            hfErrorResult(error, call, {
              action: `get details of ${raw}`,
              repoId: ref.id,
              repoType: ref.type,
            }).text,
          );
        }
      }
      const text = sections.join("\n\n---\n\n");
      // Text only: the rendered sections (metadata, files, card excerpt) are the whole substance.
      return failures === args.repo_ids.length ? errorResult(text) : textResult(text);
    },
  });
}
