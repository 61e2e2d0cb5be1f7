// CSI, OSC (terminated by BEL or ST) and two-character escape sequences.
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
// A sequence that has started but not finished at the end of a chunk.
const PARTIAL_TAIL = /\u001b(?:\[[0-?]*[ -/]*|\][^\u0007\u001b]*)?$/;

/** Removes ANSI escape sequences (colours, cursor moves, terminal titles). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, "");
}

/** A stateful stripper for streamed output: an escape sequence split across chunks is still removed. */
export interface AnsiStripper {
  push(chunk: string): string;
  flush(): string;
}

export function createAnsiStripper(): AnsiStripper {
  let carry = "";
  return {
    push(chunk) {
      const text = carry + chunk;
      const partial = PARTIAL_TAIL.exec(text);
      if (partial && text.length - partial.index < 256) {
        carry = text.slice(partial.index);
        return stripAnsi(text.slice(0, partial.index));
      }
      carry = "";
      return stripAnsi(text);
    },
    flush() {
      const rest = carry;
      carry = "";
      return stripAnsi(rest);
    },
  };
}
