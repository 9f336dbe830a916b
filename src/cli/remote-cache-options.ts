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
      "turbo's API (default: $PAREX_REMOTE_CACHE_URL, then the config's",
      "remoteCache.url)",
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
    help: [
      "the remote cache's team: team_… id or slug (default:",
      "$PAREX_REMOTE_CACHE_TEAM, then the config's remoteCache.team)",
    ],
  },
};

/** What the flags and the PAREX_REMOTE_CACHE_* variables say (flags win), checked. */
export interface RemoteCacheFlags {
  readonly url?: string;
  readonly token?: string;
  readonly team?: string;
  readonly signatureKey?: string;
  readonly timeoutMs?: number;
  /** The flags given, `--token` and `--team`: without a URL anywhere, they are a mistake. */
  readonly given: readonly string[];
}

/**
 * The remote cache the flags and the environment name (flags win), checked before the config
 * file is read: a URL that is not http(s), a URL given there without a token, and a bad
 * timeout are usage errors that say the fix.
 */
export function remoteCacheFlagsFrom(
  values: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): RemoteCacheFlags {
  const given = (flag: string, variable: string): string | undefined =>
    nonEmpty(string(values[flag])) ?? nonEmpty(env[variable]);
  const url = given("remote-cache", "PAREX_REMOTE_CACHE_URL");
  if (url !== undefined) checkUrl(url);
  const token = given("token", "PAREX_REMOTE_CACHE_TOKEN");
  if (url !== undefined && token === undefined) {
    throw new UsageError(
      `parex run: the remote cache ${url} needs a token. Set PAREX_REMOTE_CACHE_TOKEN (or pass --token TOKEN).`,
    );
  }
  const team = given("team", "PAREX_REMOTE_CACHE_TEAM");
  const signatureKey = nonEmpty(env["PAREX_REMOTE_CACHE_SIGNATURE_KEY"]);
  const timeoutMs = timeoutFrom(env["PAREX_REMOTE_CACHE_TIMEOUT_MS"]);
  return {
    ...(url === undefined ? {} : { url }),
    ...(token === undefined ? {} : { token }),
    ...(team === undefined ? {} : { team }),
    ...(signatureKey === undefined ? {} : { signatureKey }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    given: ["token", "team"].filter((flag) => values[flag] !== undefined),
  };
}

/** The remote cache a run uses, or why the one its config file names is not used. */
export interface RemoteCacheChoice {
  /** Undefined: no remote cache. */
  readonly remote?: RemoteCacheOptions;
  /** Said once on stderr: the config's remote cache has no token here, so it is not used. */
  readonly notice?: string;
}

/**
 * The flags and variables over the config file's `remoteCache` (`file` names it), field by
 * field: each of the URL and the team comes from its flag, else its variable, else the config.
 * The config's URL without a token is not an error (a clone without the team's token still
 * builds): it is not used, and the notice says how to use it.
 */
export function remoteCacheFrom(
  flags: RemoteCacheFlags,
  config: { readonly url?: string; readonly team?: string } | undefined,
  file: string,
): RemoteCacheChoice {
  const url = flags.url ?? config?.url;
  if (url === undefined) {
    const orphan = flags.given[0];
    if (orphan !== undefined) {
      throw new UsageError(
        `parex run: --${orphan} is for a remote cache, and none is named. Add --remote-cache URL, set PAREX_REMOTE_CACHE_URL, or give parex's config file a remoteCache.url.`,
      );
    }
    return {};
  }
  const { token, signatureKey, timeoutMs } = flags;
  if (token === undefined) {
    return {
      notice: `${url} (remoteCache in ${file}) is not used: there is no token. Set PAREX_REMOTE_CACHE_TOKEN (or pass --token TOKEN) to use it; the run goes on with the local cache only`,
    };
  }
  const team = flags.team ?? config?.team;
  return {
    remote: {
      url,
      token,
      ...(team === undefined ? {} : { team }),
      ...(signatureKey === undefined ? {} : { signatureKey }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    },
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
