/**
 * The one edit algorithm shared by every backend and the sandbox server.
 *
 * Exact matching is the contract. When it misses, tolerant passes (trailing whitespace, all surrounding
 * whitespace, then unicode look-alikes) locate the text, and the edit applies to the exact original columns
 * that matched, so the rest of the line and its indentation are kept.
 */
import { MAX_FUZZY_EDIT_CHARS } from "./limits.ts";

export type EditMode = "replace" | "append_after" | "prepend_before";

export interface EditRequest {
  oldStr: string;
  newStr: string;
  replaceAll?: boolean;
  mode?: EditMode | "replace_all";
  /** Above this many chars only exact matches are tried (the tolerant passes are slow on huge files). */
  maxFuzzyChars?: number;
}

export type EditErrorCode = "identical" | "empty_old_str" | "not_found" | "not_unique" | "bad_mode";

export type EditOutcome =
  | { ok: true; content: string; replacements: number; note?: string }
  | { ok: false; code: EditErrorCode; message: string };

interface Span {
  start: number;
  end: number;
  /** Indentation to add to the continuation lines of new_str (fuzzy matches only). */
  indent?: string;
}

type Level = 1 | 2 | 3;

const LEVEL_NOTES: Record<Level, string> = {
  1: "(matched after trimming trailing whitespace)",
  2: "(matched after normalising whitespace)",
  3: "(matched after unicode normalization)",
};

const UNICODE_FOLD: Record<string, string> = {
  "\u2013": "-",
  "\u2014": "-",
  "\u2212": "-",
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201b": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u201f": '"',
  "\u00a0": " ",
  "\u2002": " ",
  "\u2003": " ",
  "\u2009": " ",
  "\u200b": "",
  "\ufeff": "",
};

const isSpace = (ch: string) => ch === " " || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\v";

interface Normalised {
  text: string;
  /** map[j] = index in the original line of normalised char j. */
  map: number[];
}

/** Normalises one line at a level, remembering where each kept character came from. */
function normaliseLine(line: string, level: Level): Normalised {
  let chars: { ch: string; at: number }[] = [];
  for (let i = 0; i < line.length; i++) {
    let ch = line[i] as string;
    if (level === 3 && ch in UNICODE_FOLD) ch = UNICODE_FOLD[ch] as string;
    if (ch === "") continue;
    chars.push({ ch, at: i });
  }
  if (level >= 2) {
    const collapsed: { ch: string; at: number }[] = [];
    for (const c of chars) {
      if (isSpace(c.ch)) {
        const prev = collapsed[collapsed.length - 1];
        if (!prev || isSpace(prev.ch)) continue; // drop leading and repeated whitespace
        collapsed.push({ ch: " ", at: c.at });
      } else collapsed.push(c);
    }
    chars = collapsed;
  }
  while (chars.length && isSpace((chars[chars.length - 1] as { ch: string }).ch)) chars.pop();
  return { text: chars.map((c) => c.ch).join(""), map: chars.map((c) => c.at) };
}

interface Line {
  text: string;
  /** Offset of the line's first char in the content. */
  offset: number;
}

function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  for (const text of content.split("\n")) {
    lines.push({ text, offset });
    offset += text.length + 1;
  }
  return lines;
}

const leadingWhitespace = (s: string) => /^[ \t]*/.exec(s)?.[0] ?? "";

function exactSpans(content: string, needle: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const at = content.indexOf(needle, from);
    if (at < 0) return spans;
    spans.push({ start: at, end: at + needle.length });
    from = at + needle.length;
  }
}

/** Extra indentation the file has over the pattern on every non-blank line of the match, if consistent. */
function indentDelta(fileLines: string[], patternLines: string[]): string | undefined {
  let delta: string | undefined;
  for (let j = 1; j < patternLines.length; j++) {
    const p = patternLines[j] as string;
    const f = fileLines[j] as string;
    if (!p.trim() || !f.trim()) continue;
    const pi = leadingWhitespace(p);
    const fi = leadingWhitespace(f);
    if (!fi.endsWith(pi)) return undefined;
    const d = fi.slice(0, fi.length - pi.length);
    if (delta === undefined) delta = d;
    else if (delta !== d) return undefined;
  }
  return delta || undefined;
}

function fuzzySpans(lines: Line[], pattern: string, level: Level): Span[] {
  const patternLines = pattern.split("\n");
  const k = patternLines.length;
  const norm = patternLines.map((p) => normaliseLine(p, level).text);
  const cache = new Map<number, Normalised>();
  const lineNorm = (i: number) => {
    let n = cache.get(i);
    if (!n) {
      n = normaliseLine((lines[i] as Line).text, level);
      cache.set(i, n);
    }
    return n;
  };
  const spans: Span[] = [];
  if (norm.every((n) => n === "")) return spans;
  if (k === 1) {
    const p = norm[0] as string;
    for (let i = 0; i < lines.length; i++) {
      const n = lineNorm(i);
      const offset = (lines[i] as Line).offset;
      for (let at = n.text.indexOf(p); at >= 0; at = n.text.indexOf(p, at + p.length)) {
        spans.push({
          start: offset + (n.map[at] as number),
          end: offset + (n.map[at + p.length - 1] as number) + 1,
        });
      }
    }
    return spans;
  }
  let i = 0;
  while (i + k <= lines.length) {
    const span = matchAt(i);
    if (span) {
      spans.push(span);
      i += k;
    } else i++;
  }
  return spans;

  function matchAt(i: number): Span | undefined {
    const first = lineNorm(i);
    const firstLine = lines[i] as Line;
    const p0 = norm[0] as string;
    if (!first.text.endsWith(p0)) return undefined;
    for (let j = 1; j < k - 1; j++) if (lineNorm(i + j).text !== norm[j]) return undefined;
    const last = lineNorm(i + k - 1);
    const lastLine = lines[i + k - 1] as Line;
    const pl = norm[k - 1] as string;
    if (!last.text.startsWith(pl)) return undefined;
    const startCol = p0 === "" ? firstLine.text.length : (first.map[first.text.length - p0.length] as number);
    const endCol = pl === "" ? 0 : (last.map[pl.length - 1] as number) + 1;
    const fileLines = lines.slice(i, i + k).map((l) => l.text);
    return {
      start: firstLine.offset + startCol,
      end: lastLine.offset + endCol,
      indent: indentDelta(fileLines, patternLines),
    };
  }
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const g = s.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const ga = bigrams(a);
  const gb = bigrams(b);
  let common = 0;
  for (const [g, n] of ga) common += Math.min(n, gb.get(g) ?? 0);
  return (2 * common) / (a.length - 1 + (b.length - 1));
}

/** The region of the file that looks most like the pattern, rendered with line numbers. */
export function closestCandidate(content: string, pattern: string): string | undefined {
  const lines = content.split("\n");
  const patternLines = pattern.split("\n").map((l) => normaliseLine(l, 3).text);
  const k = Math.min(patternLines.length, lines.length);
  if (k === 0) return undefined;
  const normLines = lines.map((l) => normaliseLine(l, 3).text);
  const maxWindows = Math.max(1, Math.floor(2_000_000 / Math.max(1, k * 40)));
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i + k <= lines.length && i < maxWindows; i++) {
    let score = 0;
    for (let j = 0; j < k; j++) score += similarity(normLines[i + j] as string, patternLines[j] as string);
    score /= k;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  if (best < 0 || bestScore < 0.3) return undefined;
  const shown = lines.slice(best, best + k).map((l, j) => `${String(best + j + 1).padStart(6)}\t${l}`);
  return `Closest match (lines ${best + 1}-${best + k}, ${Math.round(bestScore * 100)}% similar):\n${shown.join("\n")}`;
}

const lineOf = (content: string, offset: number) => content.slice(0, offset).split("\n").length;

function withIndent(text: string, indent: string | undefined): string {
  if (!indent) return text;
  return text
    .split("\n")
    .map((line, j) => (j === 0 || line === "" ? line : indent + line))
    .join("\n");
}

/** Applies an edit to file content; pure, so every backend and the server behave the same. */
export function applyEdit(content: string, request: EditRequest): EditOutcome {
  let mode = request.mode ?? "replace";
  let replaceAll = request.replaceAll ?? false;
  if (mode === "replace_all") {
    mode = "replace";
    replaceAll = true;
  }
  if (mode !== "replace" && mode !== "append_after" && mode !== "prepend_before") {
    return {
      ok: false,
      code: "bad_mode",
      message: `Unknown edit mode: ${String(mode)}. Use replace, append_after, or prepend_before.`,
    };
  }
  if (request.oldStr === "") {
    return {
      ok: false,
      code: "empty_old_str",
      message:
        "old_str is empty. Give the exact text to find; use write to create or overwrite a whole file.",
    };
  }
  if (request.oldStr === request.newStr) {
    return { ok: false, code: "identical", message: "old_str and new_str must differ." };
  }
  const crlf = content.includes("\r\n") && !request.newStr.includes("\r\n");
  const newStr = crlf ? request.newStr.replace(/\n/g, "\r\n") : request.newStr;

  let spans = exactSpans(content, request.oldStr);
  let note: string | undefined;
  const fuzzy = content.length <= (request.maxFuzzyChars ?? MAX_FUZZY_EDIT_CHARS);
  if (spans.length === 0 && fuzzy) {
    const lines = splitLines(content);
    const pattern = request.oldStr.replace(/\r\n/g, "\n");
    for (const level of [1, 2, 3] as const) {
      spans = fuzzySpans(lines, pattern, level);
      if (spans.length) {
        note = LEVEL_NOTES[level];
        break;
      }
    }
  }
  if (spans.length === 0) {
    if (!fuzzy) {
      return {
        ok: false,
        code: "not_found",
        message: `old_str was not found in the file. The file has ${content.length.toLocaleString("en-US")} characters, more than the ${(request.maxFuzzyChars ?? MAX_FUZZY_EDIT_CHARS).toLocaleString("en-US")} up to which whitespace- and unicode-tolerant matching is tried, so old_str must match exactly (including whitespace and indentation). Use bash (grep -n) to find the exact text.`,
      };
    }
    const candidate = closestCandidate(content, request.oldStr);
    return {
      ok: false,
      code: "not_found",
      message:
        "old_str was not found in the file. Make sure old_str matches the file contents exactly, including whitespace and indentation (without line-number prefixes). Use the read tool to verify the current contents before retrying." +
        (candidate ? `\n\n${candidate}` : ""),
    };
  }
  if (spans.length > 1 && !replaceAll) {
    const at = spans.slice(0, 10).map((s) => lineOf(content, s.start));
    return {
      ok: false,
      code: "not_unique",
      message: `Found ${spans.length} matches of old_str in the file (at lines ${at.join(", ")}${spans.length > 10 ? ", ..." : ""}), but replace_all is false. To change every occurrence, set replace_all to true. To change only one, give a larger old_str with enough surrounding context to identify it uniquely.`,
    };
  }
  let out = "";
  let cursor = 0;
  for (const span of spans) {
    const inserted = withIndent(newStr, span.indent);
    const original = content.slice(span.start, span.end);
    out += content.slice(cursor, span.start);
    if (mode === "replace") out += inserted;
    else if (mode === "append_after") out += original + inserted;
    else out += inserted + original;
    cursor = span.end;
  }
  out += content.slice(cursor);
  return note
    ? { ok: true, content: out, replacements: spans.length, note }
    : { ok: true, content: out, replacements: spans.length };
}
