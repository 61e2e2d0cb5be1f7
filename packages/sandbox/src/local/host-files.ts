import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { SandboxFileError } from "../errors.ts";
import { type PathRoots, resolveSandboxPath } from "./workspace-paths.ts";

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

export interface FileStat {
  exists: boolean;
  isDirectory: boolean;
}

/** Reads a confined file as UTF-8 text; the final component is opened without following symlinks. */
export async function readConfinedFile(
  roots: PathRoots,
  input: string,
): Promise<{ path: string; content: string }> {
  const path = await resolveSandboxPath(roots, input, "read");
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (errno(error) === "ENOENT") throw new SandboxFileError("not_found", `File not found: ${input}`);
    if (errno(error) === "ELOOP")
      throw new SandboxFileError("outside_workspace", `Refusing to follow symlink ${input}.`);
    throw new SandboxFileError("io", `Cannot read ${input}: ${(error as Error).message}`);
  }
  try {
    if ((await handle.stat()).isDirectory()) {
      throw new SandboxFileError("is_directory", `${input} is a directory. Use bash with 'ls' instead.`);
    }
    return { path, content: await handle.readFile({ encoding: "utf8" }) };
  } finally {
    await handle.close();
  }
}

export async function statConfined(roots: PathRoots, input: string): Promise<FileStat> {
  const path = await resolveSandboxPath(roots, input, "read");
  try {
    const s = await stat(path);
    return { exists: true, isDirectory: s.isDirectory() };
  } catch (error) {
    if (errno(error) === "ENOENT" || errno(error) === "ENOTDIR") return { exists: false, isDirectory: false };
    throw error;
  }
}

/** Atomic write (temp file in the same directory, fsync, rename); creates parent directories. */
export async function writeConfinedFile(
  roots: PathRoots,
  input: string,
  content: string,
): Promise<{ path: string; bytes: number }> {
  const path = await resolveSandboxPath(roots, input, "write");
  let mode = 0o644;
  try {
    const existing = await stat(path);
    if (existing.isDirectory()) throw new SandboxFileError("is_directory", `${input} is a directory.`);
    mode = existing.mode & 0o7777;
  } catch (error) {
    if (error instanceof SandboxFileError) throw error;
  }
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // A command may have swapped a directory for a symlink meanwhile: check the parent again.
  await resolveSandboxPath(roots, dir, "write");
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const data = Buffer.from(content, "utf8");
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return { path, bytes: data.length };
}
