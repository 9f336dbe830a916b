import type { RunStore } from "../core/index.js";
import { groupAlive, killGroup, killRunStrays } from "../exec/index.js";
import { straysLine } from "../report/index.js";
import { SqliteStore } from "../store/index.js";
import { UsageError } from "./args.js";

/**
 * What `--resume [RUN]` carries over from an interrupted run: the tasks that succeeded (they do
 * not run again), after stopping any process group it left running.
 */
export async function resumeFrom(
  which: string | undefined,
  history: RunStore,
  context: {
    readonly human: (text: string) => void;
    readonly killGraceMs: number | undefined;
    /** The run that resumes it. */
    readonly runId: string;
  },
): Promise<{ readonly done: ReadonlyMap<string, unknown>; readonly from?: string }> {
  if (which === undefined) return { done: new Map() };
  if (!(history instanceof SqliteStore)) {
    throw new UsageError(
      "parex run: --resume needs the run history (.parex/history.db), which cannot be used here.",
    );
  }
  const run = which === "last" ? history.recent(1)[0] : history.find(which);
  if (run === undefined) {
    throw new UsageError(
      `parex run: no run ${which === "last" ? "" : `"${which}" `}to resume. Run \`parex history\` for the list.`,
    );
  }
  const point = history.resumePoint(run.id);
  history.markResumed(run.id, context.runId);
  const alive = point.orphans.filter((pid) => groupAlive(pid));
  const graceMs = context.killGraceMs ?? 5_000;
  await Promise.all(alive.map((pid) => killGroup(pid, graceMs)));
  // Its processes that had left their groups, and any whose group the dead runner never wrote.
  const strays = await killRunStrays(run.id, graceMs);
  context.human(
    `Resuming ${run.id}: ${point.succeeded.length} tasks already succeeded${alive.length > 0 ? `, ${alive.length} process groups it left running stopped` : ""}.\n`,
  );
  for (const found of strays) {
    context.human(`${straysLine(found)}\n`);
  }
  return { done: new Map(point.succeeded.map((id) => [id, undefined])), from: run.id };
}
