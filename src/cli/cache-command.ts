import { dirname, join } from "node:path";
import { configOption, parseCommand, string, UsageError } from "./args.js";
import type { Io } from "./io.js";
import { configFileFor } from "./open-history.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";

/** `parex cache --help`, and the options it parses. */
export const cacheDoc: CommandDoc = {
  usage: "parex cache [clean] [options]",
  about: [
    "The task cache in .parex/cache next to the config: its size, or with `clean`, removes",
    "entries (all of them when neither --older-than nor --max-size is given).",
  ],
  options: {
    ...configOption,
    "older-than": {
      type: "string",
      value: "AGE",
      help: ["clean: entries not used for this long (30m, 12h, 7d)"],
    },
    "max-size": {
      type: "string",
      value: "SIZE",
      help: ["clean: then the least recently used, down to this size (500MB, 5GB)"],
    },
    json: { type: "boolean", help: ["print JSON"] },
  },
};

const ageUnits: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const sizeUnits: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** `30m`, `12h`, `7d` in ms; a usage error naming the option otherwise. */
export function parseAge(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([mhd])$/i.exec(text.trim());
  const unit = ageUnits[match?.[2]?.toLowerCase() ?? ""];
  if (match === null || unit === undefined) {
    throw new UsageError(
      `parex cache: --older-than takes an age such as 30m, 12h or 7d, got "${text}".`,
    );
  }
  return Number(match[1]) * unit;
}

/** `500MB`, `5GB`, `2GiB`, `1000` (bytes) in bytes; a usage error naming the option otherwise. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = sizeUnits[match?.[2]?.toLowerCase() || "b"];
  if (match === null || unit === undefined) {
    throw new UsageError(
      `parex cache: --max-size takes a size such as 500MB or 5GB, got "${text}".`,
    );
  }
  return Math.floor(Number(match[1]) * unit);
}

/** `parex cache [clean]`: returns the exit code. */
export async function cacheCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("cache", argv, cacheDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(cacheDoc)}\n`);
    return 0;
  }
  const [action, ...extra] = positionals;
  if ((action !== undefined && action !== "clean") || extra.length > 0) {
    throw new UsageError(
      `parex cache: unknown action "${[action, ...extra].join(" ")}". Use \`parex cache\` or \`parex cache clean\`.`,
    );
  }
  const olderThan = string(values["older-than"]);
  const maxSize = string(values["max-size"]);
  const dir = join(dirname(configFileFor(string(values["config"]), io)), ".parex", "cache");
  const { LocalCache } = await import("../cache/index.js");
  const cache = new LocalCache(dir);
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  if (action === undefined) {
    const bytes = await cache.size();
    io.stdout(
      values["json"] === true ? `${JSON.stringify({ dir, bytes })}\n` : `${dir}: ${mb(bytes)}\n`,
    );
    return 0;
  }
  const everything = olderThan === undefined && maxSize === undefined;
  const result = await cache.clean({
    ...(olderThan === undefined ? {} : { olderThanMs: parseAge(olderThan) }),
    ...(maxSize === undefined ? {} : { maxBytes: parseSize(maxSize) }),
    ...(everything ? { maxBytes: 0 } : {}),
  });
  io.stdout(
    values["json"] === true
      ? `${JSON.stringify({ dir, ...result })}\n`
      : `${dir}: removed ${result.removed} entries (${mb(result.freedBytes)}), ${mb(result.keptBytes)} kept\n`,
  );
  return 0;
}
