/**
 * `bun run release:dry`: builds every publishable package, stages each with its publish manifest
 * (exports -> dist, workspace:/catalog: resolved, dev fields dropped), packs it with `npm pack`, and checks
 * every tarball (contents, manifest, exports and imports resolve, declarations present). Publishes nothing.
 *
 *   bun scripts/release-dry.ts [--out <dir>] [--allow-type-errors] [--only <name>...]
 *
 * Tarballs are left in --out (default: a fresh temp dir) for inspection or installation.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildPackage } from "./build-package.ts";
import {
  listWorkspacePackages,
  type Manifest,
  publishManifest,
  publishOrder,
  readCatalog,
} from "./release/manifest.ts";
import { type CheckReport, checkTarball } from "./release/tarball-checks.ts";

export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
  report: CheckReport;
}

export interface ReleaseDryOptions {
  root?: string;
  outDir?: string;
  /** Package names to build and pack (default: every publishable package). */
  only?: readonly string[];
  log?: (line: string) => void;
  /** Type errors become warnings (local iteration only). */
  allowTypeErrors?: boolean;
}

export interface ReleaseDryResult {
  outDir: string;
  packages: PackedPackage[];
  ok: boolean;
}

async function run(cmd: string[], cwd: string): Promise<string> {
  const proc = Bun.spawn(cmd, {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, npm_config_loglevel: "error" },
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  if ((await proc.exited) !== 0) throw new Error(`${cmd.join(" ")} failed in ${cwd}:\n${(out + err).trim()}`);
  return out;
}

/** Copies what `files` names (plus README/LICENSE/CHANGELOG) next to the rewritten manifest. */
function stage(dir: string, manifest: Manifest, stageDir: string): void {
  mkdirSync(stageDir, { recursive: true });
  const listed = Array.isArray(manifest.files) ? manifest.files.map(String) : [];
  for (const entry of [...listed, "README.md", "LICENSE", "CHANGELOG.md"]) {
    const from = join(dir, entry);
    if (existsSync(from)) cpSync(from, join(stageDir, entry), { recursive: true });
  }
  writeFileSync(join(stageDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function readTarball(tarball: string, scratch: string) {
  const unpackDir = mkdtempSync(join(scratch, "unpack-"));
  await run(["tar", "-xzf", tarball, "-C", unpackDir], scratch);
  const listing = await run(["tar", "-tzf", tarball], scratch);
  const files = new Set(
    listing
      .split("\n")
      .filter((l) => l && !l.endsWith("/"))
      .map((l) => l.replace(/^package\//, "")),
  );
  const root = join(unpackDir, "package");
  return {
    files,
    read: (path: string) => readFileSync(join(root, path), "utf8"),
    manifest: JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest,
  };
}

export async function releaseDry(options: ReleaseDryOptions = {}): Promise<ReleaseDryResult> {
  const root = options.root ?? resolve(import.meta.dir, "..");
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const outDir = options.outDir ?? mkdtempSync(join(tmpdir(), "ml-intern-release-"));
  mkdirSync(outDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), "ml-intern-stage-"));
  const all = listWorkspacePackages(root);
  const ctx = {
    catalog: readCatalog(root),
    versions: Object.fromEntries(all.map((p) => [p.name, p.version])),
  };
  const order = publishOrder(all);
  const wanted = options.only?.length ? new Set(options.only) : undefined;
  const packed: PackedPackage[] = [];
  try {
    for (const pkg of order) {
      // Dependencies of a wanted package are built too (their declarations are needed), but not packed.
      await buildPackage(pkg.dir, { log, allowTypeErrors: options.allowTypeErrors });
      if (wanted && !wanted.has(pkg.name)) continue;
      const manifest = publishManifest(pkg.manifest, ctx);
      const stageDir = join(scratch, pkg.name.replace("/", "__"));
      stage(pkg.dir, manifest, stageDir);
      const out = await run(
        ["npm", "pack", "--json", "--ignore-scripts", "--pack-destination", outDir],
        stageDir,
      );
      const info = JSON.parse(out) as { filename: string }[];
      const tarball = join(outDir, info[0]!.filename);
      const report = checkTarball(await readTarball(tarball, scratch));
      packed.push({ name: pkg.name, version: pkg.version, tarball, report });
      log(
        report.problems.length
          ? `FAIL ${pkg.name}: ${report.problems.length} problem(s)\n${report.problems.map((p) => `  - ${p}`).join("\n")}`
          : `ok   ${pkg.name}@${pkg.version} (${report.exportsChecked.length} export targets) -> ${tarball}`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { outDir, packages: packed, ok: packed.every((p) => p.report.problems.length === 0) };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf("--out");
  const outDir = outIndex >= 0 ? resolve(args[outIndex + 1] ?? "") : undefined;
  const onlyIndex = args.indexOf("--only");
  const only = onlyIndex >= 0 ? args.slice(onlyIndex + 1).filter((a) => !a.startsWith("--")) : undefined;
  try {
    const result = await releaseDry({ outDir, only, allowTypeErrors: args.includes("--allow-type-errors") });
    process.stderr.write(
      `${result.ok ? "release:dry ok" : "release:dry FAILED"}: ${result.packages.length} package(s) packed into ${result.outDir} (nothing published)\n`,
    );
    process.exit(result.ok ? 0 : 1);
  } catch (error) {
    process.stderr.write(`release:dry FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
