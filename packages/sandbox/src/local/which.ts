import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * The absolute path of an executable, looked up like a shell does (first match on PATH), or undefined.
 * A name containing a slash is checked as given. Replaces `Bun.which` so the package also runs on Node.
 */
export function findExecutable(
  name: string,
  path: string | undefined = process.env.PATH,
): string | undefined {
  if (!name) return undefined;
  if (name.includes("/")) return isExecutableFile(name) ? name : undefined;
  for (const dir of (path ?? "").split(delimiter)) {
    // An empty PATH entry means the current directory; we only accept absolute directories.
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
