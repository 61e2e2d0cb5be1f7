import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { createLocalBackend } from "../../src/local/local-backend.ts";
import { describeConformance } from "../lib/conformance.ts";

for (const isolation of ["bwrap", "none"] as const) {
  describeConformance(isolation === "bwrap" ? "local bubblewrap" : "local unrestricted", async () => {
    const dir = await createTempDir("sandbox-conf-");
    const home = join(dir.path, "home");
    await mkdir(home);
    const backend = await createLocalBackend({
      workspace: join(dir.path, "ws"),
      isolation,
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
