import type { Agent, AgentEvent, ApprovalAnswer } from "@ml-intern/core";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";

export interface AgentAppOptions {
  /** Builds the agent of a new session. */
  createAgent(): Agent | Promise<Agent>;
  /** Sessions kept at once (default 20); creating more closes the oldest. */
  maxSessions?: number;
}

function isApprovalAnswers(value: unknown): value is ApprovalAnswer[] {
  return (
    Array.isArray(value) &&
    value.every(
      (a) =>
        a &&
        typeof a === "object" &&
        typeof (a as ApprovalAnswer).tool_call_id === "string" &&
        ["approve", "reject", "always"].includes((a as ApprovalAnswer).decision),
    )
  );
}

/**
 * An HTTP front for the agent:
 *   POST   /sessions                     -> { session_id }
 *   POST   /sessions/:id/messages {text} -> the turn's events as SSE (`event: <type>`, `data: <json>`)
 *   POST   /sessions/:id/approvals {approvals: [{tool_call_id, decision, feedback?}]}
 *   POST   /sessions/:id/interrupt
 *   DELETE /sessions/:id
 * Closing the SSE connection interrupts the turn.
 */
export function createAgentApp(options: AgentAppOptions): Hono {
  const sessions = new Map<string, Agent>();
  const maxSessions = options.maxSessions ?? 20;
  const app = new Hono();

  app.post("/sessions", async (c) => {
    if (sessions.size >= maxSessions) {
      const [oldestId, oldest] = sessions.entries().next().value ?? [];
      if (oldestId && oldest) {
        sessions.delete(oldestId);
        await oldest.close();
      }
    }
    const agent = await options.createAgent();
    sessions.set(agent.sessionId, agent);
    return c.json({ session_id: agent.sessionId }, 201);
  });

  app.post("/sessions/:id/messages", async (c) => {
    const agent = sessions.get(c.req.param("id"));
    if (!agent) return c.json({ error: "unknown session" }, 404);
    const body = await c.req.json<{ text?: unknown }>().catch(() => ({ text: undefined }));
    if (typeof body.text !== "string" || !body.text.trim()) return c.json({ error: "text is required" }, 400);
    const text = body.text;
    return streamSSE(c, async (stream) => {
      let writing = Promise.resolve();
      const unsubscribe = agent.subscribe((event: AgentEvent) => {
        writing = writing.then(() =>
          stream.writeSSE({ event: event.type, data: JSON.stringify(event), id: String(event.seq) }),
        );
      });
      stream.onAbort(() => agent.submit({ type: "interrupt" }));
      try {
        await agent.send(text);
      } finally {
        unsubscribe();
        await writing;
      }
    });
  });

  app.post("/sessions/:id/approvals", async (c) => {
    const agent = sessions.get(c.req.param("id"));
    if (!agent) return c.json({ error: "unknown session" }, 404);
    const body = await c.req.json<{ approvals?: unknown }>().catch(() => ({ approvals: undefined }));
    if (!isApprovalAnswers(body.approvals)) {
      return c.json({ error: "approvals must be [{tool_call_id, decision: approve|reject|always}]" }, 400);
    }
    agent.submit({ type: "exec_approval", approvals: body.approvals });
    return c.body(null, 202);
  });

  app.post("/sessions/:id/interrupt", (c) => {
    const agent = sessions.get(c.req.param("id"));
    if (!agent) return c.json({ error: "unknown session" }, 404);
    agent.submit({ type: "interrupt" });
    return c.body(null, 202);
  });

  app.delete("/sessions/:id", async (c) => {
    const agent = sessions.get(c.req.param("id"));
    if (!agent) return c.json({ error: "unknown session" }, 404);
    sessions.delete(c.req.param("id"));
    await agent.close();
    return c.body(null, 204);
  });

  return app;
}
