import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_ROUTER_MODEL } from "@ml-intern/runtime/model";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { startFakeOpenAI } from "@ml-intern/testing/llm/fake-openai";
import { createIsolatedHome, type IsolatedHome, runCliProcess } from "../helpers/cli-harness.ts";

let home: IsolatedHome;
let router: FakeLlm;

beforeAll(async () => {
  home = await createIsolatedHome();
  router = await startFakeOpenAI();
});
afterAll(async () => {
  await router.close();
  await home[Symbol.asyncDispose]();
});

describe("the default model follows the credentials present", () => {
  test("only HF_TOKEN: a headless run uses the HF router model with the token as bearer", async () => {
    router.enqueue({ text: "Hello from the router." });
    const r = await runCliProcess(["--sandbox", "none", "--output-format", "json", "hello"], {
      cwd: home.workspace,
      env: home.env({
        HF_TOKEN: "hf_only_token_4321",
        HF_ENDPOINT: "http://127.0.0.1:9",
        HF_ROUTER_URL: `${router.url}/v1`,
      }),
    });
    expect(r.exitCode).toBe(0);
    const body = JSON.parse(r.stdout) as { response: string; error: unknown };
    expect(body).toMatchObject({ response: "Hello from the router.", error: null });
    expect(router.requests.length).toBeGreaterThanOrEqual(1);
    const first = router.requests[0];
    expect(first?.headers.get("authorization")).toBe("Bearer hf_only_token_4321");
    const wire = JSON.parse(first?.body ?? "{}") as { model?: string };
    expect(wire.model).toBe(DEFAULT_ROUTER_MODEL);
    expect(r.stdout + r.stderr).not.toContain("hf_only_token_4321");
  }, 30_000);

  test("neither key: the run exits 4 naming ANTHROPIC_API_KEY and HF_TOKEN", async () => {
    const r = await runCliProcess(["--sandbox", "none", "--output-format", "json", "hello"], {
      cwd: home.workspace,
      env: home.env({ HF_ENDPOINT: "http://127.0.0.1:9" }),
    });
    expect(r.exitCode).toBe(4);
    const body = JSON.parse(r.stdout) as { error: { message: string } };
    expect(body.error.message).toContain("ANTHROPIC_API_KEY");
    expect(body.error.message).toContain("HF_TOKEN");
  }, 30_000);
});
