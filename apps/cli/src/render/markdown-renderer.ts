import type { MarkedExtension } from "marked";

export type MarkdownRenderer = (markdown: string) => string;

/** Terminal markdown (marked + marked-terminal, code blocks highlighted); loaded on first use. */
export async function createMarkdownRenderer(options: {
  colors: boolean;
  width: number;
}): Promise<MarkdownRenderer> {
  if (!options.colors) return (md) => md;
  const [{ Marked }, { markedTerminal }] = await Promise.all([import("marked"), import("marked-terminal")]);
  const extension = markedTerminal({ width: options.width, reflowText: false, tab: 2 });
  const marked = new Marked(extension as unknown as MarkedExtension);
  return (markdown) => {
    try {
      const out = marked.parse(markdown, { async: false });
      return typeof out === "string" ? out : markdown;
    } catch {
      return markdown;
    }
  };
}
