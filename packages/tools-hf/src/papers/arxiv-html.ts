/** Extracts the title, abstract and numbered sections from an arXiv (LaTeXML) HTML paper. */
export interface PaperSection {
  id: string;
  title: string;
  level: 2 | 3;
  text: string;
}

export interface ParsedPaper {
  title: string;
  abstract: string;
  sections: PaperSection[];
}

function clean(html: string): string {
  return html
    .replace(/<(script|style|math)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<\/(p|div|li|h\d)>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#\d+;/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n+/g, "\n\n")
    .trim();
}

export function parseArxivHtml(html: string): ParsedPaper {
  const title = clean(
    /<h1[^>]*class="[^"]*ltx_title[^"]*"[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1] ?? "",
  ).replace(/^Title:\s*/, "");
  const abstractBlock =
    /<div[^>]*class="[^"]*ltx_abstract[^"]*"[^>]*>([\s\S]*?)<\/div>/i.exec(html)?.[1] ?? "";
  const abstract = clean(abstractBlock.replace(/<h6[\s\S]*?<\/h6>/i, ""));
  const headingRe = /<h([23])[^>]*class="[^"]*ltx_title[^"]*"[^>]*>([\s\S]*?)<\/h\1>/gi;
  const heads: { level: 2 | 3; raw: string; start: number; end: number }[] = [];
  for (const m of html.matchAll(headingRe)) {
    heads.push({
      level: Number(m[1]) as 2 | 3,
      raw: m[2]!,
      start: m.index ?? 0,
      end: (m.index ?? 0) + m[0].length,
    });
  }
  const sections = heads.map((h, i) => {
    const heading = clean(h.raw);
    const numbered = /^((?:[A-Z]|\d+)(?:\.\d+)*)\.?\s+(.*)$/.exec(heading);
    const next = heads[i + 1]?.start ?? html.length;
    return {
      id: numbered?.[1] ?? String(i + 1),
      title: numbered?.[2] ?? heading,
      level: h.level,
      text: clean(html.slice(h.end, next)),
    };
  });
  return { title, abstract, sections };
}

/** Finds a section by id, exact title, title substring, then id prefix. */
export function findSection(sections: PaperSection[], query: string): PaperSection | undefined {
  const q = query.trim().toLowerCase();
  return (
    sections.find((s) => s.id.toLowerCase() === q) ??
    sections.find((s) => s.title.toLowerCase() === q) ??
    sections.find((s) => s.title.toLowerCase().includes(q)) ??
    sections.find((s) => s.id.toLowerCase().startsWith(q))
  );
}
