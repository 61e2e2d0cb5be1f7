import { type ApprovalRequirement, defineTool } from "@ml-intern/tool";
import { estimateHardwareCost, SPACE_HARDWARE_PRICES_USD_PER_HOUR } from "@ml-intern/tools-hf/pricing";
import { z } from "zod";
import { DEFAULT_SANDBOX_HARDWARE, type RemoteSandboxManager } from "../remote/remote-sandbox-manager.ts";
import { SandboxCreationCancelledError } from "../remote/space-provisioner.ts";
import { renderError } from "./render-error.ts";
import description from "./sandbox-create.txt" with { type: "text" };

const HARDWARE = Object.keys(SPACE_HARDWARE_PRICES_USD_PER_HOUR) as [string, ...string[]];

const input = z
  .object({
    hardware: z
      .enum(HARDWARE)
      .optional()
      .describe("Space hardware flavour, e.g. t4-small, a10g-small, a100-large; default cpu-basic."),
    trackio_space_id: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, "use 'owner/name'")
      .optional()
      .describe(
        "A Space ('<username>/ml-intern-<8 chars>') for the Trackio dashboard of runs in the sandbox; created/seeded first and set as TRACKIO_SPACE_ID.",
      ),
    trackio_project: z.string().optional().describe("Trackio project name, set as TRACKIO_PROJECT."),
  })
  .strict();

/** Creates or seeds a Trackio dashboard Space (the host injects the Hub-side implementation). */
export type TrackioSeeder = (request: {
  spaceId: string;
  project?: string;
  signal: AbortSignal;
  log: (message: string) => void;
}) => Promise<{ url: string; status: string; error?: string }>;

/** Approval for a sandbox on paid hardware: one hour at the Space price. */
export function sandboxCreateApproval(hardware: string | undefined): ApprovalRequirement | null {
  if (!hardware || hardware === DEFAULT_SANDBOX_HARDWARE) return null;
  const cost = estimateHardwareCost(hardware, 1, SPACE_HARDWARE_PRICES_USD_PER_HOUR);
  return {
    kind: "spend",
    reason: `Create a private sandbox Space on ${hardware}${cost === null ? "" : ` (~$${cost.toFixed(2)}/hour)`}, billed while it exists.`,
    estimatedCostUsd: cost,
  };
}

const describeActive = (spaceId: string, hardware: string, url: string) =>
  `${spaceId}\nURL: https://huggingface.co/spaces/${spaceId}\nAPI: ${url}\nHardware: ${hardware}\nVisibility: private`;

export function createSandboxCreateTool(options: {
  sandboxes: RemoteSandboxManager;
  /** Seeds the trackio dashboard before the sandbox starts; without it the Space is only named in the secrets. */
  seedTrackio?: TrackioSeeder;
}) {
  return defineTool({
    name: "sandbox_create",
    description,
    toolset: "sandbox",
    input,
    annotations: {
      title: "Create a remote sandbox",
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    needsApproval: (args) => sandboxCreateApproval(args.hardware),
    async execute(args, ctx) {
      try {
        const spaceId = args.trackio_space_id;
        let trackio: { spaceId: string; project?: string; url: string } | undefined;
        let trackioNote = "";
        if (spaceId) {
          const seeded = options.seedTrackio
            ? await options.seedTrackio({
                spaceId,
                ...(args.trackio_project ? { project: args.trackio_project } : {}),
                signal: ctx.signal,
                log: (m) => ctx.log(m),
              })
            : { url: `https://huggingface.co/spaces/${spaceId}`, status: "not seeded" };
          trackio = {
            spaceId,
            ...(args.trackio_project ? { project: args.trackio_project } : {}),
            url: seeded.url,
          };
          trackioNote = `\nTrackio dashboard: ${seeded.url}${args.trackio_project ? ` (project ${args.trackio_project})` : ""}${seeded.error ? ` — not prepared: ${seeded.error}` : ""}`;
        }
        const secrets = spaceId
          ? {
              TRACKIO_SPACE_ID: spaceId,
              ...(args.trackio_project ? { TRACKIO_PROJECT: args.trackio_project } : {}),
            }
          : undefined;
        const outcome = await options.sandboxes.ensure(args.hardware, ctx.signal, (m) => ctx.log(m), secrets);
        const { space } = outcome.sandbox;
        const structured = {
          spaceId: space.spaceId,
          hardware: space.hardware,
          status: outcome.status,
          ...(trackio ? { trackio } : {}),
        };
        const handle = describeActive(space.spaceId, space.hardware, space.url) + trackioNote;
        if (outcome.status === "created") {
          return {
            text: `Sandbox created: ${handle}\nUse bash/read/write/edit to interact with it.`,
            structured,
          };
        }
        if (outcome.status === "hardware_locked") {
          return {
            text: `Sandbox already active: ${handle}\nRequested hardware: ${outcome.requested}. Hardware cannot be changed by calling sandbox_create again. Delete the existing sandbox first (end the session) if you need a different tier.`,
            structured,
          };
        }
        return {
          text: `Sandbox already active: ${handle}\nUse bash/read/write/edit to interact with it.`,
          structured,
        };
      } catch (error) {
        if (error instanceof SandboxCreationCancelledError || ctx.signal.aborted) {
          return { text: "Sandbox creation cancelled by user.", isError: true };
        }
        return renderError(error, "sandbox_create");
      }
    },
  });
}
