/** Converts a Jupyter notebook (nbformat 4 JSON) to readable markdown: cells in order, outputs trimmed. */

export interface NotebookOptions {
  /** Lines kept per output (default 20). */
  maxOutputLines?: number;
  /** Characters kept per output (default 1,500). */
  maxOutputChars?: number;
}

interface NotebookOutput {
  output_type?: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

interface NotebookCell {
  cell_type?: string;
  source?: string | string[];
  outputs?: NotebookOutput[];
  metadata?: { tags?: unknown };
}

interface Notebook {
  cells?: NotebookCell[];
  metadata?: { kernelspec?: { language?: string }; language_info?: { name?: string } };
}

const HIDDEN_TAGS = new Set(["hide", "hidden", "remove", "remove-cell", "remove_cell"]);

function joinSource(source: string | string[] | undefined): string {
  if (source === undefined) return "";
  return Array.isArray(source) ? source.join("") : source;
}

/** A fence longer than any backtick run inside the text. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return "`".repeat(Math.max(3, longest + 1));
}

function trimOutput(text: string, options: Required<NotebookOptions>): string {
  let lines = text.replace(/\s+$/, "").split("\n");
  let note = "";
  if (lines.length > options.maxOutputLines) {
    note = `… (${lines.length - options.maxOutputLines} more lines)`;
    lines = lines.slice(0, options.maxOutputLines);
  }
  let out = lines.join("\n");
  if (out.length > options.maxOutputChars) {
    note = `… (${out.length - options.maxOutputChars} more characters)`;
    out = out.slice(0, options.maxOutputChars);
  }
  return note ? `${out}\n${note}` : out;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function outputText(output: NotebookOutput): string | undefined {
  switch (output.output_type) {
    case "stream":
      return joinSource(output.text);
    case "execute_result":
    case "display_data": {
      const data = output.data ?? {};
      const plain = data["text/plain"];
      if (typeof plain === "string" || Array.isArray(plain)) return joinSource(plain as string | string[]);
      const kinds = Object.keys(data).join(", ");
      return kinds ? `[${kinds} output omitted]` : undefined;
    }
    case "error":
      return `${output.ename ?? "Error"}: ${output.evalue ?? ""}`;
    default:
      return undefined;
  }
}

/** Returns markdown, or undefined when the text is not an nbformat 4 notebook. */
export function notebookToMarkdown(json: string, options: NotebookOptions = {}): string | undefined {
  const opts: Required<NotebookOptions> = {
    maxOutputLines: options.maxOutputLines ?? 20,
    maxOutputChars: options.maxOutputChars ?? 1500,
  };
  let notebook: Notebook;
  try {
    notebook = JSON.parse(json) as Notebook;
  } catch {
    return undefined;
  }
  if (!notebook || typeof notebook !== "object" || !Array.isArray(notebook.cells)) return undefined;
  const language =
    notebook.metadata?.language_info?.name ?? notebook.metadata?.kernelspec?.language ?? "python";
  const parts: string[] = [];
  for (const cell of notebook.cells) {
    const tags = Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : [];
    if (tags.some((t) => typeof t === "string" && HIDDEN_TAGS.has(t))) continue;
    const source = joinSource(cell.source).replace(/\s+$/, "");
    if (cell.cell_type === "markdown") {
      if (source) parts.push(source);
      continue;
    }
    if (cell.cell_type === "raw") {
      if (source) parts.push(`${fenceFor(source)}\n${source}\n${fenceFor(source)}`);
      continue;
    }
    if (cell.cell_type !== "code") continue;
    if (source) {
      const fence = fenceFor(source);
      parts.push(`${fence}${language}\n${source}\n${fence}`);
    }
    const outputs = (cell.outputs ?? [])
      .map(outputText)
      .filter((t): t is string => Boolean(t?.trim()))
      .map((t) => trimOutput(t.replace(ANSI, ""), opts));
    if (outputs.length) {
      const text = outputs.join("\n");
      const fence = fenceFor(text);
      parts.push(`Output:\n${fence}text\n${text}\n${fence}`);
    }
  }
  return parts.join("\n\n");
}
