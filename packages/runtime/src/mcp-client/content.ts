/** A content block of an MCP tool result, as far as this host reads it. */
export interface McpContentBlock {
  type: string;
  text?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string; blob?: string; mimeType?: string };
}

/** Renders MCP result content as text for the model: text kept, binary replaced by a short marker. */
export function contentToText(content: readonly McpContentBlock[] | undefined): string {
  if (!content?.length) return "";
  return content
    .map((block) => {
      switch (block.type) {
        case "text":
          return block.text ?? "";
        case "image":
          return `[Image: ${block.mimeType ?? "unknown"}]`;
        case "audio":
          return `[Audio: ${block.mimeType ?? "unknown"}]`;
        case "resource": {
          const r = block.resource;
          if (r?.text !== undefined) return r.text;
          if (r?.blob !== undefined) return `[Binary data: ${r.mimeType ?? "unknown"}]`;
          return `[Resource: ${r?.uri ?? "unknown"}]`;
        }
        case "resource_link":
          return `[Resource link: ${block.name ?? ""} ${block.uri ?? "unknown"}]`.replace("  ", " ");
        default:
          return JSON.stringify(block);
      }
    })
    .join("\n");
}
