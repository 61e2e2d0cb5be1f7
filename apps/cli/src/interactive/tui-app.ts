import { Box, Static, Text } from "ink";
import { createElement as h, type ReactElement, useSyncExternalStore } from "react";
import type { Colors } from "../render/colors.ts";
import { cursorPosition, type EditorState } from "./line-editor.ts";
import type { TranscriptItem, ViewState, ViewStore } from "./view-store.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** The editor's lines with the cursor drawn as an inverted cell. */
export function editorLines(editor: EditorState, prompt: string, placeholder: string, c: Colors): string[] {
  const { lines, line, column } = cursorPosition(editor);
  const inverse = (s: string) => `\x1b[7m${s}\x1b[27m`;
  if (!editor.text) return [`${prompt}${inverse(" ")}${c.dim(placeholder)}`];
  return lines.map((text, i) => {
    const lead = i === 0 ? prompt : "  ";
    if (i !== line) return `${lead}${text}`;
    const chars = Array.from(text);
    const before = Array.from(text.slice(0, column)).length;
    const at = chars[before] ?? " ";
    return `${lead}${chars.slice(0, before).join("")}${inverse(at)}${chars.slice(before + 1).join("")}`;
  });
}

function LiveArea({ state, c }: { state: ViewState; c: Colors }): ReactElement {
  const parts: ReactElement[] = [];
  const a = state.activity;
  if (a) {
    const elapsed = Date.now() - a.startedAt;
    const frame = FRAMES[state.tick % FRAMES.length] ?? "";
    parts.push(
      h(
        Text,
        { key: "spin" },
        `${c.cyan(frame)} ${a.label}${elapsed >= 1000 ? c.dim(` ${formatElapsed(elapsed)}`) : ""}${c.dim(" · Ctrl-C interrupts")}`,
      ),
    );
    a.lines.forEach((line, i) => {
      parts.push(h(Text, { key: `l${i}`, wrap: "truncate-end" }, `  ${c.dim(line)}`));
    });
  }
  state.queue.forEach((q, i) => {
    const first = q.split("\n")[0] ?? "";
    const more = q.includes("\n") ? c.dim(` (+${q.split("\n").length - 1} lines)`) : "";
    parts.push(h(Text, { key: `q${i}`, wrap: "truncate-end" }, `${c.dim("queued ›")} ${first}${more}`));
  });
  if (state.notice) parts.push(h(Text, { key: "notice" }, c.dim(state.notice)));
  return h(Box, { flexDirection: "column" }, ...parts);
}

function Dialog({ state, c }: { state: ViewState; c: Colors }): ReactElement | null {
  const d = state.dialog;
  if (!d) return null;
  const children: ReactElement[] = [h(Text, { key: "body" }, d.body)];
  if (d.feedback) {
    const lines = editorLines(
      d.feedback,
      `${c.bold("feedback ›")} `,
      "why, or what to do instead (Enter sends)",
      c,
    );
    children.push(h(Text, { key: "fb" }, lines.join("\n")));
  }
  if (d.error) children.push(h(Text, { key: "err" }, c.red(d.error)));
  children.push(h(Text, { key: "foot" }, d.footer));
  return h(
    Box,
    {
      flexDirection: "column",
      borderStyle: "round",
      borderColor: c.enabled ? "yellow" : undefined,
      paddingX: 1,
    },
    ...children,
  );
}

function Picker({ state, c }: { state: ViewState; c: Colors }): ReactElement | null {
  const p = state.picker;
  if (!p) return null;
  const start = Math.max(0, Math.min(p.index - 5, p.options.length - 12));
  const shown = p.options.slice(start, start + 12);
  return h(
    Box,
    { flexDirection: "column", borderStyle: "round", paddingX: 1 },
    h(Text, { key: "t" }, `${c.bold(p.title)} ${c.dim("↑/↓ choose · Enter select · Esc cancel")}`),
    ...shown.map((o, i) =>
      h(
        Text,
        { key: `o${i}`, wrap: "truncate-end" },
        start + i === p.index ? `${c.cyan("›")} ${c.bold(o)}` : `  ${o}`,
      ),
    ),
  );
}

/** The whole screen: finished output (written once), then the live area, the dialog or editor, the status line. */
export function TuiApp({ store, c }: { store: ViewStore; c: Colors }): ReactElement {
  const state = useSyncExternalStore(store.subscribe, store.get);
  const input = state.picker
    ? null
    : h(
        Text,
        { key: "editor" },
        editorLines(
          state.editor,
          `${c.bold(c.magenta("›"))} `,
          state.dialog
            ? " (your next message; the dialog above takes y/a/n/e/!)"
            : state.activity
              ? " type ahead: Enter queues the message for when this turn ends"
              : " message · Enter sends · Ctrl-J new line · ↑ history · /help",
          c,
        ).join("\n"),
      );
  return h(
    Box,
    { flexDirection: "column" },
    h(Static<TranscriptItem>, {
      items: state.transcript,
      // biome-ignore lint/correctness/noChildrenProp: Static's child is a render function, not an element
      children: (t: TranscriptItem) => h(Text, { key: t.id }, t.text),
    }),
    h(LiveArea, { state, c }),
    h(Dialog, { state, c }),
    h(Picker, { state, c }),
    input,
    h(Text, { key: "status", wrap: "truncate-end" }, c.dim(state.status)),
  );
}
