import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { RunEvent } from "../core/index.js";
import type { RunRow } from "./run-row.js";

/**
 * A run's journal: the events history keeps, one JSON object per line, appended by the runner
 * while its tasks run and committed to `history.db` when the run ends. A runner that dies leaves
 * its journal behind; the next command that opens the history commits it (`staleJournals`).
 *
 * Named `<pid>.<ms>.jsonl` in `<.parex>/journal/`: the pid says whether its writer is alive.
 */
export const journalDir = (dir: string): string => join(dir, "journal");

/** A new journal's path for this process. */
export function newJournalFile(dir: string, now: number): string {
  // Two runs of one process in the same millisecond (a journal left for later, then the next
  // run's) must not share a file: the later one is named a millisecond on.
  lastCreated = Math.max(now, lastCreated + 1);
  return join(journalDir(dir), `${process.pid}.${lastCreated}.jsonl`);
}

let lastCreated = 0;

/** The journals this process is writing (another one with its pid was left by a dead process). */
export const writing = new Set<string>();

/** The events history keeps; the others (queued, ready, output, breakers) are not journaled. */
export type RecordedEvent = Extract<
  RunEvent,
  {
    type:
      | "run.started"
      | "task.started"
      | "task.process"
      | "task.retry-scheduled"
      | "task.finished"
      | "run.finished";
  }
>;

const recorded = new Set<string>([
  "run.started",
  "task.started",
  "task.process",
  "task.retry-scheduled",
  "task.finished",
  "run.finished",
]);

/** Whether history keeps this event. */
export const isRecorded = (event: RunEvent): event is RecordedEvent => recorded.has(event.type);

/** A journal's first line: which config's run it records. */
export const journalHeader = (config: string): string =>
  `${JSON.stringify({ journal: 1, config })}\n`;

/** One journal line. Errors (messages and stacks) stay out: the store does not keep them. */
export function journalLine(event: RecordedEvent): string {
  if (event.type === "task.finished" && event.task.error !== undefined) {
    return `${JSON.stringify({ ...event, task: { ...event.task, error: undefined } })}\n`;
  }
  if (event.type === "task.retry-scheduled" && event.error !== undefined) {
    return `${JSON.stringify({ ...event, error: undefined })}\n`;
  }
  return `${JSON.stringify(event)}\n`;
}

/**
 * A run's JSON summary as a journal line, written as soon as the summary is known (a later line
 * for the same run replaces it).
 */
export const summaryLine = (runId: string, json: string): string =>
  `{"summaryOf":${JSON.stringify(runId)},"summary":${json}}\n`;

/** A run's task graph (GraphOutline) as a journal line, written as the run starts. */
export const graphLine = (runId: string, json: string): string =>
  `{"graphOf":${JSON.stringify(runId)},"graph":${json}}\n`;

/** What a journal holds: whose run (the config, from its first line), its events and summary. */
export interface JournalContent {
  readonly config: string | undefined;
  readonly events: RecordedEvent[];
  /** Each run's summary, as JSON text. */
  readonly summaries: ReadonlyMap<string, string>;
  /** Each run's task graph, as JSON text. Default: none (a journal of an older parex). */
  readonly graphs?: ReadonlyMap<string, string>;
}

/**
 * A journal's config and events. A line cut short (its writer died writing it) and everything
 * after it are left out: the events before it are what the run got to record.
 */
export function readJournal(file: string): JournalContent {
  return parseJournal(readFileSync(file, "utf8"));
}

function parseJournal(text: string): JournalContent {
  const events: RecordedEvent[] = [];
  const summaries = new Map<string, string>();
  const graphs = new Map<string, string>();
  let config: string | undefined;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let parsed:
      | RecordedEvent
      | { journal: number; config: string }
      | { summaryOf: string; summary: unknown }
      | { graphOf: string; graph: unknown };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      break;
    }
    if ("journal" in parsed) config = parsed.config;
    else if ("summaryOf" in parsed) summaries.set(parsed.summaryOf, JSON.stringify(parsed.summary));
    else if ("graphOf" in parsed) graphs.set(parsed.graphOf, JSON.stringify(parsed.graph));
    else events.push(parsed);
  }
  return { config, events, summaries, graphs };
}

/**
 * Whether process `pid`, which created a journal at `sinceMs`, is still running — and is that
 * same process, not a later one that reused its pid. Given by the caller (the CLI wires in
 * exec's `runningSince`): the store does not look at processes.
 */
export type RunnerAlive = (pid: number, sinceMs: number) => boolean;

/**
 * The runs of `config` being recorded right now (their journals' writers are alive): `parex
 * history` lists them as running, before they reach `history.db`.
 */
export function liveRuns(dir: string, config: string, runnerAlive: RunnerAlive): RunRow[] {
  const runs: RunRow[] = [];
  for (const file of journalFiles(dir).filter((f) => beingWritten(f, runnerAlive))) {
    let journal: JournalContent;
    try {
      journal = readJournal(file);
    } catch {
      continue; // committed and deleted since it was listed
    }
    const [first] = journal.events;
    if (journal.config !== config || first?.type !== "run.started") continue;
    runs.push({
      id: first.runId,
      startedAt: first.time,
      finishedAt: undefined,
      status: "running",
      tasks: first.tasks.length,
      concurrency: first.concurrency,
      summary: undefined,
      resumedBy: undefined,
    });
  }
  return runs;
}

/** The journals in `dir` whose writer is no longer running: left by a runner that died. */
export function staleJournals(dir: string, runnerAlive: RunnerAlive): string[] {
  return journalFiles(dir)
    .filter((file) => !beingWritten(file, runnerAlive))
    .sort((a, b) => nameParts(a).created - nameParts(b).created); // oldest first: durations are learned in order
}

/** Every journal in `dir`. */
function journalFiles(dir: string): string[] {
  try {
    return readdirSync(journalDir(dir))
      .filter((name) => name.endsWith(".jsonl"))
      .map((name) => join(journalDir(dir), name));
  } catch {
    return [];
  }
}

/**
 * Whether `file` is still being written: by this process (`writing`), or by the live runner its
 * name gives. Another journal with this process's pid was left by a dead process.
 */
function beingWritten(file: string, runnerAlive: RunnerAlive): boolean {
  if (writing.has(file)) return true;
  const { pid, created } = nameParts(file);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && runnerAlive(pid, created);
}

/** The writer's pid and the creation time (ms since the epoch) in a journal's name. */
function nameParts(file: string): { pid: number; created: number } {
  const [pid, created] = basename(file).split(".").map(Number);
  return { pid: pid ?? Number.NaN, created: created ?? Number.NaN };
}
