/**
 * macOS Seatbelt: the profile is generated and unit-tested here, and the backend's wiring is checked with a
 * stand-in sandbox-exec. Executing a real profile needs macOS, which this machine and CI do not have.
 */
import { expect, test } from "bun:test";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { SandboxUnavailableError } from "../../src/errors.ts";
import { createLocalBackend } from "../../src/local/local-backend.ts";
import { buildSeatbeltProfile } from "../../src/local/seatbelt.ts";

test("profile: writes only to the workspace and session dirs, home unreadable, protected paths and network closed", () => {
  const profile = buildSeatbeltProfile({
    workspace: "/Users/ann/proj",
    home: "/Users/ann",
    writable: ["/private/tmp/s/home", "/private/tmp/s/tmp"],
    protectedPaths: ["/Users/ann/proj/.env", "/Users/ann/proj/.git/hooks"],
    network: "off",
  });
  const lines = profile.trim().split("\n");
  expect(lines.slice(0, 3)).toEqual(["(version 1)", "(allow default)", "(deny file-write*)"]);
  expect(profile).toContain(
    '(allow file-write* (subpath "/Users/ann/proj") (subpath "/private/tmp/s/home") (subpath "/private/tmp/s/tmp")',
  );
  // Later rules win: the home is denied, then the workspace inside it allowed again, then .env denied.
  const denyHome = lines.indexOf('(deny file-read* (subpath "/Users/ann"))');
  const allowWs = lines.indexOf('(allow file-read* (subpath "/Users/ann/proj"))');
  const denyProtected = lines.findIndex((l) => l.startsWith("(deny file-write*") && l.includes(".env"));
  expect(denyHome).toBeGreaterThan(0);
  expect(allowWs).toBeGreaterThan(denyHome);
  expect(denyProtected).toBeGreaterThan(lines.findIndex((l) => l.startsWith("(allow file-write*")));
  expect(lines.at(-1)).toBe("(deny network*)");
  const online = buildSeatbeltProfile({ workspace: "/w", writable: [], protectedPaths: [], network: "on" });
  expect(online).not.toContain("network");
  expect(online).not.toContain("file-read");
  const quoted = buildSeatbeltProfile({
    workspace: '/w/"x"',
    writable: [],
    protectedPaths: [],
    network: "on",
  });
  expect(quoted).toContain('(subpath "/w/\\"x\\"")');
});

test("on darwin the default isolation is Seatbelt, and it fails closed without sandbox-exec", async () => {
  await using dir = await createTempDir("sandbox-seatbelt-");
  const attempt = createLocalBackend({
    workspace: join(dir.path, "ws"),
    platform: "darwin",
    sandboxExecPath: join(dir.path, "no-sandbox-exec"),
  });
  await expect(attempt).rejects.toBeInstanceOf(SandboxUnavailableError);
});

test("on darwin commands go through sandbox-exec with the generated profile and a cleared environment", async () => {
  await using dir = await createTempDir("sandbox-seatbelt-");
  const fake = join(dir.path, "sandbox-exec");
  const log = join(dir.path, "profile.sb");
  // Stand-in: records the profile, then runs the command unsandboxed.
  await writeFile(
    fake,
    `#!/bin/sh\n[ "$1" = "-p" ] || exit 64\nprintf '%s' "$2" > '${log}'\nshift 2\nexec "$@"\n`,
  );
  await chmod(fake, 0o755);
  const home = join(dir.path, "home");
  const backend = await createLocalBackend({
    workspace: join(dir.path, "home", "ws"),
    platform: "darwin",
    sandboxExecPath: fake,
    homeDir: home,
    hostEnv: { PATH: process.env.PATH, HOME: home, HF_TOKEN: "hf_secret" },
    network: "off",
  });
  try {
    expect(backend.kind).toBe("local-seatbelt");
    const result = await backend.exec("echo ran; env", { timeoutMs: 10_000 });
    expect(result.output).toStartWith("ran\n");
    expect(result.output).not.toContain("hf_secret");
    const profile = await readFile(log, "utf8");
    expect(profile).toContain(`(allow file-write* (subpath "${backend.workspace}")`);
    expect(profile).toContain(`(deny file-read* (subpath "${home}"))`);
    expect(profile).toContain("(deny network*)");
  } finally {
    await backend.dispose();
  }
});
