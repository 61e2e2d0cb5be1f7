import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";

/** How commands are started: `Bun.spawn` (faster under Bun) or `node:child_process` (any runtime). */
export type SpawnerKind = "bun" | "node";

export type OutputStream = "stdout" | "stderr";

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnRequest {
  argv: readonly string[];
  /** The complete environment; the host's (process.env) when omitted. */
  env?: Record<string, string>;
  cwd?: string;
  /** Own session and process group (pgid = pid), so the whole group can be signalled. */
  detached?: boolean;
  /** stdout and stderr decoded as UTF-8, in arrival order. */
  onText: (text: string, stream: OutputStream) => void;
}

/** A started process with stdin closed and stdout/stderr piped into `onText`. */
export interface SpawnedProcess {
  readonly pid: number;
  /** Resolves when the process exits; this can come before its pipes are drained. */
  readonly exited: Promise<ExitStatus>;
  /** Resolves when both pipes have reached their end (a background job may hold them open). */
  readonly drained: Promise<void>;
  /** Stops reading and closes the pipes. */
  release(): void;
}

export interface ProcessSpawner {
  readonly kind: SpawnerKind;
  /** Throws when the program cannot be started (missing, not executable). */
  spawn(request: SpawnRequest): Promise<SpawnedProcess>;
}

/** `Bun.spawn` under Bun, `node:child_process` elsewhere; `kind` forces one (the Bun one needs Bun). */
export function createProcessSpawner(kind?: SpawnerKind): ProcessSpawner {
  const bunAvailable = typeof Bun !== "undefined";
  const chosen = kind ?? (bunAvailable ? "bun" : "node");
  if (chosen === "bun") {
    if (!bunAvailable) throw new Error('The "bun" process spawner needs the Bun runtime.');
    return bunSpawner;
  }
  return nodeSpawner;
}

const nodeSpawner: ProcessSpawner = {
  kind: "node",
  async spawn(request) {
    const [program, ...args] = request.argv;
    if (!program) throw new Error("spawn needs a program to run.");
    const child = spawn(program, args, {
      cwd: request.cwd,
      env: request.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: request.detached ?? false,
      windowsHide: true,
    });
    // The child's own 'error' events (failed spawn, failed kill) must never become uncaught exceptions.
    const failed = new Promise<Error>((resolve) => child.once("error", resolve));
    if (child.pid === undefined) throw await failed;
    const drained = Promise.all([
      readNodePipe(child.stdout, (text) => request.onText(text, "stdout")),
      readNodePipe(child.stderr, (text) => request.onText(text, "stderr")),
    ]).then(() => undefined);
    return {
      pid: child.pid,
      exited: nodeExit(child),
      drained,
      release() {
        child.stdout?.destroy();
        child.stderr?.destroy();
      },
    };
  },
};

function nodeExit(child: ChildProcess): Promise<ExitStatus> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

function readNodePipe(stream: Readable | null, push: (text: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  // A TextDecoder per pipe: a multi-byte character may straddle two chunks.
  const decoder = new TextDecoder();
  stream.on("data", (chunk: Uint8Array) => push(decoder.decode(chunk, { stream: true })));
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      push(decoder.decode());
      resolve();
    };
    stream.once("end", finish);
    stream.once("close", finish);
    stream.once("error", finish);
  });
}

const bunSpawner: ProcessSpawner = {
  kind: "bun",
  async spawn(request) {
    if (!request.argv[0]) throw new Error("spawn needs a program to run.");
    const child = Bun.spawn([...request.argv], {
      cwd: request.cwd,
      env: request.env,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      detached: request.detached ?? false,
    });
    const stdout: ChunkReader = child.stdout.getReader();
    const stderr: ChunkReader = child.stderr.getReader();
    const drained = Promise.all([
      readBunPipe(stdout, (text) => request.onText(text, "stdout")),
      readBunPipe(stderr, (text) => request.onText(text, "stderr")),
    ]).then(() => undefined);
    const exited = child.exited.then((code): ExitStatus => {
      const signal = child.signalCode;
      // A signal without a name (a real-time signal) is reported as a number; the shell's status says enough.
      if (signal === null) return { code, signal: null };
      return { code: null, signal: typeof signal === "number" ? null : signal };
    });
    return {
      pid: child.pid,
      exited,
      drained,
      release() {
        for (const reader of [stdout, stderr]) reader.cancel().catch(() => undefined);
      },
    };
  },
};

/** The part of a web stream reader used here (Bun's and the DOM's reader types differ). */
interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}

async function readBunPipe(reader: ChunkReader, push: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value) push(decoder.decode(value, { stream: true }));
    }
  } catch {
    // A cancelled or broken pipe ends the output.
  }
  push(decoder.decode());
}
