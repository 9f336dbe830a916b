import type { JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import type { RunSummary, TaskSummary } from "../../core/index.js";
import { count, duration } from "../model/format.js";

/** Rows shown before "Show all": a run of thousands of tasks must not wait for its table. */
const firstRows = 100;

/** Tasks that did not succeed first, then the others by when they started. */
function ordered(tasks: readonly TaskSummary[]): readonly TaskSummary[] {
  const rank = (task: TaskSummary): number => (task.status === "succeeded" ? 1 : 0);
  return [...tasks].sort(
    (a, b) => rank(a) - rank(b) || (a.startMs ?? Infinity) - (b.startMs ?? Infinity) || 0,
  );
}

/**
 * Every task of an ended run, from its summary: status, start, time, attempts, slot and why it
 * ended as it did, with a failed task's last lines of output. A task's id opens its log.
 */
export function TasksPanel(props: {
  readonly summary: RunSummary;
  readonly onSelect: (taskId: string) => void;
}): JSX.Element {
  const { summary, onSelect } = props;
  const [all, setAll] = useState(false);
  const rows = useMemo(() => ordered(summary.tasks), [summary]);
  const shown = all ? rows : rows.slice(0, firstRows);
  const time = (ms: number | undefined): string => (ms === undefined ? "-" : duration(ms));
  return (
    <section class="panel deferred" aria-labelledby="h-tasks">
      <h2 id="h-tasks">Tasks</h2>
      <div class="wide">
        <table data-tasks={rows.length}>
          <thead>
            <tr>
              <th>task</th>
              <th>status</th>
              <th class="num">start</th>
              <th class="num">time</th>
              <th class="num">attempts</th>
              <th class="num">slot</th>
              <th>why</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((task) => (
              <tr key={task.id} data-task-row={task.id}>
                <td>
                  <button type="button" class="link" onClick={() => onSelect(task.id)}>
                    {task.id}
                  </button>
                </td>
                <td>
                  <span class="status" data-status={task.status}>
                    {task.status}
                  </span>
                </td>
                <td class="num">{time(task.startMs)}</td>
                <td class="num">{time(task.durationMs)}</td>
                <td class="num">{task.attempts}</td>
                <td class="num">{task.slot ?? "-"}</td>
                <td>
                  <Why task={task} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length < rows.length && (
        <p>
          <button type="button" onClick={() => setAll(true)}>
            Show all {count(rows.length)} tasks
          </button>
        </p>
      )}
    </section>
  );
}

function Why(props: { readonly task: TaskSummary }): JSX.Element {
  const { task } = props;
  const lines = task.lastLines ?? [];
  return (
    <>
      {task.error ?? task.reason ?? ""}
      {lines.length > 0 && <pre class="last-lines">{lines.join("\n")}</pre>}
    </>
  );
}
