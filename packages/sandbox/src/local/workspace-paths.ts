import { lstat, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { SandboxFileError } from "../errors.ts";

export interface PathRoots {
  /** Real (symlink-free) workspace path; the only writable root. */
  workspace: string;
  /** Extra real paths that may be read (e.g. the spill-file directory). */
  readOnly: readonly string[];
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
