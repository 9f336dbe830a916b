import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  analyze,
  eventSink,
  insight,
  newRunId,
  runGraph,
  strategies,
  summarize,
} from "../core/index.js";
import type { Command, RunResult, RunSummary, Strategy, TaskGraph } from "../core/index.js";
import { processExecutor, systemClock } from "../exec/index.js";
import type { StraysOfAttempt } from "../exec/index.js";
import { forgetfulStore, SqliteStore } from "../store/index.js";
import {
  LastLines,
  renderCompactSummary,
  renderFailures,
  renderReport,
  renderSummary,
  renderTrace,
} from "../report/index.js";
import type { OutputMode } from "../report/index.js";
import { parseCommand, projectArgs, projectOptions, slotsFrom, string, choiceOf } from "./args.js";
import type { Io } from "./io.js";
import { raiseAlerts } from "./alerts.js";
import { reporter } from "./reporter.js";
import { gateKeeper } from "./gates.js";
import { resumeFrom, resumeValue } from "./resume.js";
import { makeHistoryDir, openHistory, openRunJournal } from "./open-history.js";
import { loadProject } from "./project.js";
import { helpText } from "./usage.js";
import type { CommandDoc } from "./usage.js";

/** `parex run --help`, and the options it parses. */
export const runDoc: CommandDoc = {
  usage: "parex run [TASK...] [options]",
  about: ["Runs the tasks named (all tasks when none is) and every task they depend on."],
  options: {
    ...projectOptions,
    concurrency: {
      type: "string",
      short: "j",
      value: "N",
      help: ["slots: a number, or N% of the CPUs (default: the number of CPUs)"],
    },
    strategy: {
      type: "string",
      value: "NAME",
      help: ["all | partial | best_effort (default: all)"],
    },
    continue: { type: "boolean", help: ["same as --strategy best_effort"] },
    json: {
      type: "boolean",
      help: ["print one JSON summary on stdout; human output goes to stderr"],
    },
    "compare-sequential": {
      type: "boolean",
      help: ["run the tasks again one at a time and report the measured speedup"],
    },
    output: { type: "string", value: "MODE", help: ["stream | grouped | none (default: stream)"] },
    summary: {
      type: "string",
      value: "MODE",
      help: [
        "compact | full: the closing summary, or the whole analysis with",
        "every task, the Gantt chart and other slot counts (default: compact)",
      ],
    },
    "no-history": { type: "boolean", help: ["write nothing under .parex/ (task logs go nowhere)"] },
    resume: {
      type: "string",
      value: "[RUN]",
      help: [
        "continue an interrupted run (default: the last one): tasks that",
        "succeeded are not run again",
      ],
    },
    report: {
      type: "string",
      value: "FILE",
      help: ["write a self-contained HTML report (Gantt, graph, metrics, scalability)"],
    },
    trace: {
      type: "string",
      value: "FILE",
      help: ["write a Chrome trace of the run (open it in Perfetto or chrome://tracing)"],
    },
  },
  footer: ["Exit codes: 0 success, 1 a task failed, 2 usage or config error, 130 interrupted."],
};

const outputModes: readonly OutputMode[] = ["stream", "grouped", "none"];
const details = ["compact", "full"] as const;

const signalExitCodes: Readonly<Record<string, number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
};

/** `parex run`: returns the exit code. */
export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand("run", resumeValue(argv), runDoc.options);
  if (values["help"] === true) {
    io.stdout(`${helpText(runDoc)}\n`);
    return 0;
  }
  // The flags are checked before the config is loaded: a mistake in them is said first.
  const output = choiceOf("run", "--output", string(values["output"]) ?? "stream", outputModes);
  const detail = choiceOf("run", "--summary", string(values["summary"]) ?? "compact", details);
  const strategyFlag = string(values["strategy"]);
  const flagStrategy =
    values["continue"] === true
      ? "best_effort"
      : strategyFlag === undefined
        ? undefined
        : choiceOf("run", "--strategy", strategyFlag, strategies);
  const { config, graph } = await loadProject(projectArgs(values, positionals, io.cwd));
  const concurrency = slotsFrom(string(values["concurrency"]), config.concurrency);
  const strategy = flagStrategy ?? config.strategy ?? "all";
  const json = values["json"] === true;
  const human = json ? io.stderr : io.stdout;
  const runId = newRunId(Date.now());
  const remember = values["no-history"] !== true;
  const logDir = remember ? join(config.dir, ".parex", "logs", runId) : undefined;
  const history = remember ? await openRunJournal(config.file, io) : forgetfulStore;
  const estimates = history.estimates();
  // What alerts call a task's usual time: its p95 over recent runs, from before this one. Read
  // only when a rule asks: it scans the history, which grows with every run.
  const slowdownRule = config.alerts?.rules.some((rule) => rule.metric === "taskSlowdown") ?? false;
  const resume = values["resume"] as string | undefined;
  // The history itself is opened only to look back (resume, usual times), and closed before
  // the tasks run: the run is recorded in its journal.
  const past =
    remember && (slowdownRule || resume !== undefined)
      ? await openHistory(config.file, io)
      : forgetfulStore;
  const usual =
    slowdownRule && past instanceof SqliteStore
      ? past.durationPercentile(95)
      : new Map<string, number>();
  const gates = gateKeeper(config);
  const lastLines = new LastLines();
  const resumed = await resumeFrom(resume, past, {
    human,
    killGraceMs: config.killGraceMs,
    runId,
  });
  await past.close();
  const run = (slots: number, id: string, listen: boolean) =>
    execute(graph, {
      runId: id,
      concurrency: slots,
      strategy: strategy,
      killGraceMs: config.killGraceMs,
      logDir: listen ? logDir : undefined,
      estimates,
      done: listen ? resumed.done : new Map(),
      listeners: listen
        ? [
            reporter(io, { output, json, graph, logged: logDir !== undefined }),
            history.listener,
            gates.listener,
            lastLines.listener,
          ]
        : [],
      io,
    });
  if (remember) makeHistoryDir(config.file); // only now: a usage error above writes nothing
  const result = await run(concurrency, runId, true);
  if (result.interrupted !== undefined) human("Interrupted: every running task was stopped.\n");
  const analysis = analyze(graph, result.run);
  let summary: RunSummary = lastLines.attach({
    ...summarize(result.run, analysis, insight(graph, result.run, analysis)),
    gates: gates.evaluate(result.run, analysis.makespanMs),
    ...(resumed.from === undefined ? {} : { resumedFrom: resumed.from }),
    ...straysKilled(result.strays),
  });
  human(
    detail === "full"
      ? `\n${renderSummary(summary, analysis)}\n`
      : `\n${renderCompactSummary(summary)}\n  (the whole analysis: ${remember ? `parex history ${runId}, or ` : ""}--summary full)\n`,
  );
  const report = values["report"] as string | undefined;
  if (report !== undefined) {
    const dependencies = Object.fromEntries(graph.tasks.map((t) => [t.id, t.dependsOn ?? []]));
    writeFileSync(
      resolve(io.cwd, report),
      renderReport({ summary, lanes: analysis.lanes, dependencies }),
    );
    human(`  report: ${resolve(io.cwd, report)}\n`);
  }
  const trace = values["trace"] as string | undefined;
  if (trace !== undefined) {
    writeFileSync(resolve(io.cwd, trace), renderTrace(result.run, analysis));
    human(`  trace: ${resolve(io.cwd, trace)}\n`);
  }
  if (values["compare-sequential"] === true && !analysis.complete) {
    human("  --compare-sequential: not run, as this run did not run every task to its end\n");
  } else if (values["compare-sequential"] === true && result.interrupted === undefined) {
    human("\nRunning the same tasks one at a time (--compare-sequential) ...\n");
    const sequential = await run(1, newRunId(Date.now()), false);
    const measuredSequentialMs = analyze(graph, sequential.run).makespanMs;
    const speedup = summary.makespanMs > 0 ? measuredSequentialMs / summary.makespanMs : 1;
    summary = {
      ...summary,
      measuredSequentialMs: Math.round(measuredSequentialMs * 10) / 10,
      speedup: Math.round(speedup * 1000) / 1000,
    };
    human(
      `  measured one at a time: ${(measuredSequentialMs / 1000).toFixed(2)} s, so the parallel run was ${speedup.toFixed(2)}× faster\n`,
    );
  }
  // Saved before the alerts, whose webhook may take its whole timeout: a runner killed meanwhile
  // keeps its summary.
  history.saveSummary(runId, summary);
  const alerts = await raiseAlerts(config.alerts, summary, { usual, io, write: human });
  if (alerts.length > 0) {
    summary = { ...summary, alerts };
    history.saveSummary(runId, summary);
  }
  await history.close();
  if (logDir !== undefined)
    human(`  logs: ${logDir} (each task's files: parex history ${runId})\n`);
  const failures = renderFailures(summary);
  if (failures.length > 0) human(`\n${failures.join("\n")}\n`);
  if (json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  if (result.interrupted !== undefined) return signalExitCodes[result.interrupted] ?? 130;
  const gateFailed = summary.gates.some((gate) => gate.status === "fail");
  return !gateFailed && (summary.status === "succeeded" || summary.status === "partial") ? 0 : 1;
}

/** The JSON summary's `straysKilled`: each process a task left behind outside its group. */
function straysKilled(strays: readonly StraysOfAttempt[]): Pick<RunSummary, "straysKilled"> {
  if (strays.length === 0) return {};
  return {
    straysKilled: strays.flatMap(({ taskId, attempt, processes }) =>
      processes.map((process) => ({ taskId, attempt, ...process })),
    ),
  };
}

interface ExecuteOptions {
  readonly runId: string;
  readonly concurrency: number;
  readonly strategy: Strategy;
  readonly killGraceMs: number | undefined;
  readonly logDir: string | undefined;
  readonly estimates: ReadonlyMap<string, number>;
  readonly done: ReadonlyMap<string, unknown>;
  readonly listeners: Parameters<typeof runGraph>[1]["listeners"];
  readonly io: Io;
}

/**
 * One run of the graph on real processes. The first SIGINT, SIGTERM or SIGHUP stops starting
 * tasks and stops every running process group (SIGTERM, then SIGKILL after the grace period);
 * a second SIGINT kills them at once.
 */
async function execute(
  graph: TaskGraph<Command>,
  options: ExecuteOptions,
): Promise<{ run: RunResult; interrupted: string | undefined; strays: StraysOfAttempt[] }> {
  const onListenerError = (error: unknown): void =>
    options.io.stderr(`parex: a reporter failed: ${String(error)}\n`);
  // What tasks left behind outside their process groups goes to the run's listeners too.
  const emit = eventSink(options.listeners ?? [], onListenerError);
  const strays: StraysOfAttempt[] = [];
  const executor = processExecutor({
    ...(options.io.backpressure ? { backpressure: options.io.backpressure } : {}),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    ...(options.logDir === undefined ? {} : { logDir: options.logDir }),
    onLogError: (error) => options.io.stderr(`parex: task logs disabled: ${error.message}\n`),
    runId: options.runId,
    onStrays: (found) => {
      strays.push(found);
      emit?.({ type: "task.strays-killed", runId: options.runId, time: Date.now(), ...found });
    },
  });
  const controller = new AbortController();
  let interrupted: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted === undefined) {
      interrupted = signal;
      options.io.stderr(
        `\nparex: ${signal}: stopping every running task (Ctrl-C again to kill them at once)\n`,
      );
      controller.abort(new Error(`interrupted by ${signal}`));
    } else if (signal === "SIGINT") {
      options.io.stderr("parex: killing every running task now\n");
      executor.killNow();
    }
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const run = await runGraph(graph, {
      executor,
      clock: systemClock,
      concurrency: options.concurrency,
      strategy: options.strategy,
      signal: controller.signal,
      runId: options.runId,
      estimates: options.estimates,
      done: options.done,
      listeners: options.listeners ?? [],
      onListenerError,
    });
    // Processes that left their task's group and gave no sign of it, found by their mark.
    await executor.sweep();
    return { run, interrupted, strays };
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}
