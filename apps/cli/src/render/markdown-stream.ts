/**
 * Buffers streamed markdown and releases complete blocks: text up to a blank line, never inside an
 * unclosed ``` fence, so each block renders correctly on its own.
 */
export function createMarkdownBuffer() {
  let buffer = "";

  const splitPoint = (): number => {
    let inFence = false;
    let cut = -1;
    let offset = 0;
    const lines = buffer.split("\n");
    // The last element is an unfinished line; never cut inside it.
    for (let i = 0; i < lines.length - 1; i++) {
      const line = lines[i]!;
      offset += line.length + 1;
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        if (!inFence) cut = offset;
        continue;
      }
      if (!inFence && line.trim() === "") cut = offset;
    }
    return cut;
  };

  return {
    /** Adds a chunk; returns the blocks that are now complete ("" when none). */
    push(chunk: string): string {
      buffer += chunk;
      const cut = splitPoint();
      if (cut <= 0) return "";
      const ready = buffer.slice(0, cut);
      buffer = buffer.slice(cut);
      return ready;
    },
    /** What is buffered but not yet released (shown live while it streams). */
    pending(): string {
      return buffer;
    },
    /** Everything left (end of the stream). */
    flush(): string {
      const rest = buffer;
      buffer = "";
      return rest;
    },
  };
}
