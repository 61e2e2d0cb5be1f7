import type { RepoDesignation } from "@huggingface/hub";
import type { RepoKind } from "../http/hf-hosts.ts";

export interface RepoRef {
  id: string;
  type: RepoKind;
}

/** Accepts "owner/name", "datasets/owner/name", "spaces/owner/name" or a huggingface.co URL. */
export function parseRepoRef(input: string, fallbackType: RepoKind = "model"): RepoRef {
  let id = input
    .trim()
    .replace(/^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\//, "")
    .replace(/\/+$/, "");
  let type = fallbackType;
  const m = /^(models|datasets|spaces)\/(.+)$/.exec(id);
  if (m) {
    type = m[1]!.slice(0, -1) as RepoKind;
    id = m[2]!;
  }
  id = id.split("/").slice(0, 2).join("/");
  return { id, type };
}

export function toDesignation(ref: RepoRef): RepoDesignation {
  return { type: ref.type, name: ref.id };
}

export const repoTypeSchemaValues = ["model", "dataset", "space"] as const;
