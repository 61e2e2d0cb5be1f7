import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeServer, jsonResponse, startFakeServer } from "@ml-intern/testing/http/fake-server";
import { createGithubClient } from "../../src/github/client.ts";

let elsewhere: FakeServer;
let api: FakeServer;

beforeAll(async () => {
  elsewhere = await startFakeServer(() => jsonResponse([]));
  api = await startFakeServer((request) => {
    const url = new URL(request.url);
    return jsonResponse([{ full_name: "o/r1" }], {
      headers: { link: `<${elsewhere.url}${url.pathname}?page=2>; rel="next"` },
    });
  });
});
afterAll(async () => {
  await api.close();
  await elsewhere.close();
});

describe("createGithubClient", () => {
  test("never follows a pagination link to another host, so the token stays with the API", async () => {
    const octokit = createGithubClient({
      apiUrl: api.url,
      token: "ghp_secret",
      userAgent: "test",
      maxRetryAfterSeconds: 60,
    });
    await expect(octokit.paginate("GET /orgs/{org}/repos", { org: "o", per_page: 1 })).rejects.toThrow(
      "Refusing",
    );
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.headers.get("authorization")).toBe("token ghp_secret");
    expect(elsewhere.requests).toHaveLength(0);
  });
});
