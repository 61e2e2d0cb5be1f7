import { describe, expect, test } from "bun:test";
import { finalStage, parseInstructions, parseStages, startCommand } from "../src/dockerfile.ts";
import { DOCKERFILE, DOCKERIGNORE } from "./lib/paths.ts";

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

describe(".dockerignore", async () => {
  const lines = (await Bun.file(DOCKERIGNORE).text()).split("\n").map((l) => l.trim());

  test("keeps secrets, git history, node_modules and tests out of the build context", () => {
    for (const pattern of [".env", "**/.env", ".git", "**/node_modules", "**/test", "bench", "deploy"]) {
      expect(lines).toContain(pattern);
    }
  });

  test("keeps the workspace manifests the frozen lockfile needs", () => {
    expect(lines).toContain("!examples/*/package.json");
    expect(lines).not.toContain("package.json");
    expect(lines).not.toContain("bun.lock");
    expect(lines).not.toContain("packages");
    expect(lines).not.toContain("apps");
  });
});
