export interface ExecOptions {
  /** Working directory (inside the workspace); defaults to the workspace. */
  cwd?: string;
  timeoutMs: number;
  /** Cancels the command: its whole process group is killed. */
  signal?: AbortSignal;
  /** Output chunks as they arrive, as the command wrote them (escape sequences included). */
  onOutput?: (text: string) => void;
}

export interface ExecResult {
  exitCode: number | null;
  /** Signal that ended the shell, if any. */
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** stdout and stderr interleaved, ANSI-stripped, cut to 25,000 chars (25% head, 75% tail). */
  output: string;
  truncated: boolean;
  /** The full output when it was truncated; readable with the read tool. */
  spillPath?: string;
  durationMs: number;
}

export interface FileStat {
  exists: boolean;
  isDirectory: boolean;
}

/** How a file's text was decoded: UTF-8, or Latin-1 byte for byte when it is not valid UTF-8. */
export type FileEncoding = "utf8" | "latin1";

export type BackendKind = "local-bwrap" | "local-seatbelt" | "local-unrestricted" | "remote";

/** Where commands and file operations run: bubblewrap on this machine, this machine unrestricted, or a remote server. */
export interface SandboxBackend {
  readonly kind: BackendKind;
  /** Default working directory, as seen by commands. */
  readonly workspace: string;
  exec(command: string, options: ExecOptions): Promise<ExecResult>;
  /**
   * Text of a regular file (UTF-8, or Latin-1 when it is not valid UTF-8); throws SandboxFileError for
   * problems the model can fix (missing, a directory or FIFO, too large, outside the workspace).
   */
  readFile(path: string): Promise<{ path: string; content: string; encoding?: FileEncoding }>;
  /** Atomic write in the given encoding (default UTF-8); creates parent directories. */
  writeFile(
    path: string,
    content: string,
    options?: { encoding?: FileEncoding },
  ): Promise<{ path: string; bytes: number }>;
  stat(path: string): Promise<FileStat>;
  /** Kills every running command (user interrupt); background jobs survive. Returns how many were killed. */
  killAll(): Promise<number>;
  /** Kills everything this backend started, background jobs included, and releases its resources. */
  dispose(): Promise<void>;
}
