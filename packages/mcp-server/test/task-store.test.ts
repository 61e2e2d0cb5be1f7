import { describe, expect, test } from "bun:test";
import { createMcpTaskStore } from "../src/task-store.ts";

const REQUEST = { method: "tools/call", params: {} };
const done = { content: [{ type: "text", text: "ok" }] };

function clock(start = Date.parse("2026-12-03T10:00:00Z")) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("MCP task store", () => {
  test("a ttl the client leaves out gets the default, a huge one the maximum", async () => {
    const store = createMcpTaskStore({ defaultTtlMs: 1000, maxTtlMs: 5000 });
    expect((await store.createTask({}, 1, REQUEST)).ttl).toBe(1000);
    expect((await store.createTask({ ttl: null }, 2, REQUEST)).ttl).toBe(1000);
    expect((await store.createTask({ ttl: 10 ** 12 }, 3, REQUEST)).ttl).toBe(5000);
    expect((await store.createTask({ ttl: 200 }, 4, REQUEST)).ttl).toBe(200);
  });

  test("one working task too many is refused with what to do; finished ones do not count", async () => {
    const store = createMcpTaskStore({ maxWorkingTasks: 2 });
    const a = await store.createTask({}, 1, REQUEST, "s1");
    await store.createTask({}, 2, REQUEST, "s1");
    await expect(store.createTask({}, 3, REQUEST, "s1")).rejects.toThrow(
      /Too many tasks running \(2\).*tasks\/cancel/,
    );
    await store.storeTaskResult(a.taskId, "completed", done, "s1");
    expect((await store.createTask({}, 4, REQUEST, "s1")).status).toBe("working");
  });

  test("finished tasks expire ttl after they finish; a working task outlives its ttl", async () => {
    const c = clock();
    const store = createMcpTaskStore({ now: c.now });
    const finished = await store.createTask({ ttl: 1000 }, 1, REQUEST);
    const running = await store.createTask({ ttl: 1000 }, 2, REQUEST);
    c.advance(5000);
    await store.storeTaskResult(finished.taskId, "completed", done);
    c.advance(999);
    expect(await store.getTask(finished.taskId)).not.toBeNull();
    c.advance(1);
    expect(await store.getTask(finished.taskId)).toBeNull();
    expect((await store.getTask(running.taskId))?.status).toBe("working");
  });

  test("beyond maxTasks the oldest finished task is dropped", async () => {
    const store = createMcpTaskStore({ maxTasks: 2 });
    const first = await store.createTask({}, 1, REQUEST);
    await store.storeTaskResult(first.taskId, "completed", done);
    const second = await store.createTask({}, 2, REQUEST);
    await store.createTask({}, 3, REQUEST);
    expect(await store.getTask(first.taskId)).toBeNull();
    expect(await store.getTask(second.taskId)).not.toBeNull();
  });

  test("tasks/cancel fires the cancel listener once; the work's later result is kept, the status stays cancelled", async () => {
    const store = createMcpTaskStore();
    const task = await store.createTask({}, 1, REQUEST);
    let fired = 0;
    store.onCancel(task.taskId, () => fired++);
    await store.updateTaskStatus(task.taskId, "cancelled", "Client cancelled task execution.");
    await expect(store.updateTaskStatus(task.taskId, "cancelled")).rejects.toThrow(/already ended/);
    expect(fired).toBe(1);
    const stopped = { content: [{ type: "text", text: "Job 1 cancelled." }], isError: true };
    await store.storeTaskResult(task.taskId, "failed", stopped);
    expect((await store.getTask(task.taskId))?.status).toBe("cancelled");
    expect(await store.getTaskResult(task.taskId)).toEqual(stopped);
  });

  test("progress lines become the statusMessage of a working task only", async () => {
    const store = createMcpTaskStore();
    const task = await store.createTask({}, 1, REQUEST);
    store.setStatusMessage(task.taskId, "epoch 1/3");
    expect((await store.getTask(task.taskId))?.statusMessage).toBe("epoch 1/3");
    await store.storeTaskResult(task.taskId, "completed", done);
    store.setStatusMessage(task.taskId, "late line");
    expect((await store.getTask(task.taskId))?.statusMessage).toBe("epoch 1/3");
  });

  test("another session sees neither the task nor its result; cancelAll stops every working task", async () => {
    const store = createMcpTaskStore();
    const mine = await store.createTask({}, 1, REQUEST, "s1");
    expect(await store.getTask(mine.taskId, "s2")).toBeNull();
    await expect(store.getTaskResult(mine.taskId, "s2")).rejects.toThrow(/not found/);
    expect((await store.listTasks(undefined, "s2")).tasks).toEqual([]);
    expect((await store.listTasks(undefined, "s1")).tasks.map((t) => t.taskId)).toEqual([mine.taskId]);
    let stopped = false;
    store.onCancel(mine.taskId, () => {
      stopped = true;
    });
    expect(store.workingCount()).toBe(1);
    store.cancelAll("The MCP server closed.");
    expect(stopped).toBe(true);
    expect(store.workingCount()).toBe(0);
    expect((await store.getTask(mine.taskId, "s1"))?.statusMessage).toBe("The MCP server closed.");
  });
});
