import type { RemoteCacheOptions } from "../cache/index.js";
import { string, UsageError } from "./args.js";
import type { OptionDocs } from "./usage.js";

/** The flags of `parex run` that name a remote cache; each has a `PAREX_REMOTE_CACHE_*` twin. */
export const remoteCacheFlags: OptionDocs = {
  "remote-cache": {
    type: "string",
    value: "URL",
    help: [
      "also look tasks up in, and upload them to, a remote cache speaking",
      "turbo's API (default: $PAREX_REMOTE_CACHE_URL)",
    ],
  },
  token: {
    type: "string",
    value: "TOKEN",
    help: ["the remote cache's bearer token (default: $PAREX_REMOTE_CACHE_TOKEN)"],
  },
  team: {
    type: "string",
    value: "TEAM",
    help: ["the remote cache's team: team_… id or slug (default: $PAREX_REMOTE_CACHE_TEAM)"],
  },
};

/**
 * The remote cache the flags and the environment name (flags win), or undefined when neither
 * names a URL. A URL that is not http(s), a URL without a token, a token or team flag without
 * a URL, and a bad timeout are usage errors that say the fix.
 */
export function remoteCacheFrom(
  values: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): RemoteCacheOptions | undefined {
  const given = (flag: string, variable: string): string | undefined =>
    nonEmpty(string(values[flag])) ?? nonEmpty(env[variable]);
  const url = given("remote-cache", "PAREX_REMOTE_CACHE_URL");
  if (url === undefined) {
    const orphan = ["token", "team"].find((flag) => values[flag] !== undefined);
    if (orphan !== undefined) {
      throw new UsageError(
        `parex run: --${orphan} is for a remote cache, and none is named. Add --remote-cache URL, or set PAREX_REMOTE_CACHE_URL.`,
      );
    }
    return undefined;
  }
  checkUrl(url);
  const token = given("token", "PAREX_REMOTE_CACHE_TOKEN");
  if (token === undefined) {
    throw new UsageError(
      `parex run: the remote cache ${url} needs a token. Set PAREX_REMOTE_CACHE_TOKEN (or pass --token TOKEN).`,
    );
  }
  const team = given("team", "PAREX_REMOTE_CACHE_TEAM");
  const signatureKey = nonEmpty(env["PAREX_REMOTE_CACHE_SIGNATURE_KEY"]);
  const timeoutMs = timeoutFrom(env["PAREX_REMOTE_CACHE_TIMEOUT_MS"]);
  return {
    url,
    token,
    ...(team === undefined ? {} : { team }),
    ...(signatureKey === undefined ? {} : { signatureKey }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

function checkUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new UsageError(
      `parex run: the remote cache URL must be http:// or https://, got "${url}" (--remote-cache or PAREX_REMOTE_CACHE_URL). Give the API's base, e.g. https://cache.example.com.`,
    );
  }
}

function timeoutFrom(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new UsageError(
      `parex run: PAREX_REMOTE_CACHE_TIMEOUT_MS must be an integer ≥ 1 (milliseconds), got "${text}".`,
    );
  }
  return Number(text);
}

const nonEmpty = (text: string | undefined): string | undefined =>
  text === undefined || text.trim() === "" ? undefined : text.trim();
