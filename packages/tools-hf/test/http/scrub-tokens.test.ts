import { expect, test } from "bun:test";
import { scrubTokens } from "../../src/http/error-result.ts";

const token = `hf_${"aB3".repeat(12)}`;

test("scrubTokens removes HF tokens but leaves tool and field names alone", () => {
  const text = `Call hf_papers or hf_inspect_dataset; hf_jobs failed with Authorization: Bearer ${token}.`;
  const scrubbed = scrubTokens(text);
  expect(scrubbed).not.toContain(token);
  expect(scrubbed).toContain("hf_papers");
  expect(scrubbed).toContain("hf_inspect_dataset");
  expect(scrubbed).toContain("hf_jobs");
  expect(scrubbed).toContain("hf_***");
});

test("a token glued to other text is still removed", () => {
  expect(scrubTokens(`token=${token}\n`)).toBe("token=hf_***\n");
});
