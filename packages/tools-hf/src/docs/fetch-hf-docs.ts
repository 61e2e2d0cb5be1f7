import { defineTool, errorResult, textResult } from "@ml-intern/tool";
import { z } from "zod";
import type { HfConfig } from "../config.ts";
import { createHfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { isHfUrl } from "../http/hf-hosts.ts";
import { httpErrorFromResponse } from "../http/http-error.ts";

const input = z.object({
  url: z
    .string()
    .min(1)
    .describe(
      "Documentation page URL on huggingface.co/docs (or a '/docs/...' path, or gradio.app); '.md' is added when missing.",
    ),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Character offset to continue a long page (pagination)."),
  max_chars: z
    .number()
    .int()
    .min(1000)
    .max(60000)
    .optional()
    .describe("Characters to return (default 20000)."),
});

const GRADIO_HOSTS = new Set(["gradio.app", "www.gradio.app"]);

/** Resolves a docs URL and checks it is a documentation host; returns the URL to fetch or a refusal. */
export function resolveDocsUrl(raw: string, config: HfConfig): { url: string; hf: boolean } | string {
  let url: URL;
  try {
    url = raw.startsWith("/") ? new URL(raw, config.docsUrl) : new URL(raw);
  } catch {
    return `'${raw}' is not a valid URL.`;
  }
  const gradio = GRADIO_HOSTS.has(url.hostname) || url.origin === new URL(config.gradioDocsUrl).origin;
  const hf = isHfUrl(url.toString(), config);
  if (!hf && !gradio) {
    return `Refusing to fetch ${url.origin}: fetch_hf_docs only reads Hugging Face documentation (huggingface.co/docs, hf.co) and gradio.app.`;
  }
  if (gradio) {
    url.hostname = url.hostname === "gradio.app" ? "www.gradio.app" : url.hostname;
    return { url: url.toString(), hf: false };
  }
  url.hash = "";
  if (!/\.(md|txt)$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/$/, "")}.md`;
  return { url: url.toString(), hf: true };
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<h([1-6])[^>]*>/gi, (_m, n: string) => `\n${"#".repeat(Number(n))} `)
    .replace(/<(br|\/p|\/li|\/h[1-6]|\/div)>/gi, "\n")
    .replace(/<li[^>]*>/gi, "- ")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const output = z.object({
  url: z.string(),
  offset: z.number().describe("Character offset of `content`."),
  content: z.string().describe("The page's markdown (this part)."),
  total_chars: z.number(),
  next_offset: z.number().optional().describe("Pass as offset for the next part; absent at the end."),
});

export function createFetchHfDocsTool(deps: HfToolDeps) {
  return defineTool({
    name: "fetch_hf_docs",
    description:
      "Read one Hugging Face documentation page as markdown (from explore_hf_docs results or a huggingface.co/docs URL). Long pages are paginated with offset. Only Hugging Face documentation hosts and gradio.app are allowed.",
    toolset: "hf-docs",
    input,
    output,
    annotations: {
      title: "Fetch HF docs page",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      const resolved = resolveDocsUrl(args.url, call.config);
      if (typeof resolved === "string") return errorResult(resolved);
      try {
        // The client only attaches the token to HF hosts and refuses redirects that leave the allowed hosts.
        const response = await call.http.request(resolved.url, {
          headers: { accept: "text/markdown, text/plain;q=0.9, text/html;q=0.5" },
          allowRedirect: (next) => typeof resolveDocsUrl(next, call.config) !== "string",
        });
        if (!response.ok) throw await httpErrorFromResponse(response, resolved.url);
        const type = response.headers.get("content-type") ?? "";
        const raw = await response.text();
        const text = type.includes("text/html") ? htmlToText(raw) : raw;
        const offset = args.offset ?? 0;
        const max = args.max_chars ?? 20000;
        const chunk = text.slice(offset, offset + max);
        const more =
          offset + max < text.length
            ? `\n\n=== PAGE TRUNCATED: ${text.length - offset - max} more characters. Call fetch_hf_docs with offset=${offset + max} for the next part. ===`
            : "";
        return textResult(`Documentation from: ${resolved.url}\n\n${chunk}${more}`, {
          url: resolved.url,
          offset,
          content: chunk,
          total_chars: text.length,
          ...(offset + max < text.length ? { next_offset: offset + max } : {}),
        });
      } catch (error) {
        return hfErrorResult(error, call, { action: `fetch ${resolved.url}` });
      }
    },
  });
}
