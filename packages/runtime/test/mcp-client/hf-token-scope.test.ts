import { describe, expect, test } from "bun:test";
import { isHuggingFaceUrl } from "@ml-intern/tools-hf/hosts";
import { remoteHeaders } from "../../src/mcp-client/connect-server.ts";
import { contentToText } from "../../src/mcp-client/content.ts";
import { mcpToolName } from "../../src/mcp-client/tool-name.ts";

describe("the HF token goes only to Hugging Face hosts", () => {
  test("host classification", () => {
    expect(isHuggingFaceUrl("https://huggingface.co/mcp?login")).toBe(true);
    expect(isHuggingFaceUrl("https://router.huggingface.co/v1")).toBe(true);
    expect(isHuggingFaceUrl("https://hf.co/mcp")).toBe(true);
    expect(isHuggingFaceUrl("http://huggingface.co/mcp")).toBe(false);
    expect(isHuggingFaceUrl("https://huggingface.co.evil.com/mcp")).toBe(false);
    expect(isHuggingFaceUrl("https://evil.com/huggingface.co")).toBe(false);
    expect(isHuggingFaceUrl("http://127.0.0.1:4000/mcp", { origins: ["http://127.0.0.1:4000"] })).toBe(true);
    expect(isHuggingFaceUrl("http://127.0.0.1:4001/mcp", { origins: ["http://127.0.0.1:4000"] })).toBe(false);
  });

  test("a Space gets the token only when it is the user's own (their namespaces) or configured explicitly", () => {
    const mine = { spaceNamespaces: ["alice", "My_Org"] };
    expect(isHuggingFaceUrl("https://someone-tool.hf.space/mcp")).toBe(false);
    expect(isHuggingFaceUrl("https://someone-tool.hf.space/mcp", mine)).toBe(false);
    expect(isHuggingFaceUrl("https://alice-tool.hf.space/mcp", mine)).toBe(true);
    expect(isHuggingFaceUrl("https://my-org-server.hf.space/mcp", mine)).toBe(true);
    expect(isHuggingFaceUrl("http://alice-tool.hf.space/mcp", mine)).toBe(false);
    expect(isHuggingFaceUrl("https://alice-tool.hf.space.evil.com/mcp", mine)).toBe(false);
    expect(isHuggingFaceUrl("https://x.alice-tool.hf.space/mcp", mine)).toBe(false);
    expect(isHuggingFaceUrl("https://bob-box.hf.space/", { spaceHosts: ["bob-box.hf.space"] })).toBe(true);
  });

  test("remote headers", () => {
    expect(remoteHeaders("https://huggingface.co/mcp", {}, "hf_secret")).toEqual({
      Authorization: "Bearer hf_secret",
    });
    expect(remoteHeaders("https://example.com/mcp", { X: "1" }, "hf_secret")).toEqual({ X: "1" });
    expect(
      remoteHeaders("https://huggingface.co/mcp", { authorization: "Bearer mine" }, "hf_secret"),
    ).toEqual({
      authorization: "Bearer mine",
    });
    expect(remoteHeaders("https://someone-tool.hf.space/mcp", {}, "hf_secret")).toEqual({});
    expect(
      remoteHeaders("https://alice-tool.hf.space/mcp", {}, "hf_secret", { spaceNamespaces: ["alice"] }),
    ).toEqual({ Authorization: "Bearer hf_secret" });
  });
});

describe("naming and content", () => {
  test("tool names are namespaced, sanitised and at most 64 characters", () => {
    expect(mcpToolName("github", "search_code")).toBe("mcp__github__search_code");
    expect(mcpToolName("my server", "do.thing")).toBe("mcp__my_server__do_thing");
    const long = mcpToolName("a-very-long-server-name", "an_extremely_long_tool_name_that_goes_on_and_on");
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).not.toBe(
      mcpToolName("a-very-long-server-name", "an_extremely_long_tool_name_that_goes_on_and_XX"),
    );
  });

  test("content blocks become text; binary data becomes a marker", () => {
    expect(
      contentToText([
        { type: "text", text: "hello" },
        { type: "image", mimeType: "image/png" },
        { type: "resource", resource: { uri: "file:///a", text: "inline" } },
        { type: "resource", resource: { uri: "file:///b", blob: "AAA", mimeType: "application/zip" } },
      ]),
    ).toBe("hello\n[Image: image/png]\ninline\n[Binary data: application/zip]");
    expect(contentToText([])).toBe("");
  });
});
