import { describe, expect, test } from "bun:test";
import { createDoomLoopGuard } from "../../src/doom-loop/doom-loop-guard.ts";
import { detectMalformedStreak } from "../../src/doom-loop/malformed-streak.ts";
import { normaliseArguments } from "../../src/doom-loop/signature.ts";
import type { Message } from "../../src/llm/messages.ts";

/** A conversation builder: each call appends an assistant tool call and its result. */
function convo() {
  const messages: Message[] = [{ role: "user", content: "train a model" }];
  let n = 0;
  const api = {
    messages,
    call(name: string, args: string, result: string, isError = false) {
      const id = `call_${++n}`;
      messages.push({ role: "assistant", content: "", toolCalls: [{ id, name, arguments: args }] });
      messages.push({ role: "tool", toolCallId: id, name, content: result, isError });
      return api;
    },
  };
  return api;
}

describe("doom-loop guard", () => {
  test("the window starts at the latest user message: an earlier turn's (or a resumed session's) loop is not this turn's", () => {
    const c = convo()
      .call("bash", '{"command":"ls"}', "a.txt")
      .call("bash", '{"command":"ls"}', "a.txt")
      .call("bash", '{"command":"ls"}', "a.txt");
    expect(createDoomLoopGuard({ enabled: true }).check(c.messages)?.kind).toBe("identical");
    // A fresh guard (as after --continue) and a new user message: nothing to nudge about.
    c.messages.push({ role: "user", content: "now push it" });
    const fresh = createDoomLoopGuard({ enabled: true });
    expect(fresh.check(c.messages)).toBeNull();
    c.call("bash", '{"command":"ls"}', "a.txt");
    expect(fresh.check(c.messages)).toBeNull();
    // Synthetic harness notes do not reset the window.
    c.messages.push({ role: "user", content: "[SYSTEM: note]", synthetic: true });
    c.call("bash", '{"command":"ls"}', "a.txt").call("bash", '{"command":"ls"}', "a.txt");
    expect(fresh.check(c.messages)?.kind).toBe("identical");
  });

  test("a check reads only the window, however long the turn's history is", () => {
    const c = convo();
    for (let i = 0; i < 500; i++) c.call("bash", `{"command":"echo ${i}"}`, `${i}`);
    for (let i = 0; i < 3; i++) c.call("bash", '{"command":"ls"}', "a.txt");
    const window = 30;
    const outside = c.messages.length - window;
    for (let i = 0; i < outside; i++) {
      Object.defineProperty(c.messages, i, {
        get() {
          throw new Error(`message ${i} is outside the window`);
        },
      });
    }
    expect(createDoomLoopGuard({ enabled: true, window }).check(c.messages)?.kind).toBe("identical");
  });

  test("3 identical calls nudge once, naming the tool", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo().call("bash", '{"command":"ls"}', "a.txt").call("bash", '{"command":"ls"}', "a.txt");
    expect(guard.check(c.messages)).toBeNull();
    c.call("bash", '{"command":"ls"}', "a.txt");
    const hit = guard.check(c.messages);
    expect(hit?.kind).toBe("identical");
    expect(hit?.tool).toBe("bash");
    expect(hit?.escalate).toBe(false);
    expect(hit?.message).toContain("'bash'");
    // Checked again with no new call (e.g. the next request is being retried): no second nudge.
    expect(guard.check(c.messages)).toBeNull();
  });

  test("the same loop continuing after its nudge escalates", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo();
    for (let i = 0; i < 3; i++) c.call("bash", '{"command":"ls"}', "a.txt");
    const first = guard.check(c.messages);
    c.messages.push({ role: "user", content: first!.message, synthetic: true });
    c.call("bash", '{"command":"ls"}', "a.txt");
    const second = guard.check(c.messages);
    expect(second?.escalate).toBe(true);
    expect(second?.signatureKey).toBe(first!.signatureKey);
  });

  test("reset() forgets nudges so a new turn gets a fresh nudge", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo();
    for (let i = 0; i < 3; i++) c.call("bash", '{"command":"ls"}', "a.txt");
    guard.check(c.messages);
    guard.reset();
    c.call("bash", '{"command":"ls"}', "a.txt");
    expect(guard.check(c.messages)?.escalate).toBe(false);
  });

  test("polling the same command while its output changes is progress", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo();
    for (const lines of [27210, 36454, 45770, 55138]) {
      c.call("bash", '{"command":"sleep 300 && wc -l out.log"}', `${lines} out.log`);
      expect(guard.check(c.messages)).toBeNull();
    }
  });

  test("A,B,A,B nudges as a cycle", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo()
      .call("read", '{"path":"a.py"}', "x")
      .call("edit", '{"path":"a.py","old":"1","new":"2"}', "no match");
    expect(guard.check(c.messages)).toBeNull();
    c.call("read", '{"path":"a.py"}', "x").call("edit", '{"path":"a.py","old":"1","new":"2"}', "no match");
    const hit = guard.check(c.messages);
    expect(hit?.kind).toBe("cycle");
    expect(hit?.pattern).toEqual(["read", "edit"]);
    expect(hit?.message).toContain("read → edit");
  });

  test("a cycle continuing after its nudge escalates even when seen from another phase", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo().call("a", "{}", "1").call("b", "{}", "2").call("a", "{}", "1").call("b", "{}", "2");
    const first = guard.check(c.messages);
    c.call("a", "{}", "1");
    const second = guard.check(c.messages);
    expect(second?.kind).toBe("cycle");
    expect(second?.pattern).toEqual(["b", "a"]);
    expect(second?.signatureKey).toBe(first!.signatureKey);
    expect(second?.escalate).toBe(true);
  });

  test("A,B,A,C does not fire", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo().call("a", "{}", "1").call("b", "{}", "2").call("a", "{}", "1").call("c", "{}", "3");
    expect(guard.check(c.messages)).toBeNull();
  });

  test("cycles of length 3 and 5 are found", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c3 = convo();
    for (let r = 0; r < 2; r++) for (const t of ["x", "y", "z"]) c3.call(t, "{}", t);
    expect(guard.check(c3.messages)?.pattern).toEqual(["x", "y", "z"]);
    const c5 = convo();
    for (let r = 0; r < 2; r++) for (const t of ["p", "q", "r", "s", "t"]) c5.call(t, "{}", t);
    expect(createDoomLoopGuard({ enabled: true }).check(c5.messages)?.pattern).toEqual([
      "p",
      "q",
      "r",
      "s",
      "t",
    ]);
  });

  test("a cycle of 6 is beyond the detector", () => {
    const c = convo();
    for (let r = 0; r < 2; r++) for (const t of ["a", "b", "c", "d", "e", "f"]) c.call(t, "{}", t);
    expect(createDoomLoopGuard({ enabled: true }).check(c.messages)).toBeNull();
  });

  test("argument key order and whitespace do not matter", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo()
      .call("hf_jobs", '{"operation":"ps","namespace":"me","filters":{"b":1,"a":2}}', "none")
      .call("hf_jobs", '{ "namespace" : "me", "operation":"ps", "filters":{"a":2,"b":1} }', "none")
      .call("hf_jobs", '{"filters":{"a":2,"b":1},\n"namespace":"me","operation":"ps"}', "none");
    expect(guard.check(c.messages)?.kind).toBe("identical");
  });

  test("different arguments are not a loop", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo()
      .call("read", '{"path":"a.py"}', "same")
      .call("read", '{"path":"b.py"}', "same")
      .call("read", '{"path":"c.py"}', "same");
    expect(guard.check(c.messages)).toBeNull();
  });

  test("a loop the model already left is not reported", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const c = convo();
    for (let i = 0; i < 3; i++) c.call("bash", '{"command":"ls"}', "a");
    c.call("read", '{"path":"a"}', "content");
    expect(guard.check(c.messages)).toBeNull();
  });

  test("parallel identical calls in one assistant message count", () => {
    const guard = createDoomLoopGuard({ enabled: true });
    const messages: Message[] = [
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: "",
        toolCalls: [1, 2, 3].map((i) => ({ id: `p${i}`, name: "web_search", arguments: '{"q":"x"}' })),
      },
      ...[1, 2, 3].map(
        (i): Message => ({ role: "tool", toolCallId: `p${i}`, name: "web_search", content: "r" }),
      ),
    ];
    expect(guard.check(messages)?.tool).toBe("web_search");
  });

  test("disabled guard never fires", () => {
    const c = convo();
    for (let i = 0; i < 5; i++) c.call("bash", "{}", "same");
    expect(createDoomLoopGuard({ enabled: false }).check(c.messages)).toBeNull();
  });

  test("only the window is inspected", () => {
    const c = convo();
    for (let i = 0; i < 3; i++) c.call("bash", "{}", "same");
    // window of 4 messages = 2 calls
    expect(createDoomLoopGuard({ enabled: true, window: 4 }).check(c.messages)).toBeNull();
    expect(createDoomLoopGuard({ enabled: true, window: 6 }).check(c.messages)?.kind).toBe("identical");
  });
});

describe("normaliseArguments", () => {
  test("nested keys sorted, array order kept, invalid JSON whitespace-collapsed", () => {
    expect(normaliseArguments('{"b":{"y":1,"x":[2,1]},"a":true}')).toBe('{"a":true,"b":{"x":[2,1],"y":1}}');
    expect(normaliseArguments("{not json   at\n all")).toBe("{not json at all");
    expect(normaliseArguments("  ")).toBe("");
  });
});

describe("malformed-argument streak", () => {
  const bad = "ERROR: Tool call to 'write' had malformed JSON arguments and was NOT executed.";

  test("two consecutive malformed results for the same tool nudge", () => {
    const c = convo().call("write", "{", bad, true).call("write", '{"path":', bad, true);
    const hit = detectMalformedStreak(c.messages);
    expect(hit?.tool).toBe("write");
    expect(hit?.message).toContain("heredoc");
    expect(hit?.message).toContain("smaller");
  });

  test("registry validation errors count as malformed", () => {
    const msg = "Invalid arguments for tool 'edit':\n- path: expected string";
    expect(
      detectMalformedStreak(convo().call("edit", "{}", msg, true).call("edit", "{}", msg, true).messages)
        ?.tool,
    ).toBe("edit");
  });

  test("one malformed call, different tools, or a success in between do not", () => {
    expect(detectMalformedStreak(convo().call("write", "{", bad, true).messages)).toBeNull();
    expect(
      detectMalformedStreak(convo().call("edit", "{", bad, true).call("write", "{", bad, true).messages),
    ).toBeNull();
    expect(
      detectMalformedStreak(
        convo().call("write", "{", bad, true).call("write", "{}", "ok").call("write", "{", bad, true)
          .messages,
      ),
    ).toBeNull();
  });

  test("the guard exposes the streak nudge and respects enabled", () => {
    const c = convo().call("write", "{", bad, true).call("write", "{", bad, true);
    expect(createDoomLoopGuard({ enabled: true }).malformed(c.messages)).toContain("'write'");
    expect(createDoomLoopGuard({ enabled: false }).malformed(c.messages)).toBeNull();
  });

  test("ordinary tool errors are not malformed", () => {
    const c = convo().call("bash", "{}", "exit code 1", true).call("bash", "{}", "exit code 1", true);
    expect(detectMalformedStreak(c.messages)).toBeNull();
  });
});
