import { basename, join } from "node:path";
import { analyze, graphOutline, insight, newRunId, strategies, summarize } from "../core/index.js";
import { forgetfulStore, SqliteStore } from "../store/index.js";
import { LastLines, renderCompactSummary, renderFailures, renderSummary } from "../report/index.js";
import type { OutputMode } from "../report/index.js";
import {
  UsageError,
  parseCommand,
  projectArgs,
  projectOptions,
  slotsFrom,
  string,
  choiceOf,
} from "./args.js";
import type { Io } from "./io.js";
import type { KeptServices } from "./kept-services.js";
import { raiseAlerts } from "./alerts.js";
import { execute } from "./execute-run.js";
import { reporter } from "./reporter.js";
import { gateKeeper } from "./gates.js";
import { resumeFrom } from "./resume.js";
import {
  historyDir,
  learnedDurations,
  makeHistoryDir,
  openHistory,
  openRunJournal,
} from "./open-history.js";
import { loadProject } from "./project.js";
import { readReportAssets } from "./report-assets.js";
import { compareSequential, writeFiles } from "./run-outputs.js";
import { closeAll, concludeWith, listenersOf, settleWith, wrapExecutor } from "./run-parts.js";
import type { RunPart } from "./run-parts.js";
import { straysPart } from "./strays-part.js";
import { cachePart, cacheModes } from "./cache-part.js";
import { dashboardDir } from "./dashboard-dir.js";
import { checkDryFlags, dryRun } from "./dry-run.js";
import { dashboardFlags, dashboardOptions, dashboardPart } from "./dashboard-part.js";
import { openQueue } from "./distributed-run.js";
import { queueFlags, queueFrom } from "./distributed-options.js";
import { historyPart } from "./history-part.js";
import { GraphLayouts } from "./graph-layouts.js";
import { layoutPart } from "./layout-part.js";
import { remoteCacheFlags, remoteCacheFlagsFrom, remoteCacheFrom } from "./remote-cache-options.js";
import { helpText } from "./usage.js";
import { selectGraph } from "./select-graph.js";
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
    "no-history": {
      type: "boolean",
      help: ["write nothing under .parex/ (task logs go nowhere, the cache is off)"],
    },
    "no-cache": {
      type: "boolean",
      help: ["run every task, cached or not, and store what succeeds (--cache write)"],
    },
    cache: {
      type: "string",
      value: "MODE",
      help: [
        "read-write | read | write | off: look cached tasks up and store",
        "them, only one of the two, or neither (default: read-write)",
      ],
    },
    affected: {
      type: "boolean",
      help: [
        "only the tasks whose inputs changed since the base, their dependents",
        "and what they need (docs/cache.md#affected-tasks)",
      ],
    },
    base: {
      type: "string",
      value: "REF",
      help: [
        "what --affected compares with (default: $PAREX_BASE, on CI",
        "origin/$GITHUB_BASE_REF, then main, then master)",
      ],
    },
    watch: {
      type: "boolean",
      help: [
        "then re-run what each file change affects, ready services staying",
        "up, until Ctrl-C (docs/cache.md#watch)",
      ],
    },
    dry: {
      type: "boolean",
      help: [
        "run nothing: print the tasks a run would start, in order, with their",
        "cache keys and whether each would hit (--json: as JSON)",
      ],
    },
    ...remoteCacheFlags,
    resume: {
      type: "string",
      value: "[RUN]",
      optional: { takes: /^run_/, alone: "last" },
      help: [
        "continue an interrupted run (default: the last one): tasks that",
        "succeeded are not run again",
      ],
    },
    report: {
      type: "string",
      value: "FILE",
      help: ["write the dashboard's view of the run into one self-contained HTML file"],
    },
    trace: {
      type: "string",
      value: "FILE",
      help: ["write a Chrome trace of the run (open it in Perfetto or chrome://tracing)"],
    },
    ...dashboardFlags,
    ...queueFlags,
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

/** What `parex run --watch` asks of each run it makes; a plain `parex run` gives nothing. */
export interface RunSession {
  /** Run only these tasks (and what they need), instead of the command line's or --affected's. */
  readonly only?: ReadonlySet<string>;
  /** Stops the run, as Ctrl-C would, when it aborts. */
  readonly signal?: AbortSignal;
  /** The services kept running between runs, which this run uses and adds its own to. */
  readonly services?: KeptServices;
}

/** `parex run`: returns the exit code. */
export async function runCommand(
  argv: readonly string[],
  io: Io,
  session: RunSession = {},
): Promise<number> {
  const { values, positionals } = parseCommand("run", argv, runDoc.options);
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
  const cacheFlag = values["no-cache"] === true ? "write" : string(values["cache"]);
  const cacheMode = choiceOf("run", "--cache", cacheFlag ?? "read-write", cacheModes);
  const base = string(values["base"]);
  if (base !== undefined && values["affected"] !== true)
    throw new UsageError(
      `parex run: --base ${base} is what --affected compares with: add --affected.`,
    );
  const dry = values["dry"] === true;
  if (dry) checkDryFlags(values);
  const dashboard = dashboardOptions(values, session);
  const remoteFlags = remoteCacheFlagsFrom(values, io.env);
  const project = await loadProject(projectArgs(values, positionals, io.cwd));
  const { config } = project;
  const { remote: remoteCache, notice } = remoteCacheFrom(
    remoteFlags,
    config.remoteCache,
    basename(config.file),
  );
  // Said once: a re-run of watch mode (session.only) loads the same rules again.
  if (session.only === undefined) {
    for (const note of project.notes) io.stderr(`parex: ${note}\n`);
    if (notice !== undefined && !dry) io.stderr(`parex: remote cache: ${notice}\n`);
  }
  const json = values["json"] === true;
  const affected =
    values["affected"] === true
      ? { base, projectDir: config.dir, configFile: config.file, io, json }
      : undefined;
  const selected = await selectGraph(project.graph, {
    ...(session.only === undefined ? {} : { only: session.only }),
    ...(affected === undefined ? {} : { affected }),
  });
  if (selected === undefined) return 0;
  const { graph } = selected;
  if (dry) {
    const noHistory = values["no-history"] === true;
    return dryRun(graph, {
      projectDir: config.dir,
      mode: cacheMode,
      noHistory,
      json,
      io,
      concurrency: slotsFrom(string(values["concurrency"]), config.concurrency),
      ...(noHistory ? { estimates: new Map() } : await learnedDurations(config.file, io)),
    });
  }
  // Read now: a checkout without the built dashboard fails before its tasks run.
  const reportAssets =
    typeof values["report"] === "string" ? readReportAssets(dashboardDir(io.env)) : undefined;
  const queue = queueFrom("run", values, io.env, {
    ...config.distributed,
    file: basename(config.file),
  });
  const runId = newRunId(Date.now());
  const strategy = flagStrategy ?? config.strategy ?? "all";
  const human = json ? io.stderr : io.stdout;
  const remember = values["no-history"] !== true;
  const logDir = remember ? join(config.dir, ".parex", "logs", runId) : undefined;
  const history = remember ? await openRunJournal(config.file, io) : forgetfulStore;
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
  const resumed = await resumeFrom(resume, past, {
    human,
    killGraceMs: config.killGraceMs,
    runId,
  });
  await past.close();
  const remote =
    queue === undefined
      ? undefined
      : await openQueue(queue, {
          runId,
          projectDir: config.dir,
          workspaces: project.workspaces,
          killGraceMs: config.killGraceMs,
          io,
        });
  const concurrency =
    remote?.slots(string(values["concurrency"]) ?? config.concurrency) ??
    slotsFrom(string(values["concurrency"]), config.concurrency);
  const lastLines = new LastLines();
  const estimates = history.estimates();
  const spreads = history.spreads();
  // A large graph's layout, kept beside the history for the dashboard (graph-layouts.ts).
  const layouts = remember
    ? GraphLayouts.open(historyDir(config.file), dashboardDir(io.env))
    : undefined;
  // The history keeps the graph without it: one layout serves every run of the graph.
  const outline = graphOutline(graph, { concurrency, estimates });
  const laid = layoutPart(layouts, outline);
  const parts: RunPart[] = [
    { listener: reporter(io, { output, json, graph, logged: logDir !== undefined }) },
    historyPart(history, runId, outline),
    laid.part,
    gateKeeper(config),
    { listener: lastLines.listener, conclude: (summary) => lastLines.attach(summary) },
    {
      conclude: (summary) =>
        resumed.from === undefined ? summary : { ...summary, resumedFrom: resumed.from },
    },
    straysPart(),
    selected.part,
    ...(remote === undefined ? [] : [remote.part]),
    await cachePart(graph, {
      projectDir: config.dir,
      // The outputs of a distributed run's tasks are on its workers' machines.
      mode: remember && remote === undefined ? cacheMode : "off",
      io,
      logDir,
      ...(remoteCache === undefined ? {} : { remote: remoteCache }),
    }),
    // Last: it concludes with everything the others added, and closes once the history has
    // the run.
    ...(dashboard === undefined
      ? []
      : [
          await dashboardPart({
            ...dashboard,
            runId,
            graph: laid.kept(),
            configFile: config.file,
            remember,
            io,
          }),
        ]),
  ];
  const settings = { concurrency, strategy, killGraceMs: config.killGraceMs, io };
  if (remember) makeHistoryDir(config.file); // only now: a usage error above writes nothing
  // A part that fails to close must not hide why the run itself failed.
  let threw = false;
  try {
    const ended = await execute(graph, {
      ...settings,
      runId,
      logDir,
      estimates,
      spreads,
      done: resumed.done,
      ...(session.signal === undefined ? {} : { signal: session.signal }),
      ...(session.services === undefined ? {} : { services: session.services }),
      ...(remote === undefined ? {} : { remote: remote.executor }),
      listeners: listenersOf(parts),
      wrap: (executor) => wrapExecutor(executor, parts),
    });
    if (ended.interrupted !== undefined) human("Interrupted: every running task was stopped.\n");
    const analysis = analyze(graph, ended.run);
    const base = summarize(ended.run, analysis, insight(graph, ended.run, analysis));
    const finished = { ...ended, analysis };
    let summary = concludeWith(parts, base, finished);
    human(
      detail === "full"
        ? `\n${renderSummary(summary, analysis)}\n`
        : `\n${renderCompactSummary(summary)}\n  (the whole analysis: ${remember ? `parex history ${runId}, or ` : ""}--summary full)\n`,
    );
    const kept = session.services?.summaryLine();
    if (kept !== undefined) human(`  ${kept}\n`);
    if (values["compare-sequential"] === true) {
      summary = await compareSequential(graph, { ...settings, summary, ended: finished, human });
    }
    // Saved before the alerts, whose webhook may take its whole timeout: a runner killed
    // meanwhile keeps its summary.
    history.saveSummary(runId, summary);
    const alerts = await raiseAlerts(config.alerts, summary, { usual, io, write: human });
    if (alerts.length > 0) {
      summary = { ...summary, alerts };
      history.saveSummary(runId, summary);
    }
    // Last, so that the report holds the summary the run ends with: measured speedup, alerts.
    writeFiles(values, {
      assets: reportAssets,
      // The report draws a large graph where the runner laid it out, as the dashboard does.
      outline: reportAssets === undefined ? outline : await laid.laidOut(),
      summary,
      ended: finished,
      io,
      human,
    });
    settleWith(parts, summary);
    if (logDir !== undefined)
      human(`  logs: ${logDir} (each task's files: parex history ${runId})\n`);
    const failures = renderFailures(summary);
    if (failures.length > 0) human(`\n${failures.join("\n")}\n`);
    if (json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    if (ended.interrupted !== undefined) return signalExitCodes[ended.interrupted] ?? 130;
    const gateFailed = summary.gates.some((gate) => gate.status === "fail");
    return !gateFailed && (summary.status === "succeeded" || summary.status === "partial") ? 0 : 1;
  } catch (error) {
    threw = true;
    throw error;
  } finally {
    await closeAll(parts).catch((error: unknown) => {
      if (!threw) throw error;
    });
  }
}
