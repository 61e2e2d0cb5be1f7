import { lstat, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { SandboxFileError } from "../errors.ts";

export interface PathRoots {
  /** Real (symlink-free) workspace path; the only writable root. */
  workspace: string;
  /** Extra real paths that may be read (e.g. the spill-file directory). */
  readOnly: readonly string[];
  /** Paths inside the workspace the tools never write (see protectedWorkspacePaths). */
  protectedPaths?: readonly string[];
}

/** Relative to the workspace: `.env*` at the top, git hooks, and ML Intern's own per-project files. */
const PROTECTED = [
  /^\.env(\..*)?$/,
  /^\.envrc$/,
  /^\.git\/hooks(\/|$)/,
  /^\.ml-intern(\/|$)/,
  /^ml-intern\.json$/,
];

/** Whether a real path is one of the workspace files the agent may not change. */
export function isProtectedPath(roots: PathRoots, path: string): boolean {
  const rel = relative(roots.workspace, path);
  if (rel.startsWith("..") || isAbsolute(rel)) return false;
  if (PROTECTED.some((pattern) => pattern.test(rel))) return true;
  return (roots.protectedPaths ?? []).some((p) => isInside(p, path));
}

/** The protected paths that exist now (bound read-only into the sandbox at session start). */
export async function protectedWorkspacePaths(workspace: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  const names = await readdir(workspace).catch(() => [] as string[]);
  const found = names
    .filter((n) => PROTECTED.some((pattern) => pattern.test(n)))
    .map((n) => join(workspace, n));
  const hooks = join(workspace, ".git", "hooks");
  try {
    if ((await lstat(hooks)).isDirectory()) found.push(hooks);
  } catch {}
  const out: string[] = [];
  for (const path of found) {
    // Only real files and directories: a symlink would be bound by its target.
    try {
      if (!(await lstat(path)).isSymbolicLink()) out.push(path);
    } catch {}
  }
  return out;
}

export const isInside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
};

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/** realpath of the deepest existing ancestor, joined with the parts that do not exist yet. */
async function realpathLenient(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length ? join(real, ...missing.reverse()) : real;
    } catch (error) {
      if (errno(error) !== "ENOENT" && errno(error) !== "ENOTDIR") throw error;
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(current.slice(parent.length).replace(/^\/+/, ""));
      current = parent;
    }
  }
}

/**
 * Resolves a user-supplied path against the workspace and proves the real target stays inside an allowed
 * root: `..`, absolute paths elsewhere and symlinks (including ones a command created) are all refused.
 */
export async function resolveSandboxPath(
  roots: PathRoots,
  input: string,
  access: "read" | "write",
): Promise<string> {
  if (!input || input.includes("\0")) throw new SandboxFileError("invalid_path", "No valid path provided.");
  const lexical = resolve(roots.workspace, input);
  const allowed = access === "write" ? [roots.workspace] : [roots.workspace, ...roots.readOnly];
  const deny = () =>
    new SandboxFileError(
      "outside_workspace",
      `Path ${input} is outside the workspace ${roots.workspace}. File tools only ${access === "write" ? "write" : "read"} inside the workspace${access === "read" && roots.readOnly.length ? ` (and ${roots.readOnly.join(", ")})` : ""}.`,
    );
  if (!allowed.some((root) => isInside(root, lexical))) throw deny();
  const real = await realpathLenient(lexical);
  if (!allowed.some((root) => isInside(root, real))) {
    let viaLink = false;
    try {
      viaLink = (await lstat(lexical)).isSymbolicLink();
    } catch {}
    if (viaLink || real !== lexical) {
      throw new SandboxFileError(
        "outside_workspace",
        `Path ${input} resolves through a symlink to ${real}, outside the workspace; refusing to follow it.`,
      );
    }
    throw deny();
  }
  return real;
}
