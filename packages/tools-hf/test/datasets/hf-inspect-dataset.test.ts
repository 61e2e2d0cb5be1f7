import { describe, expect, test } from "bun:test";
import { FAKE_HF_TOKEN } from "@ml-intern/testing/hf/fake-hub";
import { startHfEnv } from "../lib/hf-env.ts";

const chat = {
  id: "org/chat",
  configs: {
    default: {
      splits: {
        train: [
          {
            messages: [
              { role: "user", content: "hi" },
              { role: "assistant", content: "hello" },
            ],
            source: "a",
          },
          {
            messages: [
              { role: "user", content: "2+2" },
              { role: "assistant", content: "4" },
            ],
            source: "b",
          },
        ],
        test: [{ messages: [{ role: "user", content: "x" }], source: "c" }],
      },
    },
  },
};
const prefs = {
  id: "org/prefs",
  configs: { default: { splits: { train: [{ prompt: "p", chosen: "good", rejected: "bad" }] } } },
};

describe("hf_inspect_dataset", () => {
  test("status, splits, schema, samples, messages format and training formats in one call", async () => {
    await using env = await startHfEnv({ datasets: [chat, prefs] });
    const result = await env.call("hf_inspect_dataset", { dataset: "org/chat", sample_rows: 1 });
    expect(result.text).toContain("✓ Valid");
    expect(result.text).toContain("| default | test |");
    expect(result.text).toContain("train: 2 rows");
    expect(result.text).toContain("Roles: user, assistant");
    expect(result.text).toContain("SFT: ✓ fits");
    expect(result.text).toContain("DPO: ✗ does not fit");
    expect(result.text).toContain("## Files (Parquet)");
    // Structured content carries the substance of the text: sample rows, schema, formats (issue 16).
    expect(result.structured).toMatchObject({
      dataset: "org/chat",
      config: "default",
      split: "train",
      num_rows: { train: 2 },
      sample_rows: [
        {
          messages: [
            { role: "user", content: "hi" },
            { role: "assistant", content: "hello" },
          ],
          source: "a",
        },
      ],
    });
    expect(result.structured?.messages_format).toContain("Roles: user, assistant");
    expect(result.structured?.formats).toContainEqual(expect.objectContaining({ format: "SFT", fits: true }));
    const dpo = await env.call("hf_inspect_dataset", { dataset: "org/prefs" });
    expect(dpo.text).toContain("DPO: ✓ fits");
    expect(dpo.text).toContain("GRPO: ✓ fits");
  });

  test("a restricted dataset without access tells how to authenticate; the token is sent to the viewer", async () => {
    await using env = await startHfEnv({
      datasets: [{ ...chat, id: "org/gated", restricted: true, allowedTokens: [FAKE_HF_TOKEN] }],
      token: null,
    });
    const denied = await env.call("hf_inspect_dataset", { dataset: "org/gated" });
    expect(denied.isError).toBe(true);
    expect(denied.text).toContain("401");
    expect(denied.text).toContain("HF_TOKEN");
    const ok = await env.call("hf_inspect_dataset", { dataset: "org/gated" }, { token: FAKE_HF_TOKEN });
    expect(ok.isError).toBeUndefined();
  });
});
