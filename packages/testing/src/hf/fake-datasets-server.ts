/** A fake of the dataset viewer API (datasets-server): is-valid, splits, info, first-rows, rows, parquet, size. */
import { type FakeServer, jsonResponse, startFakeServer } from "../http/fake-server.ts";

export interface FakeDatasetConfig {
  /** split name → rows */
  splits: Record<string, Record<string, unknown>[]>;
  /** column → datasets feature type, e.g. {"dtype":"string","_type":"Value"}. Inferred from rows when omitted. */
  features?: Record<string, Record<string, unknown>>;
}

export interface FakeDataset {
  id: string;
  configs: Record<string, FakeDatasetConfig>;
  /** Private or gated: requires one of `allowedTokens`. */
  restricted?: boolean;
  allowedTokens?: string[];
  /** Capability flags reported by /is-valid (default all true). */
  capabilities?: Partial<Record<"preview" | "viewer" | "search" | "filter" | "statistics", boolean>>;
}

export interface FakeDatasetsServer {
  url: string;
  server: FakeServer;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const NOT_ACCESSIBLE =
  "The dataset does not exist, or is not accessible without authentication (private or gated). Please check the spelling of the dataset name or retry with authentication.";

function error(status: number, message: string, code: string): Response {
  return jsonResponse(
    { error: message },
    { status, headers: { "x-error-code": code, "cache-control": "no-cache" } },
  );
}

function inferType(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { dtype: "string", _type: "Value" };
  if (typeof value === "number")
    return { dtype: Number.isInteger(value) ? "int64" : "float64", _type: "Value" };
  if (typeof value === "boolean") return { dtype: "bool", _type: "Value" };
  if (Array.isArray(value)) return { feature: inferType(value[0]), _type: "List" };
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inferType(v)]));
  }
  return { dtype: "null", _type: "Value" };
}

function featuresOf(config: FakeDatasetConfig): Record<string, Record<string, unknown>> {
  if (config.features) return config.features;
  const first = Object.values(config.splits)[0]?.[0] ?? {};
  return Object.fromEntries(Object.entries(first).map(([k, v]) => [k, inferType(v)]));
}

function featureList(config: FakeDatasetConfig) {
  return Object.entries(featuresOf(config)).map(([name, type], feature_idx) => ({ feature_idx, name, type }));
}

export async function startFakeDatasetsServer(datasets: FakeDataset[]): Promise<FakeDatasetsServer> {
  const byId = new Map(datasets.map((d) => [d.id, d]));
  let base = "";
  const server = await startFakeServer((request, recorded) => {
    const q = recorded.url.searchParams;
    const id = q.get("dataset");
    if (!id) return error(422, "Parameter 'dataset' is required", "MissingRequiredParameter");
    const dataset = byId.get(id);
    const token = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
    if (!dataset) return error(404, NOT_ACCESSIBLE, "ResponseNotFound");
    if (dataset.restricted && !(token && dataset.allowedTokens?.includes(token))) {
      return token
        ? error(404, NOT_ACCESSIBLE, "ExternalAuthenticatedError")
        : error(401, NOT_ACCESSIBLE, "ExternalUnauthenticatedError");
    }
    const configName = q.get("config");
    const splitName = q.get("split");
    const config = configName ? dataset.configs[configName] : undefined;
    if (configName && !config) return error(404, "Not found.", "ResponseNotFound");
    const hubBase = base;
    switch (recorded.path) {
      case "/is-valid":
        return jsonResponse({
          preview: true,
          viewer: true,
          search: true,
          filter: true,
          statistics: true,
          ...dataset.capabilities,
        });
      case "/splits":
        return jsonResponse({
          splits: Object.entries(dataset.configs)
            .filter(([name]) => !configName || name === configName)
            .flatMap(([name, c]) =>
              Object.keys(c.splits).map((split) => ({ dataset: id, config: name, split })),
            ),
          pending: [],
          failed: [],
        });
      case "/info": {
        const info = (name: string, c: FakeDatasetConfig) => ({
          description: "",
          citation: "",
          homepage: "",
          license: "",
          features: featuresOf(c),
          builder_name: "parquet",
          config_name: name,
          version: { version_str: "0.0.0", major: 0, minor: 0, patch: 0 },
          splits: Object.fromEntries(
            Object.entries(c.splits).map(([s, rows]) => [
              s,
              {
                name: s,
                num_bytes: JSON.stringify(rows).length,
                num_examples: rows.length,
                dataset_name: id.split("/")[1],
              },
            ]),
          ),
          download_size: 1000,
          dataset_size: 2000,
        });
        if (config && configName)
          return jsonResponse({
            dataset_info: info(configName, config),
            pending: [],
            failed: [],
            partial: false,
          });
        return jsonResponse({
          dataset_info: Object.fromEntries(Object.entries(dataset.configs).map(([n, c]) => [n, info(n, c)])),
          pending: [],
          failed: [],
          partial: false,
        });
      }
      case "/first-rows":
      case "/rows": {
        if (!config || !splitName) {
          return error(
            422,
            "Parameters 'dataset', 'config' and 'split' are required",
            "MissingRequiredParameter",
          );
        }
        const rows = config.splits[splitName];
        if (!rows) return error(404, "Not found.", "ResponseNotFound");
        const offset = Number(q.get("offset") ?? 0);
        const length = Math.min(Number(q.get("length") ?? 100), 100);
        const slice = recorded.path === "/rows" ? rows.slice(offset, offset + length) : rows.slice(0, 100);
        const start = recorded.path === "/rows" ? offset : 0;
        const body = {
          features: featureList(config),
          rows: slice.map((row, i) => ({ row_idx: start + i, row, truncated_cells: [] })),
        };
        return jsonResponse(
          recorded.path === "/rows"
            ? { ...body, num_rows_total: rows.length, num_rows_per_page: 100, partial: false }
            : { dataset: id, config: configName, split: splitName, ...body, truncated: rows.length > 100 },
        );
      }
      case "/parquet":
        return jsonResponse({
          parquet_files: Object.entries(dataset.configs)
            .filter(([name]) => !configName || name === configName)
            .flatMap(([name, c]) =>
              Object.entries(c.splits).map(([split, rows]) => ({
                dataset: id,
                config: name,
                split,
                url: `${hubBase}/datasets/${id}/resolve/refs%2Fconvert%2Fparquet/${name}/${split}/0000.parquet`,
                filename: "0000.parquet",
                size: 1024 * (rows.length + 1),
              })),
            ),
          pending: [],
          failed: [],
          partial: false,
        });
      case "/size": {
        const splits = Object.entries(dataset.configs).flatMap(([name, c]) =>
          Object.entries(c.splits).map(([split, rows]) => ({
            dataset: id,
            config: name,
            split,
            num_bytes_original_files: 1000,
            num_bytes_parquet_files: 1024 * (rows.length + 1),
            num_bytes_memory: 2000,
            num_rows: rows.length,
            num_columns: featureList(c).length,
          })),
        );
        const numRows = splits.reduce((n, s) => n + s.num_rows, 0);
        return jsonResponse({
          size: {
            dataset: {
              dataset: id,
              num_bytes_original_files: 1000,
              num_bytes_parquet_files: 1024,
              num_bytes_memory: 2000,
              num_rows: numRows,
              estimated_num_rows: null,
            },
            configs: Object.keys(dataset.configs).map((config) => ({ dataset: id, config })),
            splits,
          },
          pending: [],
          failed: [],
          partial: false,
        });
      }
      default:
        return error(404, "Not found.", "ResponseNotFound");
    }
  });
  base = server.url;
  return {
    url: server.url,
    server,
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
