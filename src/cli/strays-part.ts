import type { RunEvent, RunSummary } from "../core/index.js";
import type { RunPart } from "./run-parts.js";

type StraysKilled = Extract<RunEvent, { type: "task.strays-killed" }>;

/**
 * The summary's `straysKilled`: each process a task left behind outside its process group and
 * that was stopped, as the executor reported them (also in its sweep after the last task).
 */
export function straysPart(): RunPart {
  const found: StraysKilled[] = [];
  return {
    listener: (event) => {
      if (event.type === "task.strays-killed") found.push(event);
    },
    conclude: (summary): RunSummary =>
      found.length === 0
        ? summary
        : {
            ...summary,
            straysKilled: found.flatMap(({ taskId, attempt, processes }) =>
              processes.map((process) => ({ taskId, attempt, ...process })),
            ),
          },
  };
}
