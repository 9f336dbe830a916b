import { describeValue } from "../core/index.js";
import { isGlobs, isInside } from "./config-checks.js";
import type { Fail } from "./config-checks.js";

/**
 * How an `inputs` entry names files at the project's root (the config file's directory, or
 * the workspace root) rather than under the task's own directory: `$root/tsconfig.base.json`,
 * and `!$root/x` to leave some out. The other tools' spellings (`$TURBO_ROOT$/`,
 * `{workspaceRoot}/`) are read into this one.
 */
export const rootMark = "$root/";

/** Whether an `inputs` entry names files at the root: `$root/x`, or `!$root/x`. */
export const isRootGlob = (glob: string): boolean =>
  glob.startsWith(rootMark) || glob.startsWith(`!${rootMark}`);

/** `tsconfig.json` as `$root/tsconfig.json`, `!x` as `!$root/x`. */
export const atRoot = (glob: string): string =>
  glob.startsWith("!") ? `!${rootMark}${glob.slice(1)}` : `${rootMark}${glob}`;

/** An `inputs` entry: a glob inside the task's directory, or `$root/` and one inside the root. */
export const isInputGlob = (value: unknown): boolean =>
  typeof value === "string" && isInside(isRootGlob(value) ? value.replace(rootMark, "") : value);

/**
 * An input naming files above the package: `../../tsconfig.base.json`, `!../shared/x`. Only
 * leading `../` are read: one after a wildcard (`**\/../x`) means nothing fixed.
 */
export const isParentGlob = (glob: string): boolean => {
  const match = /^(!?)((?:\.\.\/)+)(.*)$/.exec(glob);
  return match !== null && isInside(match[3]);
};

/** An `inputs` list: globs inside the task's directory, or `$root/` globs. */
export const isInputGlobs = (value: unknown): boolean =>
  Array.isArray(value) && value.every(isInputGlob);

/** Globs inside the task's directory, none of them `$root/`: outputs are restored there. */
export const isOwnGlobs = (value: unknown): boolean =>
  isGlobs(value) && (value as string[]).every((glob) => !isRootGlob(glob));

/** What a task reads, split: globs relative to its directory, and globs relative to the root. */
export interface SplitInputs {
  /** Undefined when none is given: every file of its directory. */
  readonly inputs?: readonly string[];
  readonly rootInputs: readonly string[];
}

/**
 * An `inputs` list as the task's own globs and its root globs (without `$root/`). A list of
 * root globs only leaves the task's own inputs at their default, every file of its directory:
 * root files add to what a task reads, and reading too much costs a miss, never a false hit.
 */
export function splitInputs(inputs: readonly string[] | undefined): SplitInputs {
  if (inputs === undefined) return { rootInputs: [] };
  const own = inputs.filter((glob) => !isRootGlob(glob));
  const rootInputs = inputs.filter(isRootGlob).map((glob) => glob.replace(rootMark, ""));
  return own.length > 0 || rootInputs.length === 0 ? { inputs: own, rootInputs } : { rootInputs };
}

/**
 * `globalInputs`: globs of root files in every cached task's key, relative to the root
 * already (so without `$root/`). `where` says what the root is, for the message.
 */
export function checkGlobalInputs(value: unknown, fail: Fail, at: string, where: string): string[] {
  if (!isOwnGlobs(value))
    fail(
      at,
      `Invalid globalInputs @: expected an array of globs relative to ${where} (no .., / nor $root/: each is at the root already), got ${describeValue(value)}.`,
    );
  return value as string[];
}
