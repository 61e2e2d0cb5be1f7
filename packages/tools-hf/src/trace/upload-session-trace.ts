import { createRepo, repoExists, uploadFiles, whoAmI } from "@huggingface/hub";
import type { HfConfig } from "../config.ts";
import { scrubTokens } from "../http/error-result.ts";
import type { FetchLike } from "../http/hf-http.ts";
import card from "./dataset-card.md" with { type: "text" };

export interface UploadSessionTraceOptions {
  config: HfConfig;
  fetch?: FetchLike;
  sessionId: string;
  /** Claude Code JSONL, already redacted by core. */
  jsonl: string;
  /** Overrides config.token (e.g. the user's own token). */
  token?: string;
  /** Repo name under the user's namespace (default "ml-intern-sessions"). */
  repoName?: string;
}

export type UploadSessionTraceResult =
  | { ok: true; repoId: string; path: string; url: string; created: boolean }
  | { ok: false; error: string };

const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Uploads a session trace to the user's private `{user}/ml-intern-sessions` dataset, creating it (with a card) if missing. */
export async function uploadSessionTrace(
  options: UploadSessionTraceOptions,
): Promise<UploadSessionTraceResult> {
  const token = options.token ?? options.config.token;
  if (!token) return { ok: false, error: "No HF token configured; traces are not uploaded." };
  if (!SAFE_ID.test(options.sessionId))
    return { ok: false, error: `Invalid session id '${options.sessionId}'.` };
  const fetchFn = (options.fetch ?? ((input, init) => fetch(input, init))) as typeof fetch;
  const hub = { hubUrl: options.config.hubUrl, fetch: fetchFn, accessToken: token };
  try {
    const me = await whoAmI(hub);
    const repoId = `${me.name}/${options.repoName ?? "ml-intern-sessions"}`;
    const repo = { type: "dataset" as const, name: repoId };
    let created = false;
    if (!(await repoExists({ ...hub, repo }))) {
      await createRepo({ ...hub, repo, visibility: "private" });
      created = true;
    }
    const path = `sessions/${options.sessionId}.jsonl`;
    const files = [{ path, content: new Blob([options.jsonl]) }];
    if (created) files.push({ path: "README.md", content: new Blob([card]) });
    await uploadFiles({
      ...hub,
      repo,
      files,
      commitTitle: `Upload session ${options.sessionId}`,
      useXet: false,
    });
    return { ok: true, repoId, path, url: `${options.config.hubUrl}/datasets/${repoId}`, created };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: scrubTokens(`Trace upload failed: ${message}`) };
  }
}
