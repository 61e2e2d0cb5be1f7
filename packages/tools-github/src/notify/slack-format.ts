/** Converts common markdown to Slack mrkdwn, leaving code and existing Slack entities (<@U1>, <#C1>, <https://…>) untouched. */
export function markdownToSlack(markdown: string): string {
  const pieces = markdown.split(/(```[\s\S]*?```|`[^`\n]+`|<(?:[@#!][^>\s]+|https?:[^>\s]+)>)/g);
  return pieces
    .map((piece, i) => {
      if (i % 2 === 1) return piece;
      return piece
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/(?<!^[ \t]*)>/gm, "&gt;")
        .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, "<$2|$1>")
        .replace(/^#{1,6}\s+(.+)$/gm, "\u0000$1\u0000")
        .replace(/\*\*\*(.+?)\*\*\*/g, "\u0000_$1_\u0000")
        .replace(/\*\*(.+?)\*\*/g, "\u0000$1\u0000")
        .replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)\*(?![*\w])/g, "$1_$2_")
        .replace(/\u0000/g, "*")
        .replace(/~~(.+?)~~/g, "~$1~");
    })
    .join("");
}
