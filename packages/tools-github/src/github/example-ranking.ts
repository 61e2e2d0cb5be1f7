import Fuse from "fuse.js";

/** Directory and file-name words that mark example code, most telling first. */
export const EXAMPLE_PATTERNS: readonly string[] = [
  "scripts",
  "examples",
  "example",
  "notebooks",
  "notebook",
  "tutorials",
  "tutorial",
  "quickstart",
  "walkthroughs",
  "walkthrough",
  "cookbook",
  "cookbooks",
  "recipes",
  "recipe",
  "demos",
  "demo",
  "samples",
  "sample",
  "guides",
  "guide",
  "getting-started",
  "getting_started",
  "playground",
  "howto",
  "how-to",
  "use-cases",
  "usecases",
  "use_cases",
  "sandbox",
  "showcase",
];

export interface TreeFile {
  path: string;
  size: number;
  sha: string;
}

export interface RankedFile extends TreeFile {
  /** 0-100, higher is a better match for the keyword (100 without a keyword). */
  score: number;
}

/** Priority index (lower is better) of the deepest directory naming an example pattern, or undefined. */
function examplePriority(path: string): number | undefined {
  const segments = path.toLowerCase().split("/");
  let best: number | undefined;
  segments.forEach((segment, i) => {
    const isFile = i === segments.length - 1;
    const words = new Set([segment, ...segment.split(/[-_.\s]+/)]);
    for (const [index, pattern] of EXAMPLE_PATTERNS.entries()) {
      if (!words.has(pattern)) continue;
      // Directories outrank a pattern word appearing only in the file name.
      const priority = isFile ? index + EXAMPLE_PATTERNS.length : index;
      best = priority;
      break;
    }
  });
  return best;
}

/** Stage 1: files whose path marks them as examples (a directory or file name matching a pattern). */
export function selectExampleFiles(files: readonly TreeFile[]): TreeFile[] {
  return files.filter((f) => examplePriority(f.path) !== undefined);
}

function depth(path: string): number {
  return path.split("/").length;
}

function isTopLevelExamples(path: string): boolean {
  return /^(examples?)\//i.test(path);
}

/** Ordering without a keyword: top-level examples/ first, then pattern priority, then depth, then path. */
export function compareExampleFiles(a: TreeFile, b: TreeFile): number {
  const top = Number(isTopLevelExamples(b.path)) - Number(isTopLevelExamples(a.path));
  if (top !== 0) return top;
  const pa = examplePriority(a.path) ?? Number.MAX_SAFE_INTEGER;
  const pb = examplePriority(b.path) ?? Number.MAX_SAFE_INTEGER;
  if (pa !== pb) return pa - pb;
  const d = depth(a.path) - depth(b.path);
  if (d !== 0) return d;
  return a.path.localeCompare(b.path);
}

interface Searchable extends TreeFile {
  name: string;
  stem: string;
  /** The path with separators as spaces, so "grpo trainer" meets "grpo_trainer". */
  words: string;
}

/** Among equal fuzzy scores: the file named exactly like the keyword first, then one starting with it, then one containing it as a word. */
function nameCloseness(stem: string, query: string): number {
  const q = query.replace(/[\s_-]+/g, "_");
  const s = stem.replace(/[\s_-]+/g, "_");
  if (s === q) return 0;
  if (s.startsWith(q)) return 1;
  if (s.split("_").includes(q)) return 2;
  return 3;
}

/**
 * Stage 2: ranks example files by how well their name and path fit the keyword (fuzzy, via fuse.js).
 * Scores are 0-100 (100 = exact); files under `minScore` are dropped. Ties keep the example ordering.
 */
export function rankExampleFiles(
  files: readonly TreeFile[],
  keyword: string | undefined,
  minScore: number,
): RankedFile[] {
  const examples = selectExampleFiles(files);
  const query = keyword?.trim().toLowerCase();
  if (!query) return [...examples].sort(compareExampleFiles).map((f) => ({ ...f, score: 100 }));
  const searchable: Searchable[] = examples.map((f) => {
    const name = f.path.split("/").pop() ?? f.path;
    return {
      ...f,
      name: name.toLowerCase(),
      stem: name.replace(/\.[^.]+$/, "").toLowerCase(),
      words: f.path.toLowerCase().replace(/[/_\-.]+/g, " "),
    };
  });
  const fuse = new Fuse(searchable, {
    keys: [
      { name: "stem", weight: 3 },
      { name: "name", weight: 2 },
      { name: "words", weight: 1 },
    ],
    includeScore: true,
    ignoreLocation: true,
    ignoreFieldNorm: true,
    threshold: Math.min(1, Math.max(0, 1 - minScore / 100)),
    shouldSort: false,
  });
  return fuse
    .search(query)
    .map((r) => ({ file: r.item, score: Math.round((1 - (r.score ?? 1)) * 100) }))
    .filter((r) => r.score >= minScore)
    .sort(
      (a, b) =>
        b.score - a.score ||
        nameCloseness(a.file.stem, query) - nameCloseness(b.file.stem, query) ||
        compareExampleFiles(a.file, b.file),
    )
    .map(({ file, score }) => ({ path: file.path, size: file.size, sha: file.sha, score }));
}
