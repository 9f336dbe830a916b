import { describeValue } from "../core/index.js";
import { isRecord, unknownKeys } from "./config-checks.js";
import type { Fail } from "./config-checks.js";

/** The remote cache a config file names: where it is, never how to get in. */
export interface RemoteCacheConfig {
  /** The API's base, `https://…`; `--remote-cache` and PAREX_REMOTE_CACHE_URL win over it. */
  readonly url?: string;
  /** `team_…` id or slug; `--team` and PAREX_REMOTE_CACHE_TEAM win over it. */
  readonly team?: string;
}

/** Secrets a committed file must not hold, and where each goes instead. */
const secrets: Readonly<Record<string, string>> = {
  token: "set PAREX_REMOTE_CACHE_TOKEN where parex runs (or pass --token TOKEN)",
  signatureKey: "set PAREX_REMOTE_CACHE_SIGNATURE_KEY where parex runs",
};

/**
 * `remoteCache: { url, team }`. A token (or signing key) there is refused, saying where it
 * goes instead: a config file is committed, and anyone who reads the repository would have it.
 */
export function validateRemoteCache(value: unknown, fail: Fail): RemoteCacheConfig {
  if (!isRecord(value)) {
    return fail(
      "remoteCache",
      `Invalid remoteCache @: expected { "url": "https://…", "team": "…" }, got ${describeValue(value)}.`,
    );
  }
  for (const [key, instead] of Object.entries(secrets)) {
    if (key in value)
      fail(
        `remoteCache.${key}`,
        `The remote cache's ${key} cannot be in the config file @: the file is committed, and anyone who reads it would have the ${key}. Remove it, and ${instead}.`,
      );
  }
  unknownKeys(value, ["url", "team"], "remoteCache", fail);
  const { url, team } = value;
  if (url !== undefined && !isHttpUrl(url))
    fail(
      "remoteCache.url",
      `Invalid remoteCache.url @: expected the API's base, an http:// or https:// URL like "https://cache.example.com", got ${describeValue(url)}.`,
    );
  if (team !== undefined && !(typeof team === "string" && team.trim() !== ""))
    fail(
      "remoteCache.team",
      `Invalid remoteCache.team @: expected a team_… id or a slug, got ${describeValue(team)}.`,
    );
  return {
    ...(url === undefined ? {} : { url }),
    ...(team === undefined ? {} : { team: team.trim() }),
  };
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
