/**
 * Builds one workspace package for publishing: dist/ with ESM JavaScript for Node 20 and Bun (the package's
 * own src bundled per entry point, .txt prompts inlined, every dependency kept external) and .d.ts
 * declarations from tsc. Entry points come from the source `exports` map and `bin`.
 *
 *   bun scripts/build-package.ts packages/core [packages/tools-hf ...]
 *
 * Workspace dependencies must be built first (their dist/*.d.ts are what the declarations refer to);
 * `bun run release:dry` builds in dependency order.
 */
import {
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { dependencyFields, type Json, type Manifest, readManifest } from "./release/manifest.ts";

export interface EntryPoint {
  /** "." or "./adapters", or "bin:<name>" for executables. */
  key: string;
  source: string;
  /** Relative to the package dir, e.g. "./dist/index.js". */
  js: string;
  dts: string;
}

export interface BuildResult {
  name: string;
  dir: string;
  entries: EntryPoint[];
}

export interface BuildOptions {
  /** Emit declarations (default true). */
  types?: boolean;
  /** Report type errors as warnings instead of failing (local iteration only; releases must type-check). */
  allowTypeErrors?: boolean;
  log?: (line: string) => void;
}

function toDist(source: string): { js: string; dts: string } {
  const rel = source.replace(/^\.\//, "");
  if (!rel.startsWith("src/") || !rel.endsWith(".ts")) {
    throw new Error(`entry "${source}" must be a .ts file under src/`);
  }
  const stem = rel.slice("src/".length, -".ts".length);
  return { js: `./dist/${stem}.js`, dts: `./dist/${stem}.d.ts` };
}

/** The package's entry points: every string target of `exports`, plus `bin`. */
export function entryPoints(manifest: Manifest): EntryPoint[] {
  const entries: EntryPoint[] = [];
  const exportsField = manifest.exports;
  const map: Record<string, Json> =
    typeof exportsField === "string"
      ? { ".": exportsField }
      : exportsField && typeof exportsField === "object" && !Array.isArray(exportsField)
        ? exportsField
        : {};
  for (const [key, target] of Object.entries(map)) {
    if (typeof target !== "string") throw new Error(`exports["${key}"] must be a path to a .ts source file`);
    if (target.endsWith(".json")) continue;
    if (key.includes("*"))
      throw new Error(`exports["${key}"]: wildcard exports are not supported by the build`);
    entries.push({ key, source: target, ...toDist(target) });
  }
  const bin = manifest.bin;
  const bins: Record<string, Json> =
    typeof bin === "string"
      ? { [String(manifest.name)]: bin }
      : bin && typeof bin === "object" && !Array.isArray(bin)
        ? bin
        : {};
  for (const [name, target] of Object.entries(bins)) {
    entries.push({ key: `bin:${name}`, source: String(target), ...toDist(String(target)) });
  }
  return entries;
}

function externals(manifest: Manifest): string[] {
  return Object.keys(dependencyFields(manifest)).flatMap((name) => [name, `${name}/*`]);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Declarations keep the `.ts` specifiers of the source; published files must name the `.js`/`.d.ts` pair. */
export function rewriteDeclarationSpecifiers(text: string): string {
  return text.replace(/(["'])(\.\.?\/[^"'\n]+?)\.ts\1/g, "$1$2.js$1");
}

/** `paths` so declarations of a workspace dependency come from its built dist, not its source. */
function workspacePaths(dir: string, manifest: Manifest): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const [name, range] of Object.entries(dependencyFields(manifest))) {
    if (!range.startsWith("workspace:")) continue;
    const depDir = dirname(resolve(dir, "node_modules", name, "package.json"));
    const real = existsSync(depDir) ? realpathSync(depDir) : undefined;
    if (!real) throw new Error(`${name} is not linked in ${dir}/node_modules; run bun install`);
    const depManifest = readManifest(real);
    for (const entry of entryPoints(depManifest)) {
      if (entry.key.startsWith("bin:")) continue;
      const specifier = entry.key === "." ? name : `${name}/${entry.key.slice(2)}`;
      const dts = join(real, entry.dts);
      if (!existsSync(dts)) throw new Error(`${name} is not built (missing ${dts}); build it first`);
      const rel = relative(dir, dts);
      paths[specifier] = [rel.startsWith(".") ? rel : `./${rel}`];
    }
  }
  return paths;
}

async function emitDeclarations(
  dir: string,
  manifest: Manifest,
  log: (line: string) => void,
  allowTypeErrors: boolean,
): Promise<void> {
  const configPath = join(dir, "tsconfig.build.tmp.json");
  const config = {
    extends: "./tsconfig.json",
    compilerOptions: {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      outDir: "dist",
      rootDir: "src",
      paths: workspacePaths(dir, manifest),
      tsBuildInfoFile: null,
      incremental: false,
    },
    include: ["src"],
    exclude: ["src/**/*.test.ts"],
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  try {
    const root = resolve(import.meta.dir, "..");
    const proc = Bun.spawn([join(root, "node_modules", ".bin", "tsc"), "-p", configPath], {
      cwd: dir,
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ]);
    if ((await proc.exited) !== 0) {
      const report = `tsc failed for ${manifest.name}:\n${(out + err).trim().slice(0, 8_000)}`;
      if (!allowTypeErrors) throw new Error(report);
      log(`  WARNING (--allow-type-errors): ${report}`);
    }
  } finally {
    rmSync(configPath, { force: true });
  }
  for (const file of walk(join(dir, "dist"))) {
    if (!file.endsWith(".d.ts")) continue;
    const text = readFileSync(file, "utf8");
    const next = rewriteDeclarationSpecifiers(text);
    if (next !== text) writeFileSync(file, next);
  }
  log(`  declarations: ok`);
}

export async function buildPackage(dir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const manifest = readManifest(dir);
  const name = String(manifest.name);
  const entries = entryPoints(manifest);
  for (const entry of entries) {
    if (!existsSync(join(dir, entry.source))) {
      throw new Error(`${name}: entry ${entry.key} -> ${entry.source} does not exist`);
    }
  }
  log(`build ${name} (${entries.length} entr${entries.length === 1 ? "y" : "ies"})`);
  const dist = join(dir, "dist");
  rmSync(dist, { recursive: true, force: true });
  // One bundle per entry point: Bun's code splitting can emit colliding top-level names across entries.
  let files = 0;
  for (const entry of entries) {
    const result = await Bun.build({
      entrypoints: [join(dir, entry.source)],
      outdir: dist,
      root: join(dir, "src"),
      target: "node",
      format: "esm",
      external: externals(manifest),
      naming: { entry: "[dir]/[name].[ext]", asset: "assets/[name]-[hash].[ext]" },
      sourcemap: "none",
      minify: false,
      throw: false,
    });
    if (!result.success) {
      throw new Error(
        `bundling ${name} (${entry.source}) failed:\n${result.logs.map((l) => String(l)).join("\n")}`,
      );
    }
    files += result.outputs.length;
  }
  for (const entry of entries) {
    if (!existsSync(join(dir, entry.js))) throw new Error(`${name}: the build did not produce ${entry.js}`);
  }
  log(`  javascript: ${files} file(s)`);
  if (options.types ?? true) {
    await emitDeclarations(dir, manifest, log, options.allowTypeErrors ?? false);
    for (const entry of entries) {
      if (entry.key.startsWith("bin:")) continue;
      if (!existsSync(join(dir, entry.dts))) throw new Error(`${name}: tsc did not produce ${entry.dts}`);
    }
  }
  return { name, dir, entries };
}

if (import.meta.main) {
  const dirs = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const types = !process.argv.includes("--no-types");
  const allowTypeErrors = process.argv.includes("--allow-type-errors");
  if (dirs.length === 0) {
    process.stderr.write("usage: bun scripts/build-package.ts <package-dir>... [--no-types]\n");
    process.exit(2);
  }
  try {
    for (const dir of dirs) await buildPackage(resolve(dir), { types, allowTypeErrors });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
