import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chown, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { FileEncoding } from "../backend.ts";
import { MAX_FILE_BYTES } from "../core/limits.ts";
import { SandboxFileError } from "../errors.ts";
import { isProtectedPath, type PathRoots, resolveSandboxPath } from "./workspace-paths.ts";

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

export interface FileStat {
  exists: boolean;
  isDirectory: boolean;
}

const fmtBytes = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KB`
      : `${n} bytes`;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 text, or Latin-1 (one char per byte, so writing it back keeps every byte) when it is not UTF-8. */
export function decodeText(data: Uint8Array): { content: string; encoding: FileEncoding } {
  try {
    return { content: utf8.decode(data), encoding: "utf8" };
  } catch {
    return {
      content: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1"),
      encoding: "latin1",
    };
  }
}

/** Bytes of text in the file's encoding; Latin-1 refuses characters it cannot hold instead of mangling them. */
export function encodeText(content: string, encoding: FileEncoding, input: string): Buffer {
  if (encoding === "latin1") {
    const bad = /[^\u0000-\u00ff]/.exec(content);
    if (bad) {
      throw new SandboxFileError(
        "encoding",
        `${input} is not UTF-8 (it was read as Latin-1, byte for byte), and the new text contains ${JSON.stringify(bad[0])}, which Latin-1 cannot hold. Use only characters U+0000-U+00FF, or convert the file with bash (iconv) first.`,
      );
    }
    return Buffer.from(content, "latin1");
  }
  return Buffer.from(content, "utf8");
}

/**
 * Reads a confined file; the final component is opened without following symlinks and without blocking
 * (a FIFO or device is refused after fstat instead of hanging), and files over `maxBytes` are refused.
 */
export async function readConfinedFile(
  roots: PathRoots,
  input: string,
  maxBytes = MAX_FILE_BYTES,
): Promise<{ path: string; content: string; encoding: FileEncoding }> {
  const path = await resolveSandboxPath(roots, input, "read");
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (errno(error) === "ENOENT") throw new SandboxFileError("not_found", `File not found: ${input}`);
    if (errno(error) === "ELOOP")
      throw new SandboxFileError("outside_workspace", `Refusing to follow symlink ${input}.`);
    throw new SandboxFileError("io", `Cannot read ${input}: ${(error as Error).message}`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) {
      throw new SandboxFileError("is_directory", `${input} is a directory. Use bash with 'ls' instead.`);
    }
    if (!info.isFile()) {
      const kind = info.isFIFO()
        ? "a FIFO (named pipe)"
        : info.isSocket()
          ? "a socket"
          : info.isCharacterDevice() || info.isBlockDevice()
            ? "a device"
            : "not a regular file";
      throw new SandboxFileError(
        "not_regular",
        `${input} is ${kind}; the file tools only read regular files. Use bash if you really need it.`,
      );
    }
    if (info.size > maxBytes) {
      throw new SandboxFileError(
        "too_large",
        `${input} is ${fmtBytes(info.size)}, more than the ${fmtBytes(maxBytes)} the file tools read. Look at parts of it with bash instead (head, tail, sed -n 'A,Bp', grep).`,
      );
    }
    // Read at most maxBytes + 1, even if the file grew since fstat.
    const buffer = Buffer.allocUnsafe(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > maxBytes) {
          throw new SandboxFileError(
            "too_large",
            `${input} grew past ${fmtBytes(maxBytes)} while being read.`,
          );
        }
        break;
      }
    }
    return { path, ...decodeText(buffer.subarray(0, length)) };
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
export interface WriteOptions {
  encoding?: FileEncoding;
  /** Owner of new files and directories (the sandbox's uid when the host runs as root); existing files keep theirs. */
  owner?: { uid: number; gid: number };
}

export async function writeConfinedFile(
  roots: PathRoots,
  input: string,
  content: string,
  options: WriteOptions = {},
): Promise<{ path: string; bytes: number }> {
  const path = await resolveSandboxPath(roots, input, "write");
  if (isProtectedPath(roots, path)) {
    throw new SandboxFileError(
      "read_only",
      `${input} is read-only for the agent (environment files, git hooks and ML Intern's own config cannot be changed from the sandbox).`,
    );
  }
  let mode = 0o644;
  let owner = options.owner;
  try {
    const existing = await stat(path);
    if (existing.isDirectory()) throw new SandboxFileError("is_directory", `${input} is a directory.`);
    if (!existing.isFile()) throw new SandboxFileError("not_regular", `${input} is not a regular file.`);
    mode = existing.mode & 0o7777;
    if (options.owner) owner = { uid: existing.uid, gid: existing.gid };
  } catch (error) {
    if (error instanceof SandboxFileError) throw error;
  }
  const data = encodeText(content, options.encoding ?? "utf8", input);
  const dir = dirname(path);
  const created = await mkdir(dir, { recursive: true });
  if (created && options.owner) await chownCreated(created, dir, options.owner);
  // A command may have swapped a directory for a symlink meanwhile: check the parent again.
  await resolveSandboxPath(roots, dir, "write");
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  try {
    await handle.writeFile(data);
    if (owner) await handle.chown(owner.uid, owner.gid);
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

/** Hands directories that mkdir -p just created (from `first` down to `last`) to the sandbox's uid. */
async function chownCreated(first: string, last: string, owner: { uid: number; gid: number }) {
  let dir = last;
  for (;;) {
    await chown(dir, owner.uid, owner.gid).catch(() => undefined);
    if (dir === first || dirname(dir) === dir) return;
    dir = dirname(dir);
  }
}
