import { expect, test } from "bun:test";
import { startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { connectStdio } from "./lib/connect.ts";

test("--read-only still lists and reads repo files and refs; the write and destructive repo tools are gone", async () => {
  await using hub = await startFakeHub({
    repos: [{ id: "alice/model", files: { "config.json": '{"hidden": 8}', "README.md": "# m" } }],
  });
  const client = await connectStdio(
    ["--no-agent", "--read-only", "--toolsets", "hf-repos"],
    hub.url,
    "read-only-test",
  );
  try {
    const tools = (await client.listTools()).tools;
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(["hf_repo_files", "hf_repo_git", "hub_repo_details", "hub_repo_search"]);
    for (const tool of tools)
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    const list = await client.callTool({
      name: "hf_repo_files",
      arguments: { operation: "list", repo_id: "alice/model" },
    });
    expect(list.isError).toBeFalsy();
    expect(JSON.stringify(list.content)).toContain("config.json");
    const read = await client.callTool({
      name: "hf_repo_files",
      arguments: { operation: "read", repo_id: "alice/model", path: "config.json" },
    });
    expect(JSON.stringify(read.content)).toContain('{\\"hidden\\": 8}');
    expect(read.structuredContent).toMatchObject({ path: "config.json", content: '{"hidden": 8}' });
    const refs = await client.callTool({
      name: "hf_repo_git",
      arguments: { operation: "list_refs", repo_id: "alice/model" },
    });
    expect(refs.structuredContent).toMatchObject({ branches: ["main"], tags: [] });
  } finally {
    await client.close();
  }
});
