import { criticalPath, expectOneOf, weightsFrom } from "../core/index.js";
import { renderGraph } from "../report/index.js";
import type { GraphFormat } from "../report/index.js";
import { parseCommand, projectArgs, projectOptions, UsageError } from "./args.js";
import type { Io } from "./io.js";
import { loadProject } from "./project.js";

export const graphHelp = `Usage: parex graph [TASK...] [options]

Prints the task graph, its critical path highlighted.

Options:
      --workspaces          run scripts in every npm / pnpm / yarn workspace package (pkg#script)
      --filter PATTERN      only packages whose name matches (repeatable; globs allowed)
  -c, --config FILE        config file (default: parex.config.* found walking up)
      --format FORMAT      mermaid | dot | json (default: mermaid)
  -h, --help               show this help`;

const options = { ...projectOptions, format: { type: "string" } } as const;
const formats: readonly GraphFormat[] = ["mermaid", "dot", "json"];

/** `parex graph`: returns the exit code. */
export async function graphCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("graph", argv, options);
  if (values["help"] === true) {
    io.stdout(`${graphHelp}\n`);
    return 0;
  }
  const format = (values["format"] as string | undefined) ?? "mermaid";
  try {
    expectOneOf("--format", format, formats);
  } catch (error) {
    throw new UsageError(
      `parex graph: ${(error as Error).message.replace(/^Expected `(--\w+)`/, "$1 must be")}.`,
    );
  }
  const { graph } = await loadProject(projectArgs(values, positionals, io.cwd));
  const path = criticalPath(graph, weightsFrom(graph)).path;
  io.stdout(`${renderGraph(graph, format, path)}\n`);
  return 0;
}
