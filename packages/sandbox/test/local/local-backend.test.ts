import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { createLocalBackend } from "../../src/local/local-backend.ts";
import type { SpawnerKind } from "../../src/local/process-spawner.ts";
import { describeConformance } from "../lib/conformance.ts";

// Both ways of starting commands: Bun.spawn (the default under Bun) and node:child_process (the Node path).
for (const spawner of ["bun", "node"] as const satisfies readonly SpawnerKind[]) {
  for (const isolation of ["bwrap", "none"] as const) {
    const name = isolation === "bwrap" ? "local bubblewrap" : "local unrestricted";
    describeConformance(`${name} (${spawner} spawner)`, async () => {
      const dir = await createTempDir("sandbox-conf-");
      const home = join(dir.path, "home");
      await mkdir(home);
      const backend = await createLocalBackend({
        workspace: join(dir.path, "ws"),
        isolation,
        spawner,
        hostEnv: { PATH: process.env.PATH, HOME: home },
        homeDir: home,
        warn: () => {},
      });
      return {
        backend,
        hostWorkspace: backend.workspace,
        async end() {
          await backend.dispose();
          await dir[Symbol.asyncDispose]();
        },
      };
    });
  }
}
