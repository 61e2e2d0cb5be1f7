import { describe, expect, test } from "bun:test";
import {
  type ApprovalPolicyOptions,
  type ApprovalTool,
  createApprovalPolicy,
} from "../../src/approval/approval-policy.ts";
import { approvalRuleSchema, compilePattern, globToRegExp } from "../../src/approval/rules.ts";

/** A small price table and timeout parser for the stand-in below (the real ones live in tools-hf). */
const PRICES: Record<string, number> = { "cpu-basic": 0.05, "t4-small": 0.6, "a10g-large": 2, h200x8: 80 };
const hours = (timeout: string | undefined): number | null =>
  timeout === undefined ? 0.5 : /^\d+(\.\d+)?h$/.test(timeout) ? Number(timeout.slice(0, -1)) : null;

/** A stand-in for tools-hf's hf_jobs approval logic (reference section 5.1). */
const hfJobsTool = (confirmCpuJobs: boolean): ApprovalTool => ({
  name: "hf_jobs",
  needsApproval(args) {
    const op = String(args.operation ?? "")
      .trim()
      .toLowerCase()
      .replace(/\s+/g, " ");
    if (op.startsWith("scheduled ")) {
      return { kind: "scheduled", reason: "Scheduled jobs recur with unbounded cost.", alwaysAsk: true };
    }
    if (op !== "run" && op !== "uv") return null;
    const flavor = String(args.flavor ?? "cpu-basic");
    if (flavor.startsWith("cpu-") && !confirmCpuJobs) return null;
    const price = PRICES[flavor];
    const h = hours(args.timeout as string | undefined);
    return {
      kind: "spend",
      reason: `Run a job on ${flavor}.`,
      estimatedCostUsd: price === undefined || h === null ? null : Math.round(price * h * 10_000) / 10_000,
    };
  },
});
const hfJobs = hfJobsTool(true);
const repoFiles: ApprovalTool = {
  name: "hf_repo_files",
  needsApproval: (args) =>
    args.operation === "upload" || args.operation === "delete"
      ? { kind: "destructive", reason: `${String(args.operation)} files on the Hub.` }
      : null,
};
const bash: ApprovalTool = { name: "bash" };
const mcpDelete: ApprovalTool = { name: "mcp__github__delete_file" };

const base: ApprovalPolicyOptions = { yolo: false, spendCapUsd: 5, headless: false };
let n = 0;
const call = (tool: ApprovalTool, args: Record<string, unknown> = {}) => ({
  tool,
  toolCallId: `c${++n}`,
  args,
});
const gpu = (timeout = "1h", flavor = "a10g-large") => call(hfJobs, { operation: "run", flavor, timeout });

describe("base requirements (interactive, no YOLO)", () => {
  const policy = createApprovalPolicy(base);

  test("no requirement → allow", () => {
    expect(policy.decide(call(bash, { command: "ls" })).action).toBe("allow");
    expect(policy.decide(call(hfJobs, { operation: "ps" })).action).toBe("allow");
  });

  test("GPU job → ask with its estimated cost and remaining cap", () => {
    const v = policy.decide(gpu("2h"));
    expect(v.action).toBe("ask");
    expect(v.estimatedCostUsd).toBe(4);
    expect(v.remainingCapUsd).toBe(5);
    expect(v.reservedUsd).toBeUndefined();
  });

  test("CPU job asks unless the tool says CPU jobs need no confirmation", () => {
    expect(policy.decide(call(hfJobs, { operation: "run", flavor: "cpu-basic" })).action).toBe("ask");
    const relaxed = hfJobsTool(false);
    expect(policy.decide(call(relaxed, { operation: "run", flavor: "cpu-basic" })).action).toBe("allow");
    expect(policy.decide(call(relaxed, { operation: "run", flavor: "a10g-large" })).action).toBe("ask");
  });

  test("destructive Hub operations ask", () => {
    expect(policy.decide(call(repoFiles, { operation: "upload" })).action).toBe("ask");
    expect(policy.decide(call(repoFiles, { operation: "list" })).action).toBe("allow");
  });

  test("a throwing needsApproval asks instead of crashing", () => {
    const broken: ApprovalTool = {
      name: "broken",
      needsApproval: () => {
        throw new Error("boom");
      },
    };
    const v = policy.decide(call(broken));
    expect(v.action).toBe("ask");
    expect(v.reason).toContain("boom");
  });
});

describe("YOLO with a spend cap", () => {
  test("auto-approves within the cap and reserves", () => {
    const p = createApprovalPolicy({ ...base, yolo: true, initialSpendUsd: 1 });
    const v = p.decide(gpu("1h"));
    expect(v.action).toBe("allow");
    expect(v.source).toBe("yolo");
    expect(v.reservedUsd).toBe(2);
    expect(p.ledger.totalUsd()).toBe(3);
  });

  test("over the remaining cap goes to a human with the block reason", () => {
    const p = createApprovalPolicy({ ...base, yolo: true, initialSpendUsd: 4 });
    const v = p.decide(gpu("1h"));
    expect(v.action).toBe("ask");
    expect(v.autoApprovalBlocked).toBe(true);
    expect(v.blockReason).toContain("exceeds");
    expect(v.remainingCapUsd).toBe(1);
    expect(p.ledger.totalUsd()).toBe(4);
  });

  test("parallel calls in one batch cannot jointly exceed the cap", () => {
    const p = createApprovalPolicy({ ...base, yolo: true });
    const first = p.decide(gpu("1.5h")); // $3
    const second = p.decide(gpu("1.5h")); // another $3 would make $6 > $5
    expect(first.action).toBe("allow");
    expect(second.action).toBe("ask");
    expect(second.remainingCapUsd).toBe(2);
  });

  test("release and reconcile adjust the ledger", () => {
    const p = createApprovalPolicy({ ...base, yolo: true });
    const a = call(hfJobs, { operation: "run", flavor: "a10g-large", timeout: "1.5h" });
    expect(p.decide(a).action).toBe("allow");
    expect(p.decide(gpu("1.5h")).action).toBe("ask");
    p.release(a.toolCallId);
    expect(p.ledger.totalUsd()).toBe(0);
    const b = gpu("1.5h");
    expect(p.decide(b).action).toBe("allow");
    p.reconcile(b.toolCallId, 0.5);
    expect(p.ledger.totalUsd()).toBe(0.5);
    p.reconcile(b.toolCallId, 0);
    expect(p.ledger.totalUsd()).toBe(0.5);
    p.reconcile(b.toolCallId, 0, { allowZero: true });
    expect(p.ledger.totalUsd()).toBe(0);
  });

  test("unknown cost blocks auto-approval", () => {
    const p = createApprovalPolicy({ ...base, yolo: true });
    const unknownFlavor = p.decide(call(hfJobs, { operation: "run", flavor: "quantum-xl" }));
    const badTimeout = p.decide(call(hfJobs, { operation: "run", flavor: "t4-small", timeout: "soon" }));
    for (const v of [unknownFlavor, badTimeout]) {
      expect(v.action).toBe("ask");
      expect(v.autoApprovalBlocked).toBe(true);
      expect(v.blockReason).toContain("could not be estimated");
      expect(v.estimatedCostUsd).toBeNull();
    }
  });

  test("scheduled jobs are never auto-approved, even with double spaces", () => {
    const p = createApprovalPolicy({ ...base, yolo: true, spendCapUsd: null });
    for (const operation of ["scheduled run", "scheduled  uv"]) {
      const v = p.decide(call(hfJobs, { operation }));
      expect(v.action).toBe("ask");
      expect(v.autoApprovalBlocked).toBe(true);
    }
  });

  test("non-costed approvals are simply auto-approved", () => {
    const p = createApprovalPolicy({ ...base, yolo: true });
    const v = p.decide(call(repoFiles, { operation: "delete" }));
    expect(v.action).toBe("allow");
    expect(v.reservedUsd).toBeUndefined();
  });

  test("uncapped YOLO auto-approves any known cost", () => {
    const p = createApprovalPolicy({ ...base, yolo: true, spendCapUsd: null });
    const v = p.decide(gpu("24h", "h200x8"));
    expect(v.action).toBe("allow");
    expect(v.remainingCapUsd).toBeUndefined();
  });

  test("setYolo toggles at runtime", () => {
    const p = createApprovalPolicy(base);
    expect(p.decide(call(repoFiles, { operation: "upload" })).action).toBe("ask");
    p.setYolo(true);
    expect(p.decide(call(repoFiles, { operation: "upload" })).action).toBe("allow");
  });
});

describe("headless", () => {
  const headless = { ...base, headless: true };

  test("auto-approves within the cap", () => {
    const p = createApprovalPolicy(headless);
    const v = p.decide(gpu("1h"));
    expect(v.action).toBe("allow");
    expect(v.source).toBe("headless");
  });

  test("denies beyond the cap with a clear reason", () => {
    const p = createApprovalPolicy({ ...headless, initialSpendUsd: 4.5 });
    const v = p.decide(gpu("1h"));
    expect(v.action).toBe("deny");
    expect(v.reason).toContain("exceeds the remaining spend cap $0.50");
    expect(v.reason).toContain("Headless");
  });

  test("denies unknown cost and scheduled jobs", () => {
    const p = createApprovalPolicy(headless);
    expect(p.decide(call(hfJobs, { operation: "run", flavor: "nope" })).action).toBe("deny");
    const s = p.decide(call(hfJobs, { operation: "scheduled run" }));
    expect(s.action).toBe("deny");
    expect(s.reason).toContain("manual approval");
  });
});

describe("user rules", () => {
  test("deny beats a tool that needs nothing; last match wins", () => {
    const p = createApprovalPolicy({
      ...base,
      rules: [
        { tool: "bash", action: "deny" },
        { tool: "bash", args: { command: "ls*" }, action: "allow" },
      ],
    });
    expect(p.decide(call(bash, { command: "rm -rf /" })).action).toBe("deny");
    expect(p.decide(call(bash, { command: "ls -la" })).action).toBe("allow");
  });

  test("ask rule adds a requirement; allow rule auto-approves within the cap", () => {
    const p = createApprovalPolicy({
      ...base,
      rules: [
        { tool: "bash", args: { command: "/\\bgit\\s+push\\b/" }, action: "ask" },
        { tool: "hf_repo_*", action: "allow" },
        { tool: "hf_jobs", args: { flavor: "a10g-*" }, action: "allow" },
      ],
    });
    expect(p.decide(call(bash, { command: "cd x && git push origin main" })).action).toBe("ask");
    expect(p.decide(call(bash, { command: "git status" })).action).toBe("allow");
    expect(p.decide(call(repoFiles, { operation: "delete" })).action).toBe("allow");
    const job = p.decide(gpu("1h"));
    expect(job.action).toBe("allow");
    expect(job.source).toBe("rule");
    expect(p.decide(gpu("3h")).action).toBe("ask"); // $6 over the $5 cap (2 already reserved)
  });

  test("an allow rule does not override always-ask", () => {
    const p = createApprovalPolicy({ ...base, rules: [{ tool: "*", action: "allow" }] });
    expect(p.decide(call(hfJobs, { operation: "scheduled run" })).action).toBe("ask");
  });

  test("MCP tools match by their qualified name", () => {
    const p = createApprovalPolicy({
      ...base,
      yolo: true,
      rules: [
        { tool: "mcp__github__*", action: "ask" },
        { tool: "mcp__*__delete_*", action: "deny" },
      ],
    });
    expect(p.decide(call(mcpDelete, { path: "a" })).action).toBe("deny");
    const other = createApprovalPolicy({ ...base, rules: [{ tool: "mcp__github__*", action: "ask" }] });
    expect(other.decide(call({ name: "mcp__github__create_issue" })).action).toBe("ask");
    expect(other.decide(call({ name: "mcp__hf__search" })).action).toBe("allow");
  });

  test("a rule on a missing argument does not match", () => {
    const p = createApprovalPolicy({
      ...base,
      rules: [{ tool: "bash", args: { path: "*" }, action: "deny" }],
    });
    expect(p.decide(call(bash, { command: "ls" })).action).toBe("allow");
  });

  test("rule schema validates config", () => {
    expect(approvalRuleSchema.safeParse({ tool: "x", action: "maybe" }).success).toBe(false);
    expect(approvalRuleSchema.safeParse({ tool: "x", args: { path: "/a/*" }, action: "deny" }).success).toBe(
      true,
    );
  });

  test("glob and regex patterns", () => {
    expect(globToRegExp("hf_*").test("hf_jobs")).toBe(true);
    expect(globToRegExp("hf_*").test("xhf_jobs")).toBe(false);
    expect(globToRegExp("/etc/**").test("/etc/ssh/sshd_config")).toBe(true);
    expect(globToRegExp("a.b?").test("a.bc")).toBe(true);
    expect(globToRegExp("a.b?").test("axbc")).toBe(false);
    expect(compilePattern("/^rm\\s/i").test("RM -rf")).toBe(true);
  });
});

describe("human answers", () => {
  test("always-allow is remembered per tool for the session", () => {
    const p = createApprovalPolicy(base);
    const c = call(repoFiles, { operation: "upload" });
    const v = p.decide(c);
    expect(p.approveByUser(c, v.requirement, { always: true })).toEqual({ ok: true });
    const next = p.decide(call(repoFiles, { operation: "delete" }));
    expect(next.action).toBe("allow");
    expect(next.source).toBe("session");
    expect(p.alwaysAllowed()).toEqual(["hf_repo_files"]);
    expect(p.decide(gpu()).action).toBe("ask");
  });

  test("always-allow of a spend tool still respects the cap", () => {
    const p = createApprovalPolicy(base);
    const c = gpu("1h");
    p.approveByUser(c, p.decide(c).requirement, { always: true });
    expect(p.ledger.totalUsd()).toBe(2);
    expect(p.decide(gpu("1h")).action).toBe("allow");
    expect(p.decide(gpu("1h")).action).toBe("ask");
  });

  test("manual approval under YOLO is refused beyond the cap and not recorded", () => {
    const p = createApprovalPolicy({ ...base, yolo: true, initialSpendUsd: 4 });
    const c = gpu("1h");
    const v = p.decide(c);
    expect(v.action).toBe("ask");
    const out = p.approveByUser(c, v.requirement);
    expect(out.ok).toBe(false);
    expect(p.ledger.totalUsd()).toBe(4);
  });

  test("manual approvals without YOLO are recorded but not capped", () => {
    const p = createApprovalPolicy(base);
    const a = gpu("0.25h"); // $0.5
    const b = call(hfJobs, { operation: "run", flavor: "t4-small", timeout: "12h" }); // $7.2
    expect(p.approveByUser(a, p.decide(a).requirement)).toEqual({ ok: true, reservedUsd: 0.5 });
    expect(p.approveByUser(b, p.decide(b).requirement)).toEqual({ ok: true, reservedUsd: 7.2 });
    expect(p.ledger.totalUsd()).toBe(7.7);
  });
});
