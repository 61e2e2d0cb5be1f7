import type { SandboxBackend } from "../backend.ts";

export interface DescriptionContext {
  where: string;
  workspace: string;
  maxTimeoutSeconds: number;
  isolation: string;
}

export function fillDescription(template: string, ctx: DescriptionContext): string {
  return template
    .replaceAll("{{WHERE}}", ctx.where)
    .replaceAll("{{WORKSPACE}}", ctx.workspace)
    .replaceAll("{{MAX_TIMEOUT}}", String(ctx.maxTimeoutSeconds))
    .replaceAll("{{ISOLATION}}", ctx.isolation)
    .trim();
}

export function isolationNote(kind: SandboxBackend["kind"] | "remote"): string {
  if (kind === "local-bwrap") {
    return "- Commands run in a bubblewrap sandbox: only the workspace and a private /tmp are writable, your home directory is private to the sandbox, and only allow-listed environment variables are set.";
  }
  if (kind === "local-seatbelt") {
    return "- Commands run in a macOS Seatbelt sandbox: only the workspace and a private /tmp are writable, your home directory is unreadable, and only allow-listed environment variables are set.";
  }
  if (kind === "local-unrestricted")
    return "- Commands run directly on the user's machine without a sandbox: be careful.";
  return "- Commands run in a private remote sandbox (a Hugging Face Space).";
}
