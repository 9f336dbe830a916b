import type Database from "better-sqlite3";
import type { RunnerAlive } from "./journal-file.js";

/** Who records a run: its runner's pid and a time it was known to be running (ms since the epoch). */
export type Recorder = readonly [pid: number, sinceMs: number];

/**
 * Gives a run whose recorder died before the run ended its final status, `interrupted`, and as
 * its end the last moment recorded of it. Without this a SIGKILLed runner's run stayed
 * `running` for ever, and `parex stats` could not count it.
 *
 * A run marked so by mistake (a live runner taken for dead: another pid namespace) is put right
 * when its real end is committed: an interrupted run is not a finished one.
 */
export function interruptedRuns(db: Database.Database) {
  const statements = {
    unfinished: db.prepare(
      "SELECT id, runner_pid, runner_since FROM runs WHERE finished_at IS NULL",
    ),
    atLastAttempt: db.prepare(
      `UPDATE runs SET status = 'interrupted', finished_at = max(started_at, coalesce(
         (SELECT max(coalesce(finished_at, started_at)) FROM attempts WHERE run_id = runs.id),
         started_at))
       WHERE id = ? AND finished_at IS NULL`,
    ),
    at: db.prepare(
      `UPDATE runs SET status = 'interrupted', finished_at = ?
       WHERE id = ? AND (finished_at IS NULL OR status = 'interrupted')`,
    ),
  };
  return {
    /** A journal's run that has no end: it ended, as far as anyone knows, at its last event. */
    endedAt(runId: string, time: number): void {
      statements.at.run(time, runId);
    },
    /**
     * The runs recorded straight into the history (`parex serve`) whose recorder is no longer
     * running. A run with no recorder was written by an older parex, or committed by it from a
     * dead runner's journal: dead too (were it alive, its end would still be written over this).
     */
    ofDeadRecorders(runnerAlive: RunnerAlive): void {
      const rows = statements.unfinished.all() as UnfinishedRun[];
      for (const row of rows) {
        const recorder: Recorder | undefined =
          row.runner_pid === null ? undefined : [row.runner_pid, row.runner_since ?? 0];
        if (recorder === undefined || !recording(recorder, runnerAlive)) {
          statements.atLastAttempt.run(row.id);
        }
      }
    },
  };
}

/** Whether `recorder` is still running: this process, or a live one that was running then. */
function recording([pid, sinceMs]: Recorder, runnerAlive: RunnerAlive): boolean {
  // A process that held this pid before this one started was another process.
  if (pid === process.pid) return sinceMs >= performance.timeOrigin - 1_000;
  return runnerAlive(pid, sinceMs);
}

interface UnfinishedRun {
  readonly id: string;
  readonly runner_pid: number | null;
  readonly runner_since: number | null;
}
