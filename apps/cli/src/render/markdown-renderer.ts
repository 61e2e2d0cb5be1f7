import type { Token, Tokens } from "marked";
import { renderCode } from "./code-view.ts";
import { type Colors, createColors } from "./colors.ts";

export type MarkdownRenderer = (markdown: string) => string;

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  "#39": "'",
  apos: "'",
  nbsp: " ",
};

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "");
}

/**
 * Terminal markdown from marked's lexer: inline formatting everywhere (list items, table cells, headings),
 * headings without their `#`s, tables aligned as their separator row says, code highlighted. With colours off the
 * same structure comes out as plain text (no markers, no escapes).
 */
export function createMarkdownFormatter(options: {
  c: Colors;
  width: number;
  lex: (markdown: string) => Token[];
  stringWidth: (text: string) => number;
}): MarkdownRenderer {
  const { c, stringWidth } = options;
  const italic = (s: string) => (c.enabled ? `\x1b[3m${s}\x1b[23m` : s);
  const underline = (s: string) => (c.enabled ? `\x1b[4m${s}\x1b[24m` : s);
  const strike = (s: string) => (c.enabled ? `\x1b[9m${s}\x1b[29m` : `~${s}~`);

  const inline = (tokens: readonly Token[] | undefined): string =>
    (tokens ?? []).map((t) => inlineToken(t)).join("");

  const inlineToken = (t: Token): string => {
    switch (t.type) {
      case "text": {
        const tt = t as Tokens.Text;
        return tt.tokens?.length ? inline(tt.tokens) : decode(tt.text);
      }
      case "escape":
        return decode((t as Tokens.Escape).text);
      case "strong":
        return c.bold(inline((t as Tokens.Strong).tokens));
      case "em":
        return italic(inline((t as Tokens.Em).tokens));
      case "del":
        return strike(inline((t as Tokens.Del).tokens));
      case "codespan":
        return c.enabled ? c.cyan(decode((t as Tokens.Codespan).text)) : decode((t as Tokens.Codespan).text);
      case "br":
        return "\n";
      case "link": {
        const l = t as Tokens.Link;
        const text = inline(l.tokens);
        return text === l.href || `mailto:${text}` === l.href
          ? underline(text)
          : `${underline(text)} ${c.dim(`(${l.href})`)}`;
      }
      case "image": {
        const i = t as Tokens.Image;
        return c.dim(`[image: ${i.text || i.href}]`);
      }
      case "html":
        return /^<br\s*\/?>$/i.test((t as Tokens.HTML).text.trim()) ? "\n" : (t as Tokens.HTML).text;
      case "checkbox":
        return (t as Tokens.Checkbox).checked ? "[x] " : "[ ] ";
      default:
        return "raw" in t && typeof t.raw === "string" ? t.raw : "";
    }
  };

  const indentLines = (text: string, first: string, rest: string) =>
    text
      .split("\n")
      .map((line, i) => (i === 0 ? first : rest) + line)
      .join("\n");

  const list = (l: Tokens.List, depth: number): string => {
    const start = typeof l.start === "number" ? l.start : 1;
    const bullets = ["•", "◦", "▪"];
    const markers = l.items.map((_, i) => (l.ordered ? `${start + i}.` : (bullets[depth % 3] ?? "•")));
    const width = Math.max(...markers.map((m) => m.length));
    return l.items
      .map((item, i) => {
        const marker = `${(markers[i] ?? "").padStart(l.ordered ? width : 1)} `;
        const task = item.task ? (item.checked ? c.green("☑ ") : "☐ ") : "";
        const parts = item.tokens
          .filter((t) => t.type !== "checkbox")
          .map((t) => (t.type === "list" ? list(t as Tokens.List, depth + 1) : block(t, depth + 1)))
          .filter((s) => s !== "");
        const body = parts.join(item.loose ? "\n\n" : "\n");
        return indentLines(task + body, c.enabled ? c.dim(marker) : marker, " ".repeat(marker.length));
      })
      .join(l.loose ? "\n\n" : "\n");
  };

  const table = (t: Tokens.Table): string => {
    const header = t.header.map((cell) => inline(cell.tokens));
    const rows = t.rows.map((row) => row.map((cell) => inline(cell.tokens)));
    const widths = header.map((h, i) =>
      Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ""))),
    );
    const pad = (text: string, i: number) => {
      const gap = (widths[i] ?? 0) - stringWidth(text);
      const align = t.align[i];
      if (align === "right") return " ".repeat(gap) + text;
      if (align === "center") return " ".repeat(Math.floor(gap / 2)) + text + " ".repeat(Math.ceil(gap / 2));
      return text + " ".repeat(gap);
    };
    const line = (cells: string[]) => `│ ${cells.map((cell, i) => pad(cell, i)).join(" │ ")} │`;
    const rule = (l: string, m: string, r: string) =>
      c.dim(`${l}${widths.map((w) => "─".repeat(w + 2)).join(m)}${r}`);
    return [
      rule("┌", "┬", "┐"),
      line(header.map((h) => c.bold(h))),
      rule("├", "┼", "┤"),
      ...rows.map((r) => line(r)),
      rule("└", "┴", "┘"),
    ].join("\n");
  };

  const block = (t: Token, depth = 0): string => {
    switch (t.type) {
      case "space":
        return "";
      case "heading": {
        const h = t as Tokens.Heading;
        const text = inline(h.tokens);
        if (!c.enabled)
          return h.depth <= 2
            ? `${text}\n${(h.depth === 1 ? "═" : "─").repeat(Math.min(stringWidth(text), options.width))}`
            : text;
        return h.depth === 1
          ? c.bold(underline(c.magenta(text)))
          : h.depth === 2
            ? c.bold(c.magenta(text))
            : c.bold(text);
      }
      case "paragraph":
        return inline((t as Tokens.Paragraph).tokens);
      case "text": {
        const tt = t as Tokens.Text;
        return tt.tokens ? inline(tt.tokens) : decode(tt.text);
      }
      case "code": {
        const code = t as Tokens.Code;
        const lang = code.lang?.split(/\s/)[0] || undefined;
        return renderCode(code.text, c, { language: lang, maxLines: 10_000, numbers: false, indent: "  " });
      }
      case "blockquote": {
        const inner = (t as Tokens.Blockquote).tokens
          .map((x) => block(x, depth))
          .filter(Boolean)
          .join("\n\n");
        return indentLines(inner, c.dim("│ "), c.dim("│ "));
      }
      case "list":
        return list(t as Tokens.List, depth);
      case "table":
        return table(t as Tokens.Table);
      case "hr":
        return c.dim("─".repeat(Math.min(40, options.width)));
      case "html":
        return (t as Tokens.HTML).text.replace(/\n+$/, "");
      case "def":
        return "";
      default:
        return "raw" in t && typeof t.raw === "string" ? t.raw.replace(/\n+$/, "") : "";
    }
  };

  return (markdown) => {
    try {
      const blocks = options
        .lex(markdown)
        .map((t) => block(t))
        .filter((s) => s !== "");
      return `${blocks.join("\n\n")}\n`;
    } catch {
      return markdown;
    }
  };
}

/**
 * The renderer the CLI uses, loaded on first use. `structure: false` with colours off returns the markdown as is
 * (line mode into a pipe stays byte-for-byte what the model wrote).
 */
export async function createMarkdownRenderer(options: {
  colors: boolean;
  width: number;
  structure?: boolean;
}): Promise<MarkdownRenderer> {
  if (!options.colors && !options.structure) return (md) => md;
  const [{ Lexer }, { default: stringWidth }] = await Promise.all([import("marked"), import("string-width")]);
  const c = createColors(options.colors ? { FORCE_COLOR: "1" } : { NO_COLOR: "1" }, options.colors);
  return createMarkdownFormatter({
    c,
    width: options.width,
    lex: (md) => Lexer.lex(md, { gfm: true }),
    stringWidth,
  });
}
