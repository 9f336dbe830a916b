import { relative, sep } from "node:path";
import { ParexError } from "../core/index.js";
import { systemClock } from "../exec/index.js";
import { lineReporter } from "../report/index.js";
import { parseCommand, projectArgs, string, UsageError } from "./args.js";
import type { Io } from "./io.js";
import { KeptServices } from "./kept-services.js";
import type { ShowOutput } from "./kept-services.js";
import { loadProject } from "./project.js";
import { RerunLoop } from "./rerun-loop.js";
import { runCommand, runDoc } from "./run-command.js";
import { unwatched, watchTree } from "./watch-tree.js";

/**
 * How long the files must stay quiet after a change before it is acted on: an editor's "save
 * all", a `git checkout` or a formatter touching ten files is one re-run, and a single save
 * re-runs well under a second after it.
 */
export const quietMs = 150;

const signalExitCodes: Readonly<Record<string, number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
};

/** `parex run`, and with `--watch` the run followed by a re-run of what each change affects. */
export async function runOrWatch(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("run", argv, runDoc.options);
  if (values["watch"] !== true || values["help"] === true) return runCommand(argv, io);
  for (const flag of [
    "json",
    "resume",
    "compare-sequential",
    "dashboard",
    "dashboard-port",
    "dashboard-keep",
  ]) {
    if (values[flag] !== undefined)
      throw new UsageError(
        `parex run: --watch runs again and again, and --${flag} is for one run: drop one of them.`,
      );
  }
  const args = projectArgs(values, positionals, io.cwd);
  const project = await loadProject(args);
  const dir = project.config.dir;
  const { affectedTasks, gitRoot, ignoredPaths, isTaskOutput } = await import("../cache/index.js");
  const repoRoot = gitRoot(dir);
  let graph = project.graph;
  const say = (line: string): void => io.stderr(`${line}\n`);
  const services = new KeptServices({ say, show: idleOutput(io, string(values["output"])) });
  const loop = new RerunLoop({
    clock: systemClock,
    quietMs,
    everything: graph.tasks.map((task) => task.id),
    affectedOf: async (paths) => {
      let kept = paths.filter((path) => !isTaskOutput(graph, path, dir));
      if (repoRoot !== undefined) {
        const ignored = await ignoredPaths(repoRoot, kept);
        kept = kept.filter((path) => !ignored.has(path));
      }
      if (kept.length === 0) return undefined;
      // A changed config may have changed the tasks: map later changes with the new ones.
      if (kept.includes(project.config.file)) graph = await reloaded(args, graph);
      const context = { projectDir: dir, repoRoot, everyTask: [project.config.file] };
      return { tasks: affectedTasks(graph, kept, context).tasks, paths: kept };
    },
    run: async (only, signal) => {
      // Stopped first, so that the run starts them again (on the same port) if it needs them.
      const dropped = services.ids.filter((id) => !graph.indexOf.has(id));
      await services.stop(dropped, "the config has no such task now");
      if (only !== undefined) await services.stop(only, "a change affects it");
      try {
        await runCommand(argv, io, { ...(only === undefined ? {} : { only }), signal, services });
      } catch (error) {
        // A config made invalid by the change is said, and the next change may fix it.
        const known = error instanceof ParexError || error instanceof UsageError;
        const message = known ? error.message : `the run failed: ${String(error)}`;
        io.stderr(`${/^parex[ :]/.test(message) ? "" : "parex: "}${message}\n`);
      }
    },
    say,
    show: (path) => relative(dir, path).split(sep).join("/"),
  });
  const tree = watchTree(dir, (path) => {
    const rel = relative(dir, path).split(sep);
    if (!rel.some((name) => unwatched.has(name))) loop.changed(path);
  });
  io.stderr(`parex: watch: watching ${tree.size} directories under ${dir} (Ctrl-C to stop)\n`);
  loop.start();
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  let stopBy: (signal: NodeJS.Signals) => void = () => undefined;
  const stoppedBy = new Promise<NodeJS.Signals>((resolve) => (stopBy = resolve));
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C kills the services at once, as a run's own handler kills its tasks.
    if (signalled && signal === "SIGINT") services.killNow();
    signalled = true;
    stopBy(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const signal = await stoppedBy;
    tree.close();
    await loop.stop();
    await services.stopAll();
    io.stderr(`parex: watch: stopped after ${loop.runs} run${loop.runs === 1 ? "" : "s"}\n`);
    return signalExitCodes[signal] ?? 130;
  } finally {
    tree.close();
    // Their process groups would outlive parex: whatever ended the watch, they stop with it.
    await services.stopAll();
    for (const signal of signals) process.off(signal, onSignal);
  }
}

/**
 * How the kept services' output is shown between runs: each line prefixed with its task, as
 * a run streams it, or not at all unless the output mode is `stream` (the log file has it).
 */
function idleOutput(io: Io, mode: string | undefined): ShowOutput {
  const listener = lineReporter({
    output: (mode ?? "stream") === "stream" ? "stream" : "none",
    write: io.stdout,
  });
  return (taskId, attempt, stream, chunk) =>
    listener({ type: "task.output", runId: "", time: Date.now(), taskId, attempt, stream, chunk });
}

/** The project's graph loaded again, or `graph` when the config cannot be read now. */
async function reloaded(
  args: Parameters<typeof loadProject>[0],
  graph: Awaited<ReturnType<typeof loadProject>>["graph"],
): Promise<Awaited<ReturnType<typeof loadProject>>["graph"]> {
  try {
    return (await loadProject(args)).graph;
  } catch {
    return graph; // the run that follows says what is wrong with it
  }
}
