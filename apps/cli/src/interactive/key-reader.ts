import { emitKeypressEvents } from "node:readline";

export interface Key {
  /** Key name from node:readline ("a", "return", "enter", "up", "backspace", ...); "" when unknown. */
  name: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  /** The printable text of the key ("" for control keys). */
  text: string;
}

export type KeyEvent = { kind: "key"; key: Key } | { kind: "paste"; text: string };

export interface KeyReader {
  /** Hands the terminal to another program ($EDITOR): cooked mode, no reading, bracketed paste off. */
  suspend(): void;
  resume(): void;
  close(): void;
}

interface RawKey {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  sequence?: string;
}

const PASTE_ON = "\x1b[?2004h";
const PASTE_OFF = "\x1b[?2004l";

/**
 * Reads the terminal in raw mode and reports keys and bracketed pastes: everything between the terminal's
 * paste markers arrives as one `paste` event, newlines included, so a pasted stack trace is one message.
 */
export function createKeyReader(
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
  onEvent: (event: KeyEvent) => void,
): KeyReader {
  let paste: string[] | undefined;
  const onKeypress = (ch: string | undefined, raw: RawKey | undefined) => {
    const name = raw?.name ?? "";
    if (name === "paste-start") {
      paste = [];
      return;
    }
    if (name === "paste-end") {
      const text = (paste ?? []).join("");
      paste = undefined;
      onEvent({ kind: "paste", text });
      return;
    }
    if (paste) {
      paste.push(raw?.sequence ?? ch ?? "");
      return;
    }
    const ctrl = raw?.ctrl ?? false;
    const meta = raw?.meta ?? false;
    const printable = typeof ch === "string" && ch.length > 0 && !ctrl && !/^[\x00-\x1f\x7f]/.test(ch);
    onEvent({
      kind: "key",
      key: { name, ctrl, meta, shift: raw?.shift ?? false, text: printable ? ch : "" },
    });
  };
  emitKeypressEvents(stdin);
  const start = () => {
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on("keypress", onKeypress);
    stdin.resume();
    stdout.write(PASTE_ON);
  };
  const stop = () => {
    stdin.off("keypress", onKeypress);
    stdout.write(PASTE_OFF);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
  };
  start();
  let closed = false;
  return {
    suspend: stop,
    resume: start,
    close() {
      if (closed) return;
      closed = true;
      stop();
    },
  };
}
