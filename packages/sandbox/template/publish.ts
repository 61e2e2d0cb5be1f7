/**
 * Publishes the remote sandbox template (Dockerfile, README.md and the bundled server) as a Docker Space in the
 * user's namespace. Usage: HF_TOKEN=hf_... bun packages/sandbox/template/publish.ts [--space owner/name] [--public]
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";

const TEMPLATE_DIR = import.meta.dir;
export const DEFAULT_TEMPLATE_NAME = "ml-intern-sandbox-template";

export interface PublishTemplateOptions {
  token: string;
  /** Hub base URL (HF_ENDPOINT); default https://huggingface.co */
  hubUrl?: string;
  /** owner/name; default <token's user>/ml-intern-sandbox-template */
  spaceId?: string;
  /** Default false: a private template is enough to duplicate from your own account. */
  public?: boolean;
  fetch?: typeof fetch;
}

export interface PublishTemplateResult {
  spaceId: string;
  created: boolean;
  url: string;
  files: string[];
}

/** Bundles server.ts and its dependencies (the sandbox package, hono) into one file Bun runs in the Space. */
export async function bundleServer(): Promise<string> {
  const built = await Bun.build({
    entrypoints: [join(TEMPLATE_DIR, "server.ts")],
    target: "bun",
    minify: false,
  });
  if (!built.success) throw new Error(`Bundling the sandbox server failed: ${built.logs.join("\n")}`);
  const [output] = built.outputs;
  if (!output) throw new Error("Bundling the sandbox server produced no output.");
  return output.text();
}

async function hubError(response: Response, what: string): Promise<Error> {
  const body = await response.text().catch(() => "");
  let detail = body.slice(0, 300);
  try {
    detail = (JSON.parse(body) as { error?: string }).error ?? detail;
  } catch {}
  return new Error(`${what} failed (HTTP ${response.status}): ${detail}`);
}

/** Plain Hub REST calls (the sandbox package does not depend on @huggingface/hub): whoami, create, one commit. */
export async function publishSandboxTemplate(
  options: PublishTemplateOptions,
): Promise<PublishTemplateResult> {
  const hubUrl = (options.hubUrl ?? "https://huggingface.co").replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const call = (path: string, init: RequestInit = {}) =>
    doFetch(`${hubUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${options.token}`,
        "content-type": "application/json",
        ...init.headers,
      },
    });
  let spaceId = options.spaceId;
  if (!spaceId) {
    const me = await call("/api/whoami-v2");
    if (!me.ok) throw await hubError(me, "Looking up the token's user");
    spaceId = `${((await me.json()) as { name: string }).name}/${DEFAULT_TEMPLATE_NAME}`;
  }
  const [owner, name] = spaceId.split("/");
  if (!owner || !name) throw new Error(`--space must be owner/name, got '${spaceId}'.`);
  let created = false;
  const existing = await call(`/api/spaces/${spaceId}`);
  await existing.body?.cancel();
  if (existing.status === 404 || existing.status === 401) {
    const create = await call("/api/repos/create", {
      method: "POST",
      body: JSON.stringify({
        type: "space",
        name,
        organization: owner,
        sdk: "docker",
        visibility: options.public ? "public" : "private",
      }),
    });
    if (!create.ok) throw await hubError(create, `Creating ${spaceId}`);
    await create.body?.cancel();
    created = true;
  } else if (!existing.ok) {
    throw await hubError(existing, `Looking up ${spaceId}`);
  }
  const [dockerfile, readme, server] = await Promise.all([
    readFile(join(TEMPLATE_DIR, "Dockerfile")),
    readFile(join(TEMPLATE_DIR, "README.md")),
    bundleServer(),
  ]);
  const files: [string, Uint8Array][] = [
    ["Dockerfile", dockerfile],
    ["README.md", readme],
    ["server.js", new TextEncoder().encode(server)],
  ];
  const ndjson = [
    { key: "header", value: { summary: "Publish the ML Intern sandbox template", description: "" } },
    ...files.map(([path, content]) => ({
      key: "file",
      value: { path, content: Buffer.from(content).toString("base64"), encoding: "base64" },
    })),
  ]
    .map((line) => JSON.stringify(line))
    .join("\n");
  const commit = await call(`/api/spaces/${spaceId}/commit/main`, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson" },
    body: ndjson,
  });
  if (!commit.ok) throw await hubError(commit, `Uploading the template to ${spaceId}`);
  await commit.body?.cancel();
  return { spaceId, created, url: `${hubUrl}/spaces/${spaceId}`, files: files.map(([path]) => path) };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      space: { type: "string" },
      public: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: HF_TOKEN=hf_... bun packages/sandbox/template/publish.ts [--space owner/name] [--public]\n",
    );
    process.exit(0);
  }
  const token = process.env.HF_TOKEN ?? process.env.HUGGING_FACE_HUB_TOKEN;
  if (!token) {
    process.stderr.write(
      "Set HF_TOKEN to a token with write access (https://huggingface.co/settings/tokens).\n",
    );
    process.exit(2);
  }
  try {
    const result = await publishSandboxTemplate({
      token,
      ...(process.env.HF_ENDPOINT ? { hubUrl: process.env.HF_ENDPOINT } : {}),
      ...(values.space ? { spaceId: values.space } : {}),
      ...(values.public ? { public: true } : {}),
    });
    process.stderr.write(`${result.created ? "Created" : "Updated"} ${result.url}\n`);
    process.stdout.write(`export ML_INTERN_SANDBOX_TEMPLATE=${result.spaceId}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
