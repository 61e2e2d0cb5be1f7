/** Wire shapes of the sandbox server protocol (compatible with the original ml-intern sandbox server). */
export interface SandboxReply {
  success: boolean;
  output: string;
  error: string | null;
  /** Extensions (ignored by older clients). */
  code?: string;
  exit_code?: number | null;
  timed_out?: boolean;
  cancelled?: boolean;
  truncated?: boolean;
  full_output_path?: string | null;
  is_directory?: boolean;
  path?: string;
  bytes?: number;
  /** read (raw): how the file was decoded; write: how to encode it. */
  encoding?: "utf8" | "latin1";
}

export const SANDBOX_AUTH_HEADER = "X-Sandbox-Authorization";
/** The environment variable holding the per-sandbox control-plane token. */
export const SANDBOX_TOKEN_ENV = "SANDBOX_API_TOKEN";
