import type { HfCall } from "../hf-call.ts";
import { httpErrorFromResponse } from "../http/http-error.ts";
import type { RepoRef } from "./repo-ref.ts";

/** How many leading bytes decide "binary" (a NUL or invalid UTF-8 there), as git and most editors do. */
const SNIFF_BYTES = 8192;

export type RangeRead =
  | { kind: "missing" }
  | { kind: "past-end"; size: number }
  | { kind: "binary"; size: number | undefined }
  | {
      kind: "text";
      text: string;
      /** Byte offset of `text` (moved forward past a split UTF-8 character). */
      offset: number;
      size: number | undefined;
      /** Where the next page starts; undefined at the end of the file. */
      nextOffset: number | undefined;
    };

function resolveUrl(call: HfCall, ref: RepoRef, revision: string, path: string): string {
  const prefix = ref.type === "model" ? "" : `${ref.type}s/`;
  const encodedPath = path.split("/").map(encodeURIComponent).join("/");
  return `${call.config.hubUrl}/${prefix}${ref.id}/resolve/${encodeURIComponent(revision)}/${encodedPath}`;
}

/** The total size from `Content-Range: bytes 0-99/1234` (or the 416 form with a star). */
function totalFromContentRange(header: string | null): number | undefined {
  const m = header ? /\/(\d+)\s*$/.exec(header) : null;
  return m ? Number(m[1]) : undefined;
}

/** Reads at most `max` bytes of a body and cancels the rest, so a server that ignores Range costs no more. */
async function readAtMost(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const out = new Uint8Array(Math.min(length, max));
  let at = 0;
  for (const chunk of chunks) {
    const take = Math.min(chunk.byteLength, out.byteLength - at);
    out.set(chunk.subarray(0, take), at);
    at += take;
    if (at >= out.byteLength) break;
  }
  return out;
}

/** Bytes to drop from the end so the chunk does not end inside a UTF-8 sequence. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, bytes.byteLength); back++) {
    const b = bytes[bytes.byteLength - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Reads `limit` bytes of a repo file from `offset` with an HTTP Range request, so a multi-GB checkpoint costs one
 * small request; binary is decided from the first bytes returned.
 */
export async function readFileRange(
  call: HfCall,
  ref: RepoRef,
  options: { path: string; revision: string; offset: number; limit: number },
): Promise<RangeRead> {
  const url = resolveUrl(call, ref, options.revision, options.path);
  const { offset, limit } = options;
  const response = await call.http.request(url, {
    headers: { accept: "*/*", range: `bytes=${offset}-${offset + limit - 1}` },
    // LFS and Xet files redirect to a CDN; the client drops the token on any non-HF host.
    allowRedirect: () => true,
  });
  if (response.status === 404 && response.headers.get("x-error-code") === "EntryNotFound") {
    await response.body?.cancel();
    return { kind: "missing" };
  }
  if (response.status === 416) {
    await response.body?.cancel();
    const total = totalFromContentRange(response.headers.get("content-range")) ?? 0;
    if (total === 0 && offset === 0)
      return { kind: "text", text: "", offset: 0, size: 0, nextOffset: undefined };
    return { kind: "past-end", size: total };
  }
  if (!response.ok) throw await httpErrorFromResponse(response, url);
  let bytes: Uint8Array;
  let size: number | undefined;
  if (response.status === 206) {
    size = totalFromContentRange(response.headers.get("content-range"));
    bytes = await readAtMost(response.body, limit);
  } else {
    // The server ignored Range: read only up to the end of the wanted window, then stop.
    const length = response.headers.get("content-length");
    size = length ? Number(length) : undefined;
    bytes = (await readAtMost(response.body, offset + limit)).subarray(offset);
    if (size !== undefined && offset >= size && size > 0) return { kind: "past-end", size };
  }
  const sniff = bytes.subarray(0, SNIFF_BYTES);
  if (sniff.includes(0)) return { kind: "binary", size };
  let skip = 0;
  if (offset > 0) while (skip < 3 && skip < bytes.byteLength && (bytes[skip]! & 0xc0) === 0x80) skip++;
  const end = offset + bytes.byteLength;
  const atEnd = size !== undefined ? end >= size : bytes.byteLength < limit;
  const usable = bytes.subarray(skip, bytes.byteLength - (atEnd ? 0 : incompleteTail(bytes)));
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(usable);
  } catch {
    return { kind: "binary", size };
  }
  const next = offset + skip + usable.byteLength;
  return {
    kind: "text",
    text,
    offset: offset + skip,
    size,
    nextOffset: atEnd && next >= end ? undefined : next,
  };
}
