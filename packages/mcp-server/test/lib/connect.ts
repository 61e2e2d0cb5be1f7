import { join } from "node:path";
import { FAKE_HF_TOKEN } from "@ml-intern/testing/hf/fake-hub";
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

/** A real SDK client connected in memory to the server. */
export async function connectInMemory(
  server: McpServer,
  options: ClientOptions = {},
): Promise<{ client: Client; close(): Promise<void> }> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test-client", version: "1.0.0" }, options);
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** The real server (`src/bin.ts`) as a stdio child with `args`, its Hub at `hubUrl`, and a client connected to it. */
export async function connectStdio(args: string[], hubUrl: string, name = "stdio-test"): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(import.meta.dir, "..", "..", "src", "bin.ts"), ...args],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      HF_ENDPOINT: hubUrl,
      HF_TOKEN: FAKE_HF_TOKEN,
    },
    stderr: "pipe",
  });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return client;
}
