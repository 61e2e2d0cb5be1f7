# syntax=docker/dockerfile:1
# ML Intern MCP server image: `docker build -t ml-intern .` then
#   docker run -p 8080:8080 -e ML_INTERN_MCP_TOKEN=... -e HF_TOKEN=... -e ML_INTERN_MODEL=... ml-intern
# The server listens on 0.0.0.0:8080 (/mcp and /health) and refuses MCP requests without the bearer token.
ARG BUN_VERSION=1.4.5

# ---- deps: production dependencies of the workspace, resolved from the lockfile ----
FROM oven/bun:${BUN_VERSION}-slim AS deps
WORKDIR /app
COPY . .
RUN bun install --frozen-lockfile --production --ignore-scripts \
 && rm -rf /root/.bun/install/cache

# ---- runtime: source + node_modules only, running as the unprivileged `bun` user ----
FROM oven/bun:${BUN_VERSION}-slim AS runtime
ENV NODE_ENV=production \
    HOME=/home/bun \
    HF_HUB_DISABLE_PROGRESS_BARS=1
WORKDIR /app
# Owned by root and read-only for the server; its writable state lives in $HOME.
COPY --from=deps /app /app
USER bun
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bun", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["bun", "/app/apps/cli/src/main.ts"]
CMD ["mcp", "--transport", "http", "--host", "0.0.0.0", "--port", "8080"]
