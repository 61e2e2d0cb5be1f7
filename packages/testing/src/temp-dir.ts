import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir {
  path: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fresh directory under the system temp dir, removed on dispose (`await using dir = await createTempDir()`). */
export async function createTempDir(prefix = "ml-intern-test-"): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}
