/**
 * macOS: the Seatbelt profile (sandbox-exec's SBPL) for commands. Generated here and unit-tested; executing
 * it needs macOS, which CI does not have.
 *
 * The profile allows everything by default and then narrows: writes only to the workspace, the private
 * home and /tmp of the session, and the usual devices; the real home unreadable (the workspace and the
 * private home re-allowed); protected workspace paths (.env, .git/hooks, our config) not writable; network
 * off, or only to the allowlist proxy on loopback. Later rules win in SBPL.
 */
export interface SeatbeltLayout {
  workspace: string;
  /** The user's real home, hidden (omitted when there is none). */
  home?: string;
  /** Session-private directories that commands may write (private home, tmp, spill files). */
  writable: readonly string[];
  /** Paths inside the workspace that stay read-only. */
  protectedPaths: readonly string[];
  network: "on" | "off" | { proxyPort: number };
}

/** SBPL string literal. */
const lit = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

export function buildSeatbeltProfile(layout: SeatbeltLayout): string {
  const lines = ["(version 1)", "(allow default)", "(deny file-write*)"];
  const writable = [layout.workspace, ...layout.writable].map((p) => `(subpath ${lit(p)})`);
  lines.push(
    `(allow file-write* ${writable.join(" ")} (literal "/dev/null") (literal "/dev/zero") (literal "/dev/dtracehelper") (regex #"^/dev/tty") (regex #"^/dev/fd/"))`,
  );
  if (layout.home) {
    lines.push(`(deny file-read* (subpath ${lit(layout.home)}))`);
    const readable = [layout.workspace, ...layout.writable].filter((p) => p.startsWith(`${layout.home}/`));
    if (readable.length)
      lines.push(`(allow file-read* ${readable.map((p) => `(subpath ${lit(p)})`).join(" ")})`);
  }
  if (layout.protectedPaths.length) {
    lines.push(`(deny file-write* ${layout.protectedPaths.map((p) => `(subpath ${lit(p)})`).join(" ")})`);
  }
  if (layout.network !== "on") {
    lines.push("(deny network*)");
    // Unix sockets of local daemons stay closed too; only the allowlist proxy on loopback is reachable.
    if (typeof layout.network === "object") {
      lines.push(`(allow network-outbound (remote tcp ${lit(`localhost:${layout.network.proxyPort}`)}))`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The argv prefix that runs a command under the profile. */
export function seatbeltArgv(sandboxExec: string, profile: string): string[] {
  return [sandboxExec, "-p", profile];
}
