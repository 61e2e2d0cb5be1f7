import { describe, expect, test } from "bun:test";
import { hfConfigFromEnv } from "../src/config.ts";
import { isHfUrl } from "../src/http/hf-hosts.ts";

describe("hfConfigFromEnv", () => {
  test("defaults and overrides", () => {
    const d = hfConfigFromEnv({});
    expect(d.hubUrl).toBe("https://huggingface.co");
    expect(d.token).toBeUndefined();
    const c = hfConfigFromEnv({
      HF_TOKEN: "hf_x",
      HF_ENDPOINT: "http://127.0.0.1:9/",
      HF_DATASETS_SERVER_URL: "http://ds",
      ML_INTERN_S2_URL: "http://s2",
      ML_INTERN_ARXIV_URL: "http://ax",
      HF_ROUTER_URL: "http://r/v1",
    });
    expect(c).toMatchObject({
      token: "hf_x",
      hubUrl: "http://127.0.0.1:9",
      docsUrl: "http://127.0.0.1:9",
      datasetsServerUrl: "http://ds",
      s2Url: "http://s2",
      arxivUrl: "http://ax",
      routerUrl: "http://r/v1",
    });
  });

  test("HF hosts: https huggingface.co/hf.co and configured origins only", () => {
    const c = hfConfigFromEnv({ HF_ENDPOINT: "http://127.0.0.1:9" });
    expect(isHfUrl("https://huggingface.co/docs", c)).toBe(true);
    expect(isHfUrl("https://cdn-lfs.hf.co/x", c)).toBe(true);
    expect(isHfUrl("http://127.0.0.1:9/api", c)).toBe(true);
    expect(isHfUrl("http://127.0.0.1:10/api", c)).toBe(false);
    expect(isHfUrl("https://huggingface.co.evil.com/", c)).toBe(false);
    expect(isHfUrl("http://huggingface.co/", c)).toBe(false);
  });
});
