const HF_DOMAINS = ["huggingface.co", "hf.co", "hf.space"];

/**
 * True when the URL belongs to Hugging Face (huggingface.co, hf.co and their subdomains, or the
 * configured Hub endpoint such as a private Hub or a test server): the only hosts that may receive
 * the user's HF token.
 */
export function isHuggingFaceUrl(url: string | URL, hubUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.toLowerCase();
  if (HF_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
    return parsed.protocol === "https:";
  }
  if (hubUrl) {
    try {
      const hub = new URL(hubUrl);
      return hub.host.toLowerCase() === parsed.host.toLowerCase() && hub.protocol === parsed.protocol;
    } catch {
      return false;
    }
  }
  return false;
}
