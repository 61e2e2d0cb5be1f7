import type { PaperSection, ParsedPaper } from "./arxiv-html.ts";

/**
 * Parses the Hub's markdown rendering of a paper (`/papers/{id}.md`): `# Title`, an abstract (a heading named
 * Abstract, or the text before the first section) and `##`/`###` sections, numbered like the arXiv HTML ones.
 */
export function parsePaperMarkdown(markdown: string): ParsedPaper {
  const lines = markdown.replace(/^---\n[\s\S]*?\n---\n/, "").split("\n");
  let title = "";
  let abstract = "";
  const preamble: string[] = [];
  const sections: PaperSection[] = [];
  let current: { section: PaperSection; body: string[] } | undefined;
  let inAbstract = false;
  let inFence = false;
  const flush = () => {
    if (current) current.section.text = current.body.join("\n").trim();
  };
  for (const line of lines) {
    if (/^```/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading && heading[1]!.length === 1 && !title) {
      title = heading[2]!;
      continue;
    }
    if (heading) {
      const text = heading[2]!.replace(/\*\*/g, "");
      if (/^abstract$/i.test(text)) {
        flush();
        current = undefined;
        inAbstract = true;
        continue;
      }
      inAbstract = false;
      flush();
      const numbered = /^((?:[A-Z]|\d+)(?:\.\d+)*)\.?\s+(.*)$/.exec(text);
      const section: PaperSection = {
        id: numbered?.[1] ?? String(sections.length + 1),
        title: numbered?.[2] ?? text,
        level: heading[1]!.length <= 2 ? 2 : 3,
        text: "",
      };
      sections.push(section);
      current = { section, body: [] };
      continue;
    }
    if (inAbstract) abstract += `${line}\n`;
    else if (current) current.body.push(line);
    else preamble.push(line);
  }
  flush();
  return {
    title,
    abstract: (abstract || preamble.join("\n")).trim(),
    sections,
  };
}
