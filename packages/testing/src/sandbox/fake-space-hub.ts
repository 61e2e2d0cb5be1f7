import { Hono } from "hono";
import { type FakeServer, startFakeServer } from "../http/fake-server.ts";

/** How one duplicated Space behaves while the provisioner polls its runtime. */
export interface FakeSpaceScript {
  /** Runtime polls answered 404 "Repository not found" before the Space becomes visible. */
  notVisiblePolls?: number;
  /** Runtime stages returned in order; the last one repeats. `current` defaults to the requested hardware. */
  stages?: { stage: string; current?: string | null }[];
}

export interface FakeSpace {
  id: string;
  duplicateBody: Record<string, unknown>;
  runtimePolls: number;
  deleted: boolean;
}

export interface FakeSpaceHubOptions {
  owner?: string;
  /** The only HF token accepted (Bearer). */
  token?: string;
  script?: (spaceId: string) => FakeSpaceScript;
  /** Failed attempts of DELETE /api/repos/delete before one succeeds. */
  deleteFailures?: number;
}

export interface FakeSpaceHub {
  server: FakeServer;
  url: string;
  spaces: Map<string, FakeSpace>;
  deleteAttempts: number;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fake Hub Space API: whoami, duplicate, runtime (with scripted stages), delete. Shapes follow hf-apis.md. */
export async function startFakeSpaceHub(options: FakeSpaceHubOptions = {}): Promise<FakeSpaceHub> {
  const owner = options.owner ?? "alice";
  const token = options.token ?? "hf_test_token";
  const spaces = new Map<string, FakeSpace>();
  let deleteFailures = options.deleteFailures ?? 0;
  const app = new Hono();
  const state = { deleteAttempts: 0 };

  app.use("/api/*", async (c, next) => {
    if (c.req.header("authorization") !== `Bearer ${token}`) {
      return c.json({ error: "Invalid credentials in Authorization header" }, 401);
    }
    await next();
  });
  app.get("/api/whoami-v2", (c) => c.json({ type: "user", name: owner, fullname: "Alice", orgs: [] }));
  app.post("/api/spaces/:ns/:name/duplicate", async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    const id = String(body.repository);
    if (spaces.has(id))
      return c.json(
        { error: "You already created this space repo", url: `https://huggingface.co/spaces/${id}` },
        409,
      );
    spaces.set(id, { id, duplicateBody: body, runtimePolls: 0, deleted: false });
    return c.json({ url: `https://huggingface.co/spaces/${id}` });
  });
  app.get("/api/spaces/:ns/:name/runtime", (c) => {
    const id = `${c.req.param("ns")}/${c.req.param("name")}`;
    const space = spaces.get(id);
    if (!space || space.deleted) return c.json({ error: "Repository not found" }, 404);
    space.runtimePolls += 1;
    const script = options.script?.(id) ?? {};
    const hidden = script.notVisiblePolls ?? 0;
    if (space.runtimePolls <= hidden) return c.json({ error: "Repository not found" }, 404);
    const stages = script.stages ?? [{ stage: "RUNNING" }];
    const step = stages[Math.min(space.runtimePolls - hidden - 1, stages.length - 1)] ?? { stage: "RUNNING" };
    const requested = String(space.duplicateBody.hardware ?? "cpu-basic");
    return c.json({
      stage: step.stage,
      hardware: { current: step.current === undefined ? requested : step.current, requested },
      storage: null,
      gcTimeout: 172800,
      replicas: { requested: 1 },
      devMode: false,
      domains: [{ domain: `${id.replace("/", "-")}.hf.space`, stage: "READY" }],
    });
  });
  app.delete("/api/repos/delete", async (c) => {
    state.deleteAttempts += 1;
    if (deleteFailures > 0) {
      deleteFailures -= 1;
      return c.json({ error: "Internal Error" }, 500);
    }
    const body = (await c.req.json()) as { name: string; organization: string; type: string };
    const space = spaces.get(`${body.organization}/${body.name}`);
    if (!space || body.type !== "space") return c.json({ error: "Repository not found" }, 404);
    space.deleted = true;
    return c.text("OK");
  });

  const server = await startFakeServer((request) => app.fetch(request));
  return {
    server,
    url: server.url,
    spaces,
    get deleteAttempts() {
      return state.deleteAttempts;
    },
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
