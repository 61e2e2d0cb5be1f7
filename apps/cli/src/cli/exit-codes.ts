/** Process exit codes; documented in --help and the README. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  config: 3,
  auth: 4,
  maxIterations: 5,
  loopAborted: 6,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type CliErrorKind = "usage" | "config" | "auth" | "error";

/** A failure the user can act on; its message is printed as one line, without a stack. */
export class CliError extends Error {
  constructor(
    readonly kind: CliErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }

  get exitCode(): ExitCode {
    return exitCodeForKind(this.kind);
  }
}

export function exitCodeForKind(kind: CliErrorKind): ExitCode {
  switch (kind) {
    case "usage":
      return EXIT.usage;
    case "config":
      return EXIT.config;
    case "auth":
      return EXIT.auth;
    default:
      return EXIT.error;
  }
}
