import { describe, expect, test } from "bun:test";
import { DEFAULT_GITHUB_API_URL, DEFAULT_WEB_SEARCH_URL, githubConfigFromEnv } from "../src/config.ts";

describe("githubConfigFromEnv", () => {
  test("defaults: public API, DuckDuckGo, no token, no destinations", () => {
    const config = githubConfigFromEnv({});
    expect(config.apiUrl).toBe(DEFAULT_GITHUB_API_URL);
    expect(config.webSearchUrl).toBe(DEFAULT_WEB_SEARCH_URL);
    expect(config.token).toBeUndefined();
    expect(config.notifyDestinations).toEqual([]);
  });

  test("reads token, Enterprise API URL, search URL and retry cap", () => {
    const config = githubConfigFromEnv({
      GITHUB_TOKEN: " ghp_abc ",
      GITHUB_API_URL: "https://ghe.example.com/api/v3/",
      ML_INTERN_WEB_SEARCH_URL: "http://127.0.0.1:9999/html/",
      ML_INTERN_GITHUB_MAX_RETRY_AFTER: "5",
    });
    expect(config.token).toBe("ghp_abc");
    expect(config.apiUrl).toBe("https://ghe.example.com/api/v3");
    expect(config.webSearchUrl).toBe("http://127.0.0.1:9999/html/");
    expect(config.maxRetryAfterSeconds).toBe(5);
  });

  test("the legacy search variable is honoured; relative or non-http URLs fail fast", () => {
    expect(githubConfigFromEnv({ CLAWD_WEB_SEARCH_BASE_URL: "https://s.example/html/" }).webSearchUrl).toBe(
      "https://s.example/html/",
    );
    expect(() => githubConfigFromEnv({ ML_INTERN_WEB_SEARCH_URL: "/html/" })).toThrow("absolute http(s) URL");
    expect(() => githubConfigFromEnv({ GITHUB_API_URL: "ftp://x" })).toThrow("GITHUB_API_URL");
  });
});
