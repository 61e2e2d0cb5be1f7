/**
 * `prepack` of every publishable package: refuses to pack a workspace manifest directly (it still has
 * source exports and workspace:/catalog: ranges). Packing and publishing go through the staged manifests
 * of `bun run release:dry` (scripts/release-dry.ts), which drop this script.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const manifest = JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as Record<
  string,
  unknown
>;
const text = JSON.stringify(manifest);
if (/"(workspace|catalog):/.test(text) || /"\.\/src\/[^"]+\.ts"/.test(text)) {
  process.stderr.write(
    `${String(manifest.name)}: this is the workspace manifest (source exports, workspace:/catalog: ranges). Pack with \`bun run release:dry\`, which builds dist/ and packs a publish manifest.\n`,
  );
  process.exit(1);
}
