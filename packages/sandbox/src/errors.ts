/** Isolation was requested but cannot work on this machine. Fails closed: nothing runs unrestricted. */
export class SandboxUnavailableError extends Error {
  override readonly name = "SandboxUnavailableError";
  readonly reason: string;
  constructor(reason: string) {
    super(
      [
        `The bubblewrap sandbox is not available: ${reason}`,
        "ML Intern runs the agent's commands inside bubblewrap so they cannot modify files outside the workspace or read your home directory.",
        "Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`; Arch: `sudo pacman -S bubblewrap`),",
        "or, on Ubuntu 24.04 and later, allow unprivileged user namespaces for bwrap (see `kernel.apparmor_restrict_unprivileged_userns`).",
        'To run commands directly on this machine without isolation, opt out explicitly with `--dangerously-no-sandbox` or `sandbox: { isolation: "none" }` in the config.',
      ].join("\n"),
    );
    this.reason = reason;
  }
}

export type SandboxFileErrorCode =
  | "not_found"
  | "is_directory"
  | "outside_workspace"
  | "invalid_path"
  | "not_regular"
  | "too_large"
  | "encoding"
  | "read_only"
  | "io";

/** A file operation the model can fix (wrong path, directory, escape attempt). */
export class SandboxFileError extends Error {
  override readonly name = "SandboxFileError";
  readonly code: SandboxFileErrorCode;
  constructor(code: SandboxFileErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A remote sandbox call failed (network, auth, server error). */
export class SandboxRemoteError extends Error {
  override readonly name = "SandboxRemoteError";
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}
