/** Documentation sites `explore_hf_docs` can browse (slug under /docs/). */
export const DOC_ENDPOINTS = [
  "hub",
  "transformers",
  "diffusers",
  "datasets",
  "gradio",
  "trackio",
  "smolagents",
  "huggingface_hub",
  "huggingface.js",
  "transformers.js",
  "inference-providers",
  "inference-endpoints",
  "peft",
  "accelerate",
  "optimum",
  "tokenizers",
  "evaluate",
  "tasks",
  "dataset-viewer",
  "trl",
  "sagemaker",
  "timm",
  "safetensors",
  "text-generation-inference",
  "setfit",
  "lerobot",
  "autotrain",
  "text-embeddings-inference",
  "bitsandbytes",
  "sentence_transformers",
  "chat-ui",
  "leaderboards",
  "lighteval",
  "argilla",
  "distilabel",
  "microsoft-azure",
  "kernels",
  "google-cloud",
  "hugs",
  "course",
] as const;

export interface DocPage {
  title: string;
  url: string;
}

/** Parses an llms.txt manifest: markdown links `- [Title](url)`. */
export function parseLlmsTxt(text: string): DocPage[] {
  const pages: DocPage[] = [];
  for (const m of text.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g))
    pages.push({ title: m[1]!.trim(), url: m[2]!.trim() });
  return pages;
}
