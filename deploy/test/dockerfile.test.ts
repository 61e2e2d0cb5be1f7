import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { finalStage, parseInstructions, parseStages, startCommand } from "../src/dockerfile.ts";
import { parseDockerIgnore } from "../src/dockerignore.ts";
import { DOCKERFILE, DOCKERIGNORE, REPO_ROOT } from "./lib/paths.ts";

describe("Dockerfile parser", () => {
  const sample = `# syntax=docker/dockerfile:1
ARG V=1.2
FROM base:\${V} AS build
RUN echo a \\
  && echo b
# a comment between stages
FROM --platform=linux/amd64 runtime:\${V}
ENV A=1 B="two words" \\
    C=3
ENV LEGACY value with spaces
WORKDIR /srv
WORKDIR app
USER 1000:1000
EXPOSE 9000 9001
HEALTHCHECK --interval=10s CMD curl -f http://localhost:9000/health || exit 1
ENTRYPOINT ["node", "main.js"]
CMD ["serve"]
`;

  test("joins continuations, drops comments and keeps line numbers", () => {
    const instructions = parseInstructions(sample);
    expect(instructions[2]).toEqual({ keyword: "RUN", args: "echo a && echo b", line: 4 });
    expect(instructions.map((i) => i.keyword)).not.toContain("#");
  });

  test("splits stages and substitutes global ARGs in FROM", () => {
    expect(parseStages(sample).map((s) => [s.from, s.name])).toEqual([
      ["base:1.2", "build"],
      ["runtime:1.2", undefined],
    ]);
  });

  test("reads the final stage as the container runs it", () => {
    const stage = finalStage(sample);
    expect(stage).toMatchObject({
      base: "runtime:1.2",
      user: "1000:1000",
      workdir: "/srv/app",
      env: { A: "1", B: "two words", C: "3", LEGACY: "value with spaces" },
      expose: [9000, 9001],
      healthcheck: {
        options: { interval: "10s" },
        command: { form: "shell", script: "curl -f http://localhost:9000/health || exit 1" },
      },
    });
    expect(startCommand(stage)).toEqual(["node", "main.js", "serve"]);
  });

  test("HEALTHCHECK NONE removes an inherited health check", () => {
    expect(finalStage(`${sample}HEALTHCHECK NONE\n`).healthcheck).toBeUndefined();
  });
});

describe("the repository's Dockerfile", async () => {
  const text = await Bun.file(DOCKERFILE).text();
  const stage = finalStage(text);
  const argv = startCommand(stage);
  const port = argv[argv.indexOf("--port") + 1];

  test("is multi-stage and installs only production dependencies from the lockfile", () => {
    const stages = parseStages(text);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]!.instructions.find((i) => i.keyword === "RUN")?.args).toContain(
      "bun install --frozen-lockfile --production",
    );
    expect(stage.base).toStartWith("oven/bun:");
    expect(stage.base).toEndWith("-slim");
  });

  test("runs as a non-root user", () => {
    expect(stage.user).toBeDefined();
    expect(["root", "0", "0:0", "root:root"]).not.toContain(stage.user);
  });

  test("starts the MCP server over HTTP on 0.0.0.0 with exec-form commands", () => {
    expect(stage.entrypoint?.form).toBe("exec");
    expect(stage.cmd?.form).toBe("exec");
    expect(argv.slice(2, 6)).toEqual(["mcp", "--transport", "http", "--host"]);
    expect(argv[argv.indexOf("--host") + 1]).toBe("0.0.0.0");
  });

  test("exposes the served port and health-checks /health on that same port", () => {
    expect(stage.expose).toEqual([Number(port)]);
    const probe = stage.healthcheck?.command;
    expect(probe?.form).toBe("exec");
    expect(probe?.form === "exec" ? probe.argv.join(" ") : "").toContain(`http://127.0.0.1:${port}/health`);
  });

  test("bakes in no credentials", () => {
    for (const name of Object.keys(stage.env)) {
      expect(name).not.toMatch(/TOKEN|SECRET|PASSWORD|KEY/);
    }
    expect(text).not.toMatch(/hf_[A-Za-z0-9]{20,}/);
  });
});

describe("parseDockerIgnore", () => {
  const ignore = parseDockerIgnore(
    "# c\n**/node_modules\n/bench/\nexamples/**\n!examples/*/package.json\n*.md\n!README.md\n",
  );

  test("excludes matches and everything below an excluded directory", () => {
    expect(ignore.isExcluded("node_modules/x/index.js")).toBe(true);
    expect(ignore.isExcluded("packages/a/node_modules/y")).toBe(true);
    expect(ignore.isExcluded("bench/run.ts")).toBe(true);
    expect(ignore.isExcluded("examples/demo/src/index.ts")).toBe(true);
    expect(ignore.isExcluded("NOTES.md")).toBe(true);
  });

  test("lets a later ! pattern re-include, and leaves other paths alone", () => {
    expect(ignore.isExcluded("examples/demo/package.json")).toBe(false);
    expect(ignore.isExcluded("README.md")).toBe(false);
    expect(ignore.isExcluded("packages/a/src/index.ts")).toBe(false);
    expect(ignore.isExcluded("benchmarks/x")).toBe(false);
  });
});

describe("the repository's .dockerignore", async () => {
  const ignore = parseDockerIgnore(await Bun.file(DOCKERIGNORE).text());
  const rootManifest = (await Bun.file(join(REPO_ROOT, "package.json")).json()) as {
    workspaces: { packages: string[] };
  };
  const workspaceManifests = rootManifest.workspaces.packages.flatMap((pattern) => [
    ...new Bun.Glob(`${pattern}/package.json`).scanSync({ cwd: REPO_ROOT, onlyFiles: true }),
  ]);

  test("keeps the root manifest, the lockfile and every workspace manifest the frozen install needs", () => {
    expect(workspaceManifests).toContain("apps/cli/package.json");
    expect(workspaceManifests).toContain("deploy/package.json");
    for (const path of ["package.json", "bun.lock", "tsconfig.base.json", ...workspaceManifests]) {
      expect({ path, excluded: ignore.isExcluded(path) }).toEqual({ path, excluded: false });
    }
  });

  test("keeps the CLI entry point and package sources", () => {
    for (const path of [
      "apps/cli/src/main.ts",
      "packages/core/src/index.ts",
      "packages/mcp-server/src/x.ts",
    ]) {
      expect({ path, excluded: ignore.isExcluded(path) }).toEqual({ path, excluded: false });
    }
  });

  test("leaves out secrets, git history, node_modules, tests, benchmarks and the deploy checks", () => {
    for (const path of [
      ".env",
      "apps/cli/.env.local",
      ".git/config",
      "node_modules/zod/index.js",
      "packages/core/node_modules/x",
      "packages/core/test/tool/registry.test.ts",
      "packages/testing/src/hf/fake-hub.ts",
      "bench/run.ts",
      "deploy/src/cfn-yaml.ts",
      "examples/demo/src/index.ts",
    ]) {
      expect({ path, excluded: ignore.isExcluded(path) }).toEqual({ path, excluded: true });
    }
  });
});
