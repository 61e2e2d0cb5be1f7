const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface Spinner {
  start(label?: string): void;
  stop(): void;
  readonly active: boolean;
}

/** A one-line spinner drawn with carriage returns; a no-op when the stream is not a TTY. */
export function createSpinner(write: (s: string) => void, enabled: boolean, intervalMs = 80): Spinner {
  let timer: ReturnType<typeof setInterval> | undefined;
  let frame = 0;
  let text = "";
  return {
    start(label = "Thinking…") {
      text = label;
      if (!enabled || timer) return;
      frame = 0;
      const draw = () => write(`\r${FRAMES[frame++ % FRAMES.length]} ${text}`);
      draw();
      timer = setInterval(draw, intervalMs);
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      write("\r\x1b[K");
    },
    get active() {
      return timer !== undefined;
    },
  };
}
