export interface SlashCommand {
  name: string;
  args: string;
  description: string;
}

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: "/help", args: "", description: "Show this list" },
  { name: "/new", args: "", description: "Start a fresh conversation" },
  { name: "/clear", args: "", description: "Start a fresh conversation and clear the screen" },
  { name: "/undo", args: "", description: "Remove the last turn" },
  { name: "/compact", args: "", description: "Compact the conversation context now, at any size" },
  { name: "/resume", args: "[id|index]", description: "Resume a saved session (no argument: pick one)" },
  { name: "/model", args: "[id]", description: "Switch the model (no argument: pick one)" },
  { name: "/effort", args: "[low|medium|high|max|off]", description: "Show or set reasoning effort" },
  { name: "/yolo", args: "", description: "Toggle auto-approval (scheduled jobs still ask)" },
  { name: "/status", args: "", description: "Model, effort, approvals, tools, session" },
  { name: "/cost", args: "", description: "Tokens and estimated spend of this session" },
  {
    name: "/share-traces",
    args: "[on|off]",
    description:
      "Upload this session's redacted trace to your private Hub dataset now, or at session end (on/off)",
  },
  { name: "/quit", args: "", description: "Exit (also /exit, Ctrl-D)" },
];

/** An aligned table of the commands. */
export function slashHelp(): string {
  const left = SLASH_COMMANDS.map((c) => `${c.name}${c.args ? ` ${c.args}` : ""}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return SLASH_COMMANDS.map((c, i) => `  ${left[i]!.padEnd(width)}${c.description}`).join("\n");
}

/** readline completer: completes command names after a leading "/". */
export function completeSlash(line: string): [string[], string] {
  if (!line.startsWith("/") || line.includes(" ")) return [[], line];
  const names = [...SLASH_COMMANDS.map((c) => c.name), "/exit"];
  const hits = names.filter((n) => n.startsWith(line));
  return [hits.length ? hits : names, line];
}

export function parseSlash(line: string): { name: string; arg: string } {
  const trimmed = line.trim();
  const space = trimmed.indexOf(" ");
  return space === -1
    ? { name: trimmed.toLowerCase(), arg: "" }
    : { name: trimmed.slice(0, space).toLowerCase(), arg: trimmed.slice(space + 1).trim() };
}
