import { PassThrough, type Readable, Writable } from "node:stream";
import { initializeResult } from "./server-identity.ts";

export interface EarlyStdio {
  /** Everything the client sent, the first message included, for the real transport. */
  stdin: PassThrough;
  /** Forwards to the real stdout, minus the SDK's duplicate answer to an initialize already answered. */
  stdout: Writable;
  /** True when `initialize` was answered before the SDK loaded. */
  answered: boolean;
}

/**
 * The stdio fast path: answers the client's first message, when it is `initialize`, before the MCP SDK
 * and the tool catalog are loaded (the SDK's import alone takes longer than a client should wait).
 * The message is still replayed to the real server, which records the client's capabilities; its
 * identical reply is dropped. Later messages wait in a buffer until the server is up.
 */
export function acceptEarlyInitialize(
  input: Readable = process.stdin,
  output: Writable = process.stdout,
  instructions?: string,
): Promise<EarlyStdio> {
  return new Promise((resolve) => {
    const stdin = new PassThrough();
    let suppressId: string | number | undefined;
    let head = "";
    let settled = false;
    const stdout = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        if (suppressId !== undefined) {
          try {
            const message = JSON.parse(chunk.toString()) as { id?: unknown; result?: unknown };
            if (message.id === suppressId && message.result !== undefined) {
              suppressId = undefined;
              callback();
              return;
            }
          } catch {
            // Not a single JSON message: forward it.
          }
        }
        output.write(chunk, (error) => callback(error ?? null));
      },
    });
    const finish = (answered: boolean) => {
      if (settled) return;
      settled = true;
      input.off("data", onData);
      input.off("end", onEnd);
      stdin.write(head);
      input.pipe(stdin);
      resolve({ stdin, stdout, answered });
    };
    const onEnd = () => {
      finish(false);
      stdin.end();
    };
    const onData = (chunk: Buffer | string) => {
      head += chunk.toString();
      const newline = head.indexOf("\n");
      if (newline < 0) return;
      let answered = false;
      try {
        const message = JSON.parse(head.slice(0, newline)) as {
          jsonrpc?: string;
          id?: string | number;
          method?: string;
          params?: { protocolVersion?: unknown };
        };
        if (message.method === "initialize" && message.id !== undefined && message.jsonrpc === "2.0") {
          const reply = {
            result: initializeResult(message.params?.protocolVersion, instructions),
            jsonrpc: "2.0",
            id: message.id,
          };
          output.write(`${JSON.stringify(reply)}\n`);
          suppressId = message.id;
          answered = true;
        }
      } catch {
        // Leave malformed input to the real transport, which reports it.
      }
      finish(answered);
    };
    input.on("data", onData);
    input.on("end", onEnd);
  });
}
