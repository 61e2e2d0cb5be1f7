/**
 * The state of the multi-line input editor, kept pure so it can be tested without a terminal: a text, a cursor
 * (an offset into the text), and the history of sent messages (Up/Down walk it from the first/last line).
 */
export interface EditorState {
  text: string;
  cursor: number;
  history: readonly string[];
  /** Index into history while browsing it; history.length = the draft. */
  historyIndex: number;
  /** The unsent text kept while browsing the history. */
  draft: string;
}

export function createEditorState(history: readonly string[] = []): EditorState {
  return { text: "", cursor: 0, history, historyIndex: history.length, draft: "" };
}

function lineStart(text: string, cursor: number): number {
  return text.lastIndexOf("\n", cursor - 1) + 1;
}

function lineEnd(text: string, cursor: number): number {
  const end = text.indexOf("\n", cursor);
  return end === -1 ? text.length : end;
}

/** Inserts text at the cursor (pasted text keeps its newlines; CR and CRLF become LF, tabs two spaces). */
export function insert(state: EditorState, chunk: string): EditorState {
  const clean = chunk.replace(/\r\n?/g, "\n").replace(/\t/g, "  ");
  const text = state.text.slice(0, state.cursor) + clean + state.text.slice(state.cursor);
  return { ...state, text, cursor: state.cursor + clean.length };
}

export function backspace(state: EditorState): EditorState {
  if (state.cursor === 0) return state;
  const before = Array.from(state.text.slice(0, state.cursor));
  const removed = before.pop() ?? "";
  return {
    ...state,
    text: before.join("") + state.text.slice(state.cursor),
    cursor: state.cursor - removed.length,
  };
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state;
  const after = Array.from(state.text.slice(state.cursor));
  after.shift();
  return { ...state, text: state.text.slice(0, state.cursor) + after.join("") };
}

/** Ctrl-W: deletes the word before the cursor. */
export function deleteWord(state: EditorState): EditorState {
  const before = state.text.slice(0, state.cursor);
  const cut = before.replace(/\S+\s*$|\s+$/, "");
  return { ...state, text: cut + state.text.slice(state.cursor), cursor: cut.length };
}

/** Ctrl-U: deletes from the start of the line to the cursor. */
export function deleteToLineStart(state: EditorState): EditorState {
  const start = lineStart(state.text, state.cursor);
  return { ...state, text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start };
}

export function moveLeft(state: EditorState): EditorState {
  if (state.cursor === 0) return state;
  const chars = Array.from(state.text.slice(0, state.cursor));
  return { ...state, cursor: state.cursor - (chars.at(-1)?.length ?? 1) };
}

export function moveRight(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state;
  const next = Array.from(state.text.slice(state.cursor))[0] ?? "";
  return { ...state, cursor: state.cursor + next.length };
}

export function moveHome(state: EditorState): EditorState {
  return { ...state, cursor: lineStart(state.text, state.cursor) };
}

export function moveEnd(state: EditorState): EditorState {
  return { ...state, cursor: lineEnd(state.text, state.cursor) };
}

/** Up: the line above, or from the first line the previous history entry. */
export function moveUp(state: EditorState): EditorState {
  const start = lineStart(state.text, state.cursor);
  if (start === 0) return historyStep(state, -1);
  const column = state.cursor - start;
  const prevStart = lineStart(state.text, start - 1);
  return { ...state, cursor: Math.min(prevStart + column, start - 1) };
}

/** Down: the line below, or from the last line the next history entry. */
export function moveDown(state: EditorState): EditorState {
  const end = lineEnd(state.text, state.cursor);
  if (end === state.text.length) return historyStep(state, 1);
  const column = state.cursor - lineStart(state.text, state.cursor);
  const nextEnd = lineEnd(state.text, end + 1);
  return { ...state, cursor: Math.min(end + 1 + column, nextEnd) };
}

function historyStep(state: EditorState, delta: number): EditorState {
  const index = state.historyIndex + delta;
  if (index < 0 || index > state.history.length) return state;
  const draft = state.historyIndex === state.history.length ? state.text : state.draft;
  const text = index === state.history.length ? draft : (state.history[index] ?? "");
  return { ...state, text, cursor: text.length, historyIndex: index, draft };
}

/** Takes the text out (Enter): the editor empties and the text joins the history (no consecutive duplicates). */
export function submit(state: EditorState): { state: EditorState; text: string } {
  const text = state.text;
  const history =
    text.trim() && state.history.at(-1) !== text ? [...state.history, text].slice(-500) : state.history;
  return { state: { ...createEditorState(history) }, text };
}

/** The text split into lines, with the cursor's line and column (for drawing). */
export function cursorPosition(state: EditorState): { lines: string[]; line: number; column: number } {
  const lines = state.text.split("\n");
  const before = state.text.slice(0, state.cursor).split("\n");
  return { lines, line: before.length - 1, column: before.at(-1)?.length ?? 0 };
}
