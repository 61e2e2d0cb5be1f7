import { whoAmI } from "@huggingface/hub";
import type { HfCall, HfToolDeps } from "../hf-call.ts";

export interface WhoamiInfo {
  name: string;
  fullname?: string;
  type: string;
  isPro?: boolean;
  canPay?: boolean;
  orgs: { name: string; role?: string }[];
  tokenName?: string;
  tokenRole?: string;
}

interface RawWhoami {
  type?: string;
  name?: string;
  fullname?: string;
  isPro?: boolean;
  canPay?: boolean;
  orgs?: { name?: string; roleInOrg?: string }[];
  auth?: { accessToken?: { displayName?: string; role?: string } };
}

/** whoami-v2, cached per token for the life of the tool set (the endpoint is strictly rate-limited). */
export async function getWhoami(deps: HfToolDeps, call: HfCall): Promise<WhoamiInfo> {
  const token = call.token;
  if (!token)
    throw new Error("Not logged in: set HF_TOKEN to a token from https://huggingface.co/settings/tokens.");
  let pending = deps.whoamiCache.get(token);
  if (!pending) {
    pending = whoAmI({ ...call.hub, accessToken: token });
    deps.whoamiCache.set(token, pending);
    pending.catch(() => deps.whoamiCache.delete(token));
  }
  const raw = (await pending) as RawWhoami;
  return {
    name: raw.name ?? "",
    type: raw.type ?? "user",
    ...(raw.fullname ? { fullname: raw.fullname } : {}),
    ...(raw.isPro !== undefined ? { isPro: raw.isPro } : {}),
    ...(raw.canPay !== undefined ? { canPay: raw.canPay } : {}),
    orgs: (raw.orgs ?? []).map((o) => ({
      name: o.name ?? "",
      ...(o.roleInOrg ? { role: o.roleInOrg } : {}),
    })),
    ...(raw.auth?.accessToken?.displayName ? { tokenName: raw.auth.accessToken.displayName } : {}),
    ...(raw.auth?.accessToken?.role ? { tokenRole: raw.auth.accessToken.role } : {}),
  };
}
