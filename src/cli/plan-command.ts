import {
  criticalPath,
  scalability,
  searchedOrder,
  simulateWaves,
  waves,
  weightsFrom,
} from "../core/index.js";
import type { ScalabilityPoint } from "../core/index.js";
import { duration, renderScalability, table } from "../report/index.js";
import { parseCommand, projectArgs, projectOptions, slotsFrom } from "./args.js";
import type { Io } from "./io.js";
import { learnedDurations } from "./open-history.js";
import { loadProject } from "./project.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";

/** `parex plan --help`, and the options it parses. */
export const planDoc: CommandDoc = {
  usage: "parex plan [TASK...] [options]",
  about: [
    "A dry run: the waves (topological levels), the critical path, and the predicted makespan for",
    "1..N slots from the simulator. Nothing runs. Durations come from earlier runs (.parex/); until",
    "there are some, every task counts the same and predictions are in task-lengths.",
  ],
  options: {
    ...projectOptions,
    concurrency: {
      type: "string",
      short: "j",
      value: "N",
      help: ["the largest number of slots to predict for (default: the CPUs)"],
    },
    json: { type: "boolean", help: ["print the plan as JSON"] },
  },
};

const lengths = (units: number): string =>
  `${Number(units.toFixed(2))} task-length${units === 1 ? "" : "s"}`;

/** `parex plan`: returns the exit code. */
export async function planCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("plan", argv, planDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(planDoc)}\n`);
    return 0;
  }
  const { config, graph } = await loadProject(projectArgs(values, positionals, io.cwd));
  const slots = slotsFrom(values["concurrency"] as string | undefined, config.concurrency);
  const { estimates: learned, spreads } = await learnedDurations(config.file, io);
  // With history, predictions are in ms from learned durations; without, in task-lengths.
  const known = graph.tasks.some((t) => learned.has(t.id));
  const durations = known ? learned : new Map(graph.tasks.map((t) => [t.id, 1]));
  const format = known ? duration : lengths;
  const levels = waves(graph);
  const path = criticalPath(graph, weightsFrom(graph, durations));
  const points = scalability(graph, durations, Math.max(1, Math.min(slots, graph.tasks.length)));
  // Without learned durations a run does not search: no searched column to show.
  const curve = known ? points : points.map(withoutSearch);
  // What a run on `slots` would do: the order searched from the learned durations.
  const found = known
    ? searchedOrder(graph, durations, { concurrency: slots, spreads })
    : undefined;
  const search = found && {
    slots,
    makespanMs: found.makespanMs,
    criticalPathMs: found.criticalPathMs,
    waveMakespanMs: simulateWaves(graph, durations, slots).makespanMs,
  };
  if (values["json"] === true) {
    io.stdout(
      `${JSON.stringify({ tasks: graph.tasks.length, waves: levels, criticalPath: path.path, scalability: curve, ...(search ? { search } : {}) }, null, 2)}\n`,
    );
    return 0;
  }
  const lines = [
    `${graph.tasks.length} tasks in ${levels.length} waves (${config.file})`,
    "",
    ...table(levels.map((ids, i) => [`wave ${i + 1}`, ids.join(", ")])).map((l) => `  ${l}`),
    "",
    `  critical path: ${path.path.join(" → ")} (${format(path.length)})`,
    "",
    known
      ? "  predicted makespan from the durations learned in earlier runs:"
      : "  predicted makespan in task-lengths (no run history yet, so all tasks count the same):",
    ...renderScalability(curve, slots, format).map((l) => `    ${l}`),
    ...(search
      ? [
          "",
          `  on ${search.slots} slot${search.slots === 1 ? "" : "s"}, the order a run searches: ${format(search.makespanMs)} (critical-path rule ${format(search.criticalPathMs)}, wave barriers ${format(search.waveMakespanMs)})`,
        ]
      : []),
  ];
  io.stdout(`${lines.join("\n")}\n`);
  return 0;
}

function withoutSearch(point: ScalabilityPoint): ScalabilityPoint {
  const { slots, makespanMs, waveMakespanMs, lowerBoundMs, speedup } = point;
  return { slots, makespanMs, waveMakespanMs, lowerBoundMs, speedup };
}
