import { expect, test } from "bun:test";
import { defineTool } from "@ml-intern/tool";
import { z } from "zod";
import type { ApprovalCandidate } from "../../src/agent/agent-hooks.ts";
import { createApprovalGate } from "../../src/approval/approval-gate.ts";
import { createApprovalPolicy } from "../../src/approval/approval-policy.ts";

const job = defineTool({
  name: "hf_jobs",
  description: "jobs",
  toolset: "hf-jobs",
  input: z.object({ flavor: z.string().describe("hardware") }),
  annotations: { openWorldHint: true },
  async execute() {
    return { text: "ok" };
  },
});

const candidate = (id: string, cost: number | null): ApprovalCandidate => ({
  toolCallId: id,
  name: "hf_jobs",
  args: { flavor: "a10g-large" },
  tool: job,
  requirement: { kind: "spend", reason: "GPU job", estimatedCostUsd: cost },
});

test("a batch is decided with joint reservations; settle releases or reconciles", () => {
  const policy = createApprovalPolicy({ yolo: true, spendCapUsd: 5, headless: false });
  const gate = createApprovalGate(policy);
  const verdicts = gate.decide([candidate("a", 3), candidate("b", 3), candidate("c", null)]);
  expect(verdicts.map((v) => v.action)).toEqual(["allow", "ask", "ask"]);
  expect(verdicts[1]).toMatchObject({
    kind: "spend",
    estimatedCostUsd: 3,
    remainingCapUsd: 2,
    autoApprovalBlocked: true,
  });
  expect(verdicts[1]!.reason).toContain("exceeds");
  expect(verdicts[2]!.reason).toContain("could not be estimated");
  gate.settle!("a", false);
  expect(policy.ledger.totalUsd()).toBe(0);
  gate.decide([candidate("d", 3)]);
  gate.settle!("d", true, 1.25);
  expect(policy.ledger.totalUsd()).toBe(1.25);
});

test("manual approval reserves, or refuses beyond the cap under YOLO", () => {
  const policy = createApprovalPolicy({ yolo: true, spendCapUsd: 5, headless: false });
  const gate = createApprovalGate(policy);
  expect(gate.approveManually!(candidate("a", 4))).toBeNull();
  expect(gate.approveManually!(candidate("b", 4))).toContain("exceeds the remaining spend cap");
  expect(policy.ledger.totalUsd()).toBe(4);
});
