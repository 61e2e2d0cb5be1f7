/** Checks on a packed tarball: contents, manifest, and that every export and import inside it resolves. */
import type { Json, Manifest } from "./manifest.ts";

export interface TarballContents {
  /** Paths inside the package (the leading "package/" removed). */
  files: Set<string>;
  read(path: string): string;
  manifest: Manifest;
}

export interface CheckReport {
  name: string;
  problems: string[];
  exportsChecked: string[];
}

const FORBIDDEN_RUNTIME = ["@ml-intern/testing"];

function normalise(path: string): string {
  return path.replace(/^\.\//, "");
}

/** Every file path an `exports` target (with nested conditions) points at, with the condition trail. */
export function exportTargets(value: Json | undefined, trail = ""): { trail: string; path: string }[] {
  if (typeof value === "string") return [{ trail, path: value }];
  if (!value || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((v) => exportTargets(v, trail));
  return Object.entries(value).flatMap(([k, v]) => exportTargets(v, trail ? `${trail}.${k}` : k));
}

const RELATIVE_IMPORT = /(?:from\s*|import\s*\(\s*|import\s+)(["'])(\.\.?\/[^"'\n]+)\1/g;

function resolveRelative(fromFile: string, specifier: string): string {
  const parts = fromFile.split("/").slice(0, -1);
  for (const piece of specifier.split("/")) {
    if (piece === "." || piece === "") continue;
    if (piece === "..") parts.pop();
    else parts.push(piece);
  }
  return parts.join("/");
}

function declarationFor(jsPath: string): string {
  return jsPath.replace(/\.js$/, ".d.ts");
}

export function checkTarball(contents: TarballContents): CheckReport {
  const { manifest, files } = contents;
  const name = String(manifest.name);
  const problems: string[] = [];
  const exportsChecked: string[] = [];

  for (const field of ["name", "version", "license", "repository", "engines", "files", "exports"]) {
    if (manifest[field] === undefined) problems.push(`package.json has no "${field}"`);
  }
  const engines = manifest.engines as Record<string, Json> | undefined;
  if (engines && typeof engines === "object" && !String(engines.node ?? "").includes("20")) {
    problems.push(`engines.node should allow Node 20 (got ${JSON.stringify(engines.node)})`);
  }
  if (manifest.type !== "module") problems.push(`"type" must be "module"`);
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    const deps = manifest[field];
    if (!deps || typeof deps !== "object" || Array.isArray(deps)) continue;
    for (const [dep, range] of Object.entries(deps)) {
      const r = String(range);
      if (
        r.startsWith("workspace:") ||
        r.startsWith("catalog:") ||
        r.startsWith("file:") ||
        r.startsWith("link:")
      ) {
        problems.push(`${field}.${dep} still uses a local protocol: ${r}`);
      }
      if (FORBIDDEN_RUNTIME.includes(dep)) problems.push(`${field} includes the test-only package ${dep}`);
    }
  }
  if (manifest.devDependencies !== undefined) problems.push("devDependencies should not be published");

  if (!files.has("package.json")) problems.push("package.json missing from the tarball");
  if (!files.has("README.md")) problems.push("README.md missing from the tarball");
  for (const file of files) {
    if (/(^|\/)(test|tests|__tests__)\//.test(file)) problems.push(`test file packed: ${file}`);
    if (file.startsWith("src/")) problems.push(`source file packed: ${file}`);
    if (file.endsWith(".ts") && !file.endsWith(".d.ts")) problems.push(`TypeScript source packed: ${file}`);
    if (file.endsWith(".tsbuildinfo") || file.includes("tsconfig.build"))
      problems.push(`build artefact packed: ${file}`);
  }

  const exportsMap = manifest.exports;
  const entries: [string, Json][] =
    typeof exportsMap === "string"
      ? [[".", exportsMap]]
      : exportsMap && typeof exportsMap === "object" && !Array.isArray(exportsMap)
        ? Object.entries(exportsMap)
        : [];
  for (const [subpath, target] of entries) {
    const targets = exportTargets(target);
    const hasTypes = targets.some((t) => t.trail.split(".").includes("types") && t.path.endsWith(".d.ts"));
    if (!hasTypes && subpath !== "./package.json")
      problems.push(`exports["${subpath}"] has no "types" condition`);
    for (const t of targets) {
      const path = normalise(t.path);
      if (!files.has(path))
        problems.push(
          `exports["${subpath}"]${t.trail ? `.${t.trail}` : ""} -> ${t.path} is not in the tarball`,
        );
      else exportsChecked.push(`${subpath}:${t.trail || "default"}`);
      if (path.endsWith(".js") && !files.has(declarationFor(path))) {
        problems.push(`no declarations next to ${t.path}`);
      }
    }
  }
  for (const field of ["main", "types"]) {
    const value = manifest[field];
    if (typeof value === "string" && !files.has(normalise(value)))
      problems.push(`"${field}" -> ${value} is not in the tarball`);
  }
  const bin = manifest.bin;
  const bins =
    typeof bin === "string"
      ? { [name]: bin }
      : bin && typeof bin === "object" && !Array.isArray(bin)
        ? bin
        : {};
  for (const [cmd, target] of Object.entries(bins)) {
    const path = normalise(String(target));
    if (!files.has(path)) problems.push(`bin ${cmd} -> ${String(target)} is not in the tarball`);
    else if (!contents.read(path).startsWith("#!"))
      problems.push(`bin ${cmd} -> ${String(target)} has no shebang line`);
  }

  for (const file of files) {
    if (!file.endsWith(".js") && !file.endsWith(".d.ts")) continue;
    const text = contents.read(file);
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const spec = match[2]!;
      const target = resolveRelative(file, spec);
      const candidates = file.endsWith(".d.ts") ? [target, declarationFor(target)] : [target];
      if (!candidates.some((c) => files.has(c)))
        problems.push(`${file} imports ${spec}, which is not in the tarball`);
      if (/\.(ts|txt)$/.test(spec) && !spec.endsWith(".d.ts"))
        problems.push(`${file} imports ${spec} (source extension)`);
    }
    if (file.endsWith(".js") && /from\s*["']@ml-intern\/testing/.test(text)) {
      problems.push(`${file} imports @ml-intern/testing`);
    }
    if (file.endsWith(".d.ts") && /reference types="bun"/.test(text)) {
      problems.push(`${file} references Bun's types, which Node consumers do not have`);
    }
  }
  return { name, problems, exportsChecked };
}
