/** Reading workspace manifests and turning one into the manifest that gets published. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Manifest = { [key: string]: Json };

export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
  manifest: Manifest;
  private: boolean;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

function asRecord(value: Json | undefined): Record<string, Json> {
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

export function dependencyFields(manifest: Manifest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [name, range] of Object.entries(asRecord(manifest[field]))) out[name] = String(range);
  }
  return out;
}

/** Every workspace package under packages/ and apps/ (the publishable candidates). */
export function listWorkspacePackages(root: string): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ["packages", "apps"]) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base).sort()) {
      const dir = join(base, entry);
      if (!existsSync(join(dir, "package.json"))) continue;
      const manifest = readManifest(dir);
      out.push({
        name: String(manifest.name),
        version: String(manifest.version),
        dir,
        manifest,
        private: manifest.private === true,
      });
    }
  }
  return out;
}

/** Publishable packages, dependencies before dependents. */
export function publishOrder(packages: readonly WorkspacePackage[]): WorkspacePackage[] {
  const publishable = packages.filter((p) => !p.private);
  const byName = new Map(publishable.map((p) => [p.name, p]));
  const done = new Set<string>();
  const order: WorkspacePackage[] = [];
  const visit = (pkg: WorkspacePackage, trail: string[]) => {
    if (done.has(pkg.name)) return;
    if (trail.includes(pkg.name)) throw new Error(`Dependency cycle: ${[...trail, pkg.name].join(" -> ")}`);
    for (const dep of Object.keys(dependencyFields(pkg.manifest))) {
      const target = byName.get(dep);
      if (target) visit(target, [...trail, pkg.name]);
    }
    done.add(pkg.name);
    order.push(pkg);
  };
  for (const pkg of publishable) visit(pkg, []);
  return order;
}

export interface ResolveContext {
  /** The root workspaces catalog (name -> range). */
  catalog: Record<string, string>;
  /** Versions of the workspace packages (name -> version). */
  versions: Record<string, string>;
}

export function readCatalog(root: string): Record<string, string> {
  const workspaces = asRecord(readManifest(root).workspaces);
  const catalog = asRecord(workspaces.catalog);
  return Object.fromEntries(Object.entries(catalog).map(([k, v]) => [k, String(v)]));
}

/** Replaces `workspace:` and `catalog:` protocols with the ranges a registry understands. */
export function resolveRange(name: string, range: string, ctx: ResolveContext): string {
  if (range.startsWith("workspace:")) {
    const version = ctx.versions[name];
    if (!version) throw new Error(`${name} uses the workspace protocol but is not a workspace package`);
    const spec = range.slice("workspace:".length);
    if (spec === "*" || spec === "") return version;
    if (spec === "^" || spec === "~") return `${spec}${version}`;
    return spec;
  }
  if (range === "catalog:" || range === "catalog:default") {
    const resolved = ctx.catalog[name];
    if (!resolved) throw new Error(`${name} uses catalog: but the root catalog has no entry for it`);
    return resolved;
  }
  if (range.startsWith("catalog:")) throw new Error(`${name}: named catalogs (${range}) are not supported`);
  return range;
}

const PUBLISH_OVERRIDES = ["exports", "main", "types", "module", "bin"] as const;
const DROPPED = ["devDependencies", "scripts", "workspaces", "publishConfig"] as const;

/**
 * The manifest as published: `publishConfig` overrides (exports, main, types, bin) applied, dependency
 * protocols resolved, dev-only fields dropped (`access`/`registry` stay in publishConfig).
 */
export function publishManifest(manifest: Manifest, ctx: ResolveContext): Manifest {
  const publishConfig = asRecord(manifest.publishConfig);
  const out: Manifest = { ...manifest };
  for (const key of PUBLISH_OVERRIDES) {
    if (publishConfig[key] !== undefined) out[key] = publishConfig[key];
  }
  for (const key of DROPPED) delete out[key];
  const kept: Record<string, Json> = {};
  for (const key of ["access", "registry", "tag", "provenance"]) {
    if (publishConfig[key] !== undefined) kept[key] = publishConfig[key];
  }
  if (Object.keys(kept).length) out.publishConfig = kept;
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    const deps = asRecord(manifest[field]);
    if (!Object.keys(deps).length) continue;
    out[field] = Object.fromEntries(
      Object.entries(deps).map(([name, range]) => [name, resolveRange(name, String(range), ctx)]),
    );
  }
  return out;
}
