import picomatch from "picomatch";

/**
 * Repo-path globs as users write them, matched by picomatch: `*` and `?` stay inside one path segment, `**` spans
 * segments (`**\/config.json` matches `config.json` and `a/b/config.json`, never `myconfig.json`), and dotfiles match
 * only when the pattern names the dot (`.git*`), so `*` never sweeps up `.gitattributes`.
 */
export function createPathMatcher(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  return picomatch([...patterns], { dot: false, nobrace: false, noextglob: true });
}

/** True when `pattern` contains glob syntax (`*`, `?`, `[...]`, `{a,b}`); otherwise it names one path. */
export const hasGlob = (pattern: string): boolean => picomatch.scan(pattern).isGlob;
