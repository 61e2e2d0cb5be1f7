// Spawned by session-lock.test.ts: claims a session as its writer, says "held", then waits to be killed.
import { createRedactor } from "../../src/redact/redactor.ts";
import { createSessionStore } from "../../src/session/session-store.ts";

const [home, sessionId] = process.argv.slice(2);
if (!home || !sessionId) throw new Error("usage: lock-child <home> <session-id>");
const store = createSessionStore({ home, redactor: createRedactor() });
store.claim(sessionId);
store.appendMessage(sessionId, { role: "user", content: "from the child" });
process.stdout.write("held\n");
setInterval(() => {}, 1000);
