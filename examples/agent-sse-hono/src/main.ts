/**
 * bun src/main.ts   then:
 *   curl -XPOST localhost:3000/sessions
 *   curl -N -XPOST localhost:3000/sessions/<id>/messages -d '{"text":"Find a small sentiment model"}'
 * Model: ML_INTERN_MODEL (default: ML Intern's default model) with its key (ANTHROPIC_API_KEY, HF_TOKEN, ...).
 */
import { createProvider } from "@ml-intern/core";
import { DEFAULT_MODEL } from "@ml-intern/runtime/model";
import { hfConfigFromEnv } from "@ml-intern/tools-hf";
import { createAgentApp } from "./app.ts";
import { createHfAgent } from "./hf-agent.ts";

const model = process.env.ML_INTERN_MODEL ?? DEFAULT_MODEL;
const provider = await createProvider(model, { env: process.env });
const app = createAgentApp({ createAgent: () => createHfAgent(provider, hfConfigFromEnv(process.env)) });
const server = Bun.serve({ port: Number(process.env.PORT ?? 3000), fetch: app.fetch, idleTimeout: 0 });
process.stderr.write(`ML Intern agent on http://localhost:${server.port} (model ${model})\n`);
