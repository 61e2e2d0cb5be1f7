import { createEditorState, type EditorState } from "./line-editor.ts";

export interface TranscriptItem {
  id: number;
  text: string;
}

export interface Activity {
  label: string;
  startedAt: number;
  /** Live lines under the spinner (progress bar, the tail of a tool's log). */
  lines: string[];
}

export interface DialogView {
  /** Pre-rendered body (summary, code). */
  body: string;
  /** Key help, or why keys still go to the message editor. */
  footer: string;
  /** The feedback field while rejecting with feedback. */
  feedback?: EditorState;
  error?: string;
}

export interface PickerView {
  title: string;
  options: string[];
  index: number;
}

/** Everything the terminal UI draws; the controller owns the logic and replaces parts of this. */
export interface ViewState {
  transcript: TranscriptItem[];
  activity?: Activity;
  queue: string[];
  editor: EditorState;
  dialog?: DialogView;
  picker?: PickerView;
  status: string;
  notice?: string;
  /** Bumped by the spinner timer so elapsed times redraw. */
  tick: number;
}

export interface ViewStore {
  get(): ViewState;
  update(change: Partial<ViewState> | ((s: ViewState) => Partial<ViewState>)): void;
  /** Appends finished output above the live area (written once, never redrawn). */
  print(text: string): void;
  subscribe(listener: () => void): () => void;
}

export function createViewStore(): ViewStore {
  let state: ViewState = { transcript: [], queue: [], editor: createEditorState(), status: "", tick: 0 };
  let nextId = 0;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const l of listeners) l();
  };
  return {
    get: () => state,
    update(change) {
      const patch = typeof change === "function" ? change(state) : change;
      state = { ...state, ...patch };
      emit();
    },
    print(text) {
      const trimmed = text.replace(/\n+$/, "");
      state = { ...state, transcript: [...state.transcript, { id: nextId++, text: trimmed }] };
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
