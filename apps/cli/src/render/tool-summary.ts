const PREFERRED_KEYS = ["command", "path", "file_path", "operation", "query", "repo_id", "url", "message"];

function short(value: unknown, max: number): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A one-line summary of a call's arguments, most telling keys first. */
export function summarizeArgs(args: Record<string, unknown>, max = 80): string {
  const keys = Object.keys(args);
  const ordered = [
    ...PREFERRED_KEYS.filter((k) => keys.includes(k)),
    ...keys.filter((k) => !PREFERRED_KEYS.includes(k)),
  ];
  const parts: string[] = [];
  let used = 0;
  for (const key of ordered) {
    const value = args[key];
    if (value === undefined || value === null || value === "") continue;
    const part = `${key}=${short(value, 48)}`;
    if (used + part.length > max && parts.length) {
      if (!parts.at(-1)?.endsWith("…")) parts.push("…");
      break;
    }
    parts.push(part);
    used += part.length + 1;
  }
  return parts.join(" ");
}

/** `mcp__server__tool` → `server/tool` for display. */
export function displayToolName(name: string): string {
  const m = /^mcp__(.+?)__(.+)$/.exec(name);
  return m ? `${m[1]}/${m[2]}` : name;
}

/** First line of a tool output, shortened. */
export function firstLine(text: string, max = 100): string {
  const line = text.split("\n").find((l) => l.trim()) ?? "";
  return short(line, max);
}
