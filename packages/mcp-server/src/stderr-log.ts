/** Writes one line to stderr (stdout belongs to the MCP protocol on stdio). */
export function logToStderr(message: string): void {
  process.stderr.write(`${message}\n`);
}
