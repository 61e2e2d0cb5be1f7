import { createRepo, downloadFile, HubApiError, uploadFiles } from "@huggingface/hub";
import type { HfConfig } from "../config.ts";
import { createHfCall, type HfCall } from "../hf-call.ts";
import { createHfCallDeps } from "../hf-deps.ts";
import type { FetchLike } from "../http/hf-http.ts";

/** Where a training run reports to, as hosts show it (an embedded dashboard). */
export interface TrackioDashboard {
  spaceId: string;
  project?: string;
  /** The Space page hosting the dashboard. */
  url: string;
}

export interface TrackioSeedResult {
  dashboard: TrackioDashboard;
  /** "created": a new Space; "seeded": the app was (re)written; "ready": it already showed trackio; "failed". */
  status: "created" | "seeded" | "ready" | "failed";
  error?: string;
}

const README = `---
title: Trackio Dashboard
emoji: 📈
colorFrom: yellow
colorTo: purple
sdk: gradio
app_file: app.py
pinned: false
tags:
  - trackio
---

Training metrics logged with [Trackio](https://github.com/gradio-app/trackio), seeded by ML Intern.
`;

// No hf_oauth in the card: the dashboard must render in an iframe without a login.
const APP = `import trackio

trackio.show()
`;

const REQUIREMENTS = "trackio\n";

export const isValidSpaceId = (id: string): boolean => /^[\w.-]+\/[\w.-]+$/.test(id);

/**
 * Makes `spaceId` a Gradio Space that shows trackio: creates it when missing, and writes README.md,
 * requirements.txt and app.py unless its app.py already calls `trackio.show`. Never throws: a failure is
 * reported (the job still runs; trackio logs locally and syncs when it can).
 */
export async function seedTrackioSpace(
  call: HfCall,
  spaceId: string,
  project: string | undefined,
  log: (message: string) => void,
): Promise<TrackioSeedResult> {
  const dashboard: TrackioDashboard = {
    spaceId,
    ...(project ? { project } : {}),
    url: `${call.config.hubUrl}/spaces/${spaceId}`,
  };
  const repo = { type: "space" as const, name: spaceId };
  const accessToken = call.token ?? "";
  try {
    let created = false;
    try {
      await createRepo({ ...call.hub, accessToken, repo, sdk: "gradio", visibility: "public" });
      created = true;
      log(`Created the Trackio dashboard Space ${spaceId}.`);
    } catch (error) {
      if (!(error instanceof HubApiError && error.statusCode === 409)) throw error;
    }
    if (!created) {
      const app = await downloadFile({ ...call.hub, accessToken, repo, path: "app.py", xet: false }).catch(
        () => null,
      );
      if (app && (await app.text()).includes("trackio.show")) {
        return { dashboard, status: "ready" };
      }
    }
    await uploadFiles({
      ...call.hub,
      accessToken,
      repo,
      files: [
        { path: "README.md", content: new Blob([README]) },
        { path: "requirements.txt", content: new Blob([REQUIREMENTS]) },
        { path: "app.py", content: new Blob([APP]) },
      ],
      commitTitle: "Seed the Trackio dashboard",
      useXet: false,
    });
    log(`Seeded the Trackio dashboard at ${dashboard.url}.`);
    return { dashboard, status: created ? "created" : "seeded" };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\.\s*URL: .*$/s, "") : String(error);
    log(`Could not prepare the Trackio dashboard ${spaceId}: ${message}`);
    return { dashboard, status: "failed", error: message };
  }
}

/** A seeder bound to the Hub (config and token), for tools outside tools-hf (sandbox_create). */
export function createTrackioSeeder(options: {
  config: HfConfig;
  fetch?: FetchLike;
}): (request: {
  spaceId: string;
  project?: string;
  signal: AbortSignal;
  log: (message: string) => void;
}) => Promise<TrackioSeedResult & { url: string }> {
  const deps = createHfCallDeps({
    config: options.config,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return async (request) => {
    const call = createHfCall(deps, { signal: request.signal });
    if (!call.token) {
      const dashboard = {
        spaceId: request.spaceId,
        url: `${options.config.hubUrl}/spaces/${request.spaceId}`,
      };
      return { dashboard, status: "failed", error: "no HF token configured", url: dashboard.url };
    }
    const result = await seedTrackioSpace(call, request.spaceId, request.project, request.log);
    return { ...result, url: result.dashboard.url };
  };
}
