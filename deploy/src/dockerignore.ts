/**
 * Decides whether a path is left out of the Docker build context by a .dockerignore, following Docker's rules:
 * patterns are globs relative to the context root, `**` crosses directories, a later match overrides an earlier
 * one, `!` re-includes, and excluding a directory excludes everything below it.
 */

interface Rule {
  glob: Bun.Glob;
  include: boolean;
}

export interface DockerIgnore {
  isExcluded(path: string): boolean;
}

export function parseDockerIgnore(text: string): DockerIgnore {
  const rules: Rule[] = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const include = line.startsWith("!");
      const pattern = (include ? line.slice(1) : line).replace(/^\/+/, "").replace(/\/+$/, "");
      return { glob: new Bun.Glob(pattern), include };
    });
  return {
    isExcluded(path: string): boolean {
      const parts = path.replace(/^\/+/, "").split("/");
      // The path itself and each of its parent directories.
      const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
      let excluded = false;
      for (const rule of rules) {
        if (candidates.some((candidate) => rule.glob.match(candidate))) excluded = !rule.include;
      }
      return excluded;
    },
  };
}
