import { criticalPath, weightsFrom } from "../core/index.js";
import { renderGraph } from "../report/index.js";
import type { GraphFormat } from "../report/index.js";
import { parseCommand, projectArgs, projectOptions, string, choiceOf } from "./args.js";
import type { Io } from "./io.js";
import { loadProject } from "./project.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";

/** `parex graph --help`, and the options it parses. */
export const graphDoc: CommandDoc = {
  usage: "parex graph [TASK...] [options]",
  about: ["Prints the task graph, its critical path highlighted."],
  options: {
    ...projectOptions,
    format: { type: "string", value: "FORMAT", help: ["mermaid | dot | json (default: mermaid)"] },
  },
};

const formats: readonly GraphFormat[] = ["mermaid", "dot", "json"];

/** `parex graph`: returns the exit code. */
export async function graphCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("graph", argv, graphDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(graphDoc)}\n`);
    return 0;
  }
  const format = choiceOf("graph", "--format", string(values["format"]) ?? "mermaid", formats);
  const { graph } = await loadProject(projectArgs(values, positionals, io.cwd));
  const path = criticalPath(graph, weightsFrom(graph)).path;
  io.stdout(`${renderGraph(graph, format, path)}\n`);
  return 0;
}
