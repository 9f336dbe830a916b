import { join, relative } from "node:path";
import { buildGraph, selectTasks } from "../core/index.js";
import type { AffectedSummary, Command, TaskGraph } from "../core/index.js";
import type { BaseSource, ChangedFilesFailure } from "../cache/index.js";
import { UsageError } from "./args.js";
import type { Io } from "./io.js";

/** What `--affected` needs to narrow a run. */
export interface AffectedOptions {
  /** `--base REF`, undefined to choose (PAREX_BASE, origin/$GITHUB_BASE_REF, main, master). */
  readonly base: string | undefined;
  readonly projectDir: string;
  /** The config file (or the workspace root's package.json): a change to it affects every task. */
  readonly configFile: string;
  readonly io: Io;
  /** `--json`: the "no task affected" answer goes on stdout as JSON too. */
  readonly json: boolean;
}

/** The graph `--affected` leaves to run, and what it found, for the run's summary. */
export interface Affected {
  readonly graph: TaskGraph<Command>;
  readonly affected: AffectedSummary;
}

/**
 * `--affected`: the graph of the tasks whose inputs changed since the base, their dependents
 * (among the tasks the command line selected) and what they depend on, which runs too (a hit
 * when it is cached) so that an affected task finds its dependencies' outputs. Undefined, once
 * said, when no task is affected. A failure to compare with git is a usage error.
 */
export async function affectedGraph(
  graph: TaskGraph<Command>,
  options: AffectedOptions,
): Promise<Affected | undefined> {
  const { io } = options;
  const { affectedTasks, changedFiles, gitRoot } = await import("../cache/index.js");
  const changed = await changedFiles(options.projectDir, { base: options.base, env: io.env });
  if (!changed.ok) throw new UsageError(failureMessage(changed));
  // The root as the project's path spells it (git's own is the real path, links resolved).
  const repoRoot = gitRoot(options.projectDir) ?? changed.repoRoot;
  const paths = changed.files.map((file) => join(repoRoot, file));
  const { tasks, direct, global } = affectedTasks(graph, paths, {
    projectDir: options.projectDir,
    repoRoot,
    everyTask: [options.configFile],
  });
  const files = `${changed.files.length} changed file${changed.files.length === 1 ? "" : "s"}`;
  io.stderr(
    `parex: affected: comparing with ${changed.base} (${baseWords[changed.source]}); ${files}\n`,
  );
  const affected = { base: changed.base, changedFiles: changed.files.length, tasks };
  if (tasks.length === 0) {
    io.stderr("parex: affected: no task affected\n");
    if (options.json) io.stdout(`${JSON.stringify({ affected, tasks: [] }, null, 2)}\n`);
    return undefined;
  }
  const narrowed = subgraph(graph, tasks);
  const dependents = tasks.filter((id) => !direct.includes(id));
  const pulled = narrowed.tasks.map((task) => task.id).filter((id) => !tasks.includes(id));
  const parts = [
    `parex: affected: ${listed(direct)}`,
    global === undefined ? "" : ` (${relative(options.projectDir, global)} changed: every task)`,
    dependents.length === 0 ? "" : `; their dependents ${listed(dependents)}`,
    pulled.length === 0 ? "" : `; and, as they need them, ${listed(pulled)}`,
  ];
  io.stderr(`${parts.join("")}\n`);
  return { graph: narrowed, affected };
}

/** The graph of the tasks `ids` (those `graph` has) and every task they depend on. */
export function subgraph(graph: TaskGraph<Command>, ids: Iterable<string>): TaskGraph<Command> {
  const known = [...ids].filter((id) => graph.indexOf.has(id));
  return known.length === 0 ? buildGraph([]) : buildGraph(selectTasks(graph.tasks, known));
}

const listed = (ids: readonly string[]): string =>
  ids.length <= 8 ? ids.join(", ") : `${ids.slice(0, 8).join(", ")} and ${ids.length - 8} more`;

const baseWords: Readonly<Record<BaseSource, string>> = {
  "--base": "--base",
  PAREX_BASE: "PAREX_BASE",
  GITHUB_BASE_REF: "the pull request's base, GITHUB_BASE_REF",
  default: "the default; --base REF or PAREX_BASE to choose",
};

/** What went wrong, where, and the fix. */
export function failureMessage(failure: ChangedFilesFailure): string {
  switch (failure.reason) {
    case "not-a-repository":
      return `parex run: --affected compares with git, and ${failure.dir} is not in a git repository. Run it in a git work tree, or drop --affected.`;
    case "no-commit":
      return `parex run: --affected compares with git, and the repository at ${failure.dir} has no commit yet. Commit first, or drop --affected.`;
    case "unknown-base": {
      const from = failure.source === "--base" ? "--base" : failure.source;
      const remote = /^origin\/(.+)$/.exec(failure.ref)?.[1];
      const fetch = remote === undefined ? "git fetch" : `git fetch origin ${remote}`;
      return `parex run: --affected: the base "${failure.ref}" (${from}) is not a commit in this repository. Fetch it (${fetch}), or pass --base with a branch, tag or commit that exists here.`;
    }
    case "no-default-base":
      return `parex run: --affected needs a base to compare with, and none of ${failure.tried.join(", ")} exists here. Pass --base REF (a branch, tag or commit), or set PAREX_BASE.`;
    case "no-merge-base":
      return `parex run: --affected: "${failure.ref}" and HEAD have no commit in common (a shallow clone?). Fetch more history (git fetch --unshallow), or pass another --base.`;
    default:
      return assertNever(failure);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected failure ${JSON.stringify(value)}`);
}
