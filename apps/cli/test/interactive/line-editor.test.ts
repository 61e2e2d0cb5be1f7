import { expect, test } from "bun:test";
import * as ed from "../../src/interactive/line-editor.ts";

const type = (s: ed.EditorState, text: string) => ed.insert(s, text);

test("a paste keeps its lines (CRLF and CR become LF); Up/Down move between lines, then through history", () => {
  let s = type(ed.createEditorState(["earlier message"]), "one\r\ntwo\rthree");
  expect(s.text).toBe("one\ntwo\nthree");
  s = ed.moveUp(s);
  expect(ed.cursorPosition(s)).toMatchObject({ line: 1, column: 3 });
  s = ed.moveUp(ed.moveUp(s));
  expect(s.text).toBe("earlier message"); // from the first line, Up walks the history
  s = ed.moveDown(s);
  expect(s.text).toBe("one\ntwo\nthree"); // and Down comes back to the draft
});

test("submit empties the editor and records the text once", () => {
  const first = ed.submit(type(ed.createEditorState(), "train it"));
  expect(first.text).toBe("train it");
  expect(first.state.text).toBe("");
  const again = ed.submit(type(first.state, "train it"));
  expect(again.state.history).toEqual(["train it"]);
});

test("editing keys: backspace over a surrogate pair, Ctrl-W, Ctrl-U, Home/End on the current line", () => {
  let s = type(ed.createEditorState(), "fit 🤗");
  s = ed.backspace(s);
  expect(s.text).toBe("fit ");
  s = ed.deleteWord(type(s, "model now"));
  expect(s.text).toBe("fit model ");
  s = ed.moveHome(type(s, "\nsecond line"));
  expect(ed.cursorPosition(s)).toMatchObject({ line: 1, column: 0 });
  s = ed.moveEnd(s);
  s = ed.deleteToLineStart(s);
  expect(s.text).toBe("fit model \n");
});
