import { defineTool } from "@ml-intern/core";
import { z } from "zod";

/** A read-only tool that echoes its input, for agent tests. */
export const echoTool = defineTool({
  name: "echo",
  description: "Echo the text back",
  toolset: "test",
  input: z.object({ text: z.string().describe("text to echo") }),
  annotations: { readOnlyHint: true },
  async execute({ text }) {
    return { text: `echo: ${text}` };
  },
});
