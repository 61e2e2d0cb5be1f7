// Spawned by session-crash.test.ts: appends messages forever, reporting each completed append on stdout.
import { createRedactor } from "../../src/redact/redactor.ts";
import { createSessionStore } from "../../src/session/session-store.ts";

const [home, sessionId] = process.argv.slice(2);
if (!home || !sessionId) throw new Error("usage: crash-child <home> <session-id>");
const store = createSessionStore({ home, redactor: createRedactor() });
store.create({ model: "test/model", sessionId });
const padding = "x".repeat(3000);
for (let i = 0; ; i++) {
  store.appendMessage(sessionId, { role: "user", content: `message ${i} ${padding}` });
  process.stdout.write(`ok ${i}\n`);
}
