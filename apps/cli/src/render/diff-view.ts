import { structuredPatch } from "diff";
import type { Colors } from "./colors.ts";

/** A unified diff of two texts, coloured, without the file header; "" when they are equal. */
export function renderDiff(
  before: string,
  after: string,
  c: Colors,
  options: { maxLines?: number; indent?: string; context?: number } = {},
): string {
  const indent = options.indent ?? "  ";
  const patch = structuredPatch("a", "b", before, after, "", "", { context: options.context ?? 2 });
  const out: string[] = [];
  for (const hunk of patch.hunks) {
    out.push(
      `${indent}${c.cyan(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`)}`,
    );
    for (const line of hunk.lines) {
      if (line.startsWith("\\")) continue;
      const mark = line[0];
      out.push(`${indent}${mark === "+" ? c.green(line) : mark === "-" ? c.red(line) : c.dim(line)}`);
    }
  }
  const max = options.maxLines ?? 40;
  if (out.length > max)
    return [...out.slice(0, max), `${indent}${c.dim(`… ${out.length - max} more diff lines`)}`].join("\n");
  return out.join("\n");
}

/** The change an `edit` call makes: old_string → new_string as a diff. */
export function renderEditDiff(args: Record<string, unknown>, c: Colors, maxLines = 40): string {
  const before = typeof args.old_string === "string" ? args.old_string : "";
  const after = typeof args.new_string === "string" ? args.new_string : "";
  const withNl = (s: string) => (s.endsWith("\n") ? s : `${s}\n`);
  return renderDiff(withNl(before), withNl(after), c, { maxLines, context: 3 });
}
