/** What a host should make of a runtime failure (the CLI maps it to its exit codes). */
export type RuntimeErrorKind = "config" | "auth" | "usage";

/** A failure the user can act on (bad configuration, missing credentials); its message is one line for them. */
export class RuntimeError extends Error {
  constructor(
    readonly kind: RuntimeErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RuntimeError";
  }
}
