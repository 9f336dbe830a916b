import type { ErrorInfo } from "./errors.js";
import type { TaskGraph } from "./graph.js";
import type { FailureReason, TaskRecord, TaskStatus } from "./outcome.js";

/** A failed attempt, as a record, a retry event or an executor's result describes it. */
export interface FailureFacts {
  readonly reason: FailureReason;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly error?: ErrorInfo;
}

// What sh's own exit codes mean: it could not run the command at all.
const shellMeaning: Readonly<Record<number, string>> = {
  126: " (not executable)",
  127: " (command not found)",
};

const firstLine = (text: string | undefined): string | undefined =>
  text === undefined || text.trim() === "" ? undefined : text.trim().split("\n", 1)[0];

/** 500 → "500 ms", 5000 → "5 s", 1500 → "1.5 s". */
function time(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(2))} s`;
}

/**
 * One failure in words: "exit code 127 (command not found)", "killed by SIGKILL", "timed out
 * after 5 s", "command not found: eslint". `timeoutMs` is the task's, when known.
 */
export function failureInWords(failure: FailureFacts, timeoutMs?: number): string {
  const message = firstLine(failure.error?.message);
  switch (failure.reason) {
    case "exit-code":
      return failure.exitCode === undefined
        ? (message ?? "exited with a non-zero code")
        : `exit code ${failure.exitCode}${shellMeaning[failure.exitCode] ?? ""}`;
    case "signal":
      return `killed by ${failure.signal ?? "a signal"}`;
    case "timeout":
      // A service's readiness probe says what it waited for; an attempt's timeout says how long.
      if (failure.error?.name !== "TimeoutError" && message !== undefined) return message;
      return timeoutMs === undefined
        ? (message ?? "timed out")
        : `timed out after ${time(timeoutMs)}`;
    case "spawn-error":
      return message ?? "its process could not be started";
    case "breaker-open":
      return "refused: its circuit breaker is open";
    case "error": {
      const name = failure.error?.name;
      const prefix = name === undefined || name === "Error" ? "" : `${name}: `;
      return `${prefix}${message ?? "its function failed"}`;
    }
    case "dependency-failed":
      return "a dependency did not succeed";
    case "aborted":
      return "the run was cancelled";
    default:
      return failure.reason satisfies never;
  }
}

/** Tasks that ended together without starting (a `tasks.finished` event's facts). */
export interface UnstartedBatch {
  readonly taskIds: readonly string[];
  readonly status: "skipped" | "cancelled";
  readonly reason: "dependency-failed" | "aborted";
  /** For `skipped`: the task whose failure skipped them. */
  readonly dependency?: string;
}

const endedAs: Readonly<Record<TaskStatus, string>> = {
  succeeded: "succeeded",
  failed: "failed",
  skipped: "was skipped",
  cancelled: "was cancelled",
};

/**
 * Says how each task of a run ended, in words, as tasks end: a skipped task names the
 * dependency that kept it from running, a cancelled one the failure that stopped the run.
 */
export class OutcomeWords {
  readonly #graph: TaskGraph | undefined;
  readonly #status = new Map<string, TaskStatus>();
  #firstFailed: string | undefined;

  /** Without the graph, skipped tasks cannot name their dependency nor timeouts their length. */
  constructor(graph?: TaskGraph) {
    this.#graph = graph;
  }

  /** Notes how a task ended, for the words of the tasks that depend on it. */
  note(task: TaskRecord): void {
    this.#status.set(task.id, task.status);
    if (task.status === "failed") this.#firstFailed ??= task.id;
  }

  /** How a task ended, in words (it is noted first); undefined when it succeeded. */
  of(task: TaskRecord): string | undefined {
    this.note(task);
    if (task.status === "succeeded") return undefined;
    const index = this.#graph?.indexOf.get(task.id);
    if (task.reason === "dependency-failed") return this.#blocked(index);
    if (task.reason === "aborted") return this.#stopped();
    const timeoutMs = index === undefined ? undefined : this.#graph?.tasks[index]?.timeoutMs;
    const words = failureInWords({ reason: task.reason ?? "error", ...facts(task) }, timeoutMs);
    return task.attempts > 1 ? `${words} (after ${task.attempts} attempts)` : words;
  }

  /**
   * How tasks that ended together without starting ended, in words (each is noted): the task
   * whose failure skipped them, or the failure that stopped the run.
   */
  ofUnstarted(batch: UnstartedBatch): string {
    for (const id of batch.taskIds) this.#status.set(id, batch.status);
    if (batch.reason === "aborted") return this.#stopped();
    const cause = batch.dependency;
    if (cause === undefined) return "a dependency did not succeed";
    return `${cause} ${endedAs[this.#status.get(cause) ?? "failed"]}`;
  }

  #stopped(): string {
    const failed = this.#firstFailed;
    return failed === undefined
      ? "the run was cancelled"
      : `the run stopped after ${failed} failed`;
  }

  /** Names the first dependency that did not succeed and, through skipped ones, the cause. */
  #blocked(index: number | undefined): string {
    const dependency = this.#unsuccessful(index);
    if (dependency === undefined) return "a dependency did not succeed";
    const status = this.#status.get(dependency) ?? "failed";
    let cause = dependency;
    for (let hops = 0; this.#status.get(cause) === "skipped" && hops < 10_000; hops++) {
      const next = this.#unsuccessful(this.#graph?.indexOf.get(cause));
      if (next === undefined) break;
      cause = next;
    }
    const causeStatus = this.#status.get(cause) ?? "failed";
    return cause === dependency
      ? `dependency ${dependency} ${endedAs[status]}`
      : `dependency ${dependency} ${endedAs[status]} (${cause} ${endedAs[causeStatus]})`;
  }

  #unsuccessful(index: number | undefined): string | undefined {
    if (index === undefined || this.#graph === undefined) return undefined;
    for (const dep of this.#graph.dependencies[index] ?? []) {
      const id = this.#graph.tasks[dep]?.id ?? "";
      const status = this.#status.get(id);
      if (status !== undefined && status !== "succeeded") return id;
    }
    return undefined;
  }
}

function facts(task: TaskRecord): Omit<FailureFacts, "reason"> {
  return {
    ...(task.exitCode === undefined ? {} : { exitCode: task.exitCode }),
    ...(task.signal === undefined ? {} : { signal: task.signal }),
    ...(task.error === undefined ? {} : { error: task.error }),
  };
}
