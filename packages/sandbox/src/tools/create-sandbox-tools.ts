import type { AnyToolDefinition } from "@ml-intern/tool";
import type { SandboxBackend } from "../backend.ts";
import { MAX_TIMEOUT_SECONDS } from "../core/limits.ts";
import type { RemoteSandboxManager } from "../remote/remote-sandbox-manager.ts";
import { type BackendProvider, fixedBackend } from "./backend-provider.ts";
import bashText from "./bash.txt" with { type: "text" };
import { createBashTool } from "./bash-tool.ts";
import { fillDescription, isolationNote } from "./describe.ts";
import editText from "./edit.txt" with { type: "text" };
import { createEditTool } from "./edit-tool.ts";
import readText from "./read.txt" with { type: "text" };
import { createReadTool } from "./read-tool.ts";
import { createReadTracker, type ReadTracker } from "./read-tracker.ts";
import { createSandboxCreateTool, type TrackioSeeder } from "./sandbox-create-tool.ts";
import writeText from "./write.txt" with { type: "text" };
import { createWriteTool } from "./write-tool.ts";

export type SandboxToolsOptions =
  | {
      mode?: "local";
      /** A backend from createLocalBackend (bubblewrap or unrestricted) or createRemoteBackend. */
      backend: SandboxBackend;
      /** Defaults to 10 h. */
      maxTimeoutSeconds?: number;
    }
  | {
      mode: "remote";
      /** Creates the Space sandbox on first use (cpu-basic) or through sandbox_create. */
      sandboxes: RemoteSandboxManager;
      /** Seeds the Trackio dashboard Space sandbox_create is given (the host binds it to the Hub). */
      seedTrackio?: TrackioSeeder;
      maxTimeoutSeconds?: number;
    };

export interface SandboxTools {
  tools: AnyToolDefinition[];
  /** Per-session record of read files (exposed for hosts that reset a session). */
  tracker: ReadTracker;
  /** Kills running commands (user interrupt). */
  interrupt(): Promise<void>;
  /** Kills everything, background jobs included; deletes an owned Space. Call at session end. */
  dispose(): Promise<void>;
}

const REMOTE_PREFIX =
  "Uses the session's sandbox. A private cpu-basic sandbox is started automatically on first use; call sandbox_create only for GPU or other non-default hardware.\n\n";

/** The bash/read/write/edit tools (plus sandbox_create in remote mode), bound to one session's backend. */
export function createSandboxTools(options: SandboxToolsOptions): SandboxTools {
  const tracker = createReadTracker();
  const remote = options.mode === "remote";
  const provider: BackendProvider = remote ? options.sandboxes : fixedBackend(options.backend);
  const kind = remote ? "remote" : options.backend.kind;
  const ctx = {
    where: remote
      ? "remote sandbox"
      : kind === "local-bwrap" || kind === "local-seatbelt"
        ? "sandboxed workspace"
        : "local machine",
    workspace: remote ? "the sandbox's working directory" : options.backend.workspace,
    maxTimeoutSeconds: options.maxTimeoutSeconds ?? MAX_TIMEOUT_SECONDS,
    isolation: isolationNote(kind),
  };
  const describe = (text: string) => (remote ? REMOTE_PREFIX : "") + fillDescription(text, ctx);
  const tools: AnyToolDefinition[] = [
    createBashTool({ provider, description: describe(bashText), maxTimeoutSeconds: ctx.maxTimeoutSeconds }),
    createReadTool({ provider, tracker, description: describe(readText) }),
    createWriteTool({ provider, tracker, description: describe(writeText) }),
    createEditTool({ provider, tracker, description: describe(editText) }),
  ] as AnyToolDefinition[];
  if (remote)
    tools.push(
      createSandboxCreateTool({
        sandboxes: options.sandboxes,
        ...(options.seedTrackio ? { seedTrackio: options.seedTrackio } : {}),
      }) as AnyToolDefinition,
    );
  return {
    tools,
    tracker,
    async interrupt() {
      if (remote) await options.sandboxes.interrupt();
      else await options.backend.killAll();
    },
    async dispose() {
      if (remote) await options.sandboxes.dispose();
      else await options.backend.dispose();
    },
  };
}
