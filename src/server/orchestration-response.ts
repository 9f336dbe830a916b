import type {
  Breakers,
  BreakerStateName,
  RunResult,
  RunStatus,
  TaskRecord,
} from "../core/index.js";
import { breakerKey } from "./orchestrate.js";

/** How one service fared, in seed 003's shape. */
export interface ServiceOutcome {
  /** `success` also when a fallback stood in (then `fallbackUsed`). */
  readonly status: "success" | "failed" | "skipped" | "cancelled";
  /** ms from its first call to its last answer; 0 when it was never called. */
  readonly responseTime: number;
  readonly circuitBreakerState: BreakerStateName;
  readonly fallbackUsed: boolean;
  readonly attempts: number;
  readonly data?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/** The answer of `POST /api/v1/orchestrate`. */
export interface OrchestrationAnswer {
  readonly success: boolean;
  readonly data: {
    readonly status: RunStatus;
    readonly services: Readonly<Record<string, ServiceOutcome>>;
    readonly parallelExecutionStats: {
      readonly totalServices: number;
      readonly successfulServices: number;
      readonly failedServices: number;
      readonly averageResponseTime: number;
      readonly concurrency: number;
    };
    readonly executionTime: number;
    readonly successRate: number;
  };
  readonly meta: {
    readonly executionMode: "parallel" | "sequential";
    readonly correlationId: string;
    readonly runId: string;
    readonly strategy: RunResult["strategy"];
  };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Turns an orchestration's run into the answer; `success` when the strategy's requirements held. */
export function orchestrationAnswer(
  run: RunResult,
  options: {
    readonly breakers: Breakers;
    readonly sequential: boolean;
    readonly correlationId: string;
    /** The request's deadline, when it passed before the run ended. */
    readonly deadlinePassedMs?: number;
  },
): OrchestrationAnswer {
  const services: Record<string, ServiceOutcome> = {};
  const times: number[] = [];
  for (const task of run.tasks) {
    const outcome = serviceOutcome(task, run, options);
    services[task.id] = outcome;
    if (task.spans.length > 0) times.push(outcome.responseTime);
  }
  const successful = run.tasks.filter((t) => t.status === "succeeded").length;
  const total = run.tasks.length;
  const average = times.length === 0 ? 0 : times.reduce((a, b) => a + b, 0) / times.length;
  return {
    success: run.status === "succeeded" || run.status === "partial",
    data: {
      status: run.status,
      services,
      parallelExecutionStats: {
        totalServices: total,
        successfulServices: successful,
        failedServices: total - successful,
        averageResponseTime: round(average),
        concurrency: run.concurrency,
      },
      executionTime: round(run.finishedAt - run.startedAt),
      successRate: total === 0 ? 1 : Math.round((successful / total) * 1000) / 1000,
    },
    meta: {
      executionMode: options.sequential ? "sequential" : "parallel",
      correlationId: options.correlationId,
      runId: run.runId,
      strategy: run.strategy,
    },
  };
}

function serviceOutcome(
  task: TaskRecord,
  run: RunResult,
  {
    breakers,
    deadlinePassedMs,
  }: { readonly breakers: Breakers; readonly deadlinePassedMs?: number },
): ServiceOutcome {
  const first = task.spans[0];
  const last = task.spans[task.spans.length - 1];
  const base = {
    status: task.status === "succeeded" ? ("success" as const) : task.status,
    responseTime: first === undefined || last === undefined ? 0 : round(last.end - first.start),
    circuitBreakerState: breakers.state(breakerKey(task.id)),
    fallbackUsed: task.fallbackUsed,
    attempts: task.attempts,
  };
  if (task.status === "succeeded") return { ...base, data: run.results.get(task.id) ?? null };
  if (task.reason === "aborted" && deadlinePassedMs !== undefined) {
    const message = `No answer from ${task.id} within the request's deadline of ${deadlinePassedMs} ms.`;
    return { ...base, error: { code: "DEADLINE_EXCEEDED", message } };
  }
  return { ...base, error: errorOf(task) };
}

const reasonCodes: Readonly<Record<string, string>> = {
  timeout: "TIMEOUT",
  "breaker-open": "CIRCUIT_OPEN",
  "dependency-failed": "DEPENDENCY_FAILED",
  aborted: "CANCELLED",
};

function errorOf(task: TaskRecord): { code: string; message: string } {
  const reason = task.reason ?? "error";
  const code = reasonCodes[reason] ?? task.error?.code ?? "SERVICE_FAILED";
  const message =
    reason === "breaker-open"
      ? `The circuit breaker of ${task.id} is open: it failed too often recently.`
      : reason === "dependency-failed"
        ? `Not called: a service ${task.id} depends on did not succeed.`
        : reason === "aborted"
          ? `Cancelled before ${task.id} answered (deadline, failure of a required service, or shutdown).`
          : (task.error?.message ?? `${task.id} failed (${reason}).`);
  return { code, message };
}

/** The HTTP status of an answer: 200 when it succeeded, 504 when cut short (the deadline), else 502. */
export function answerStatus(answer: OrchestrationAnswer): number {
  if (answer.success) return 200;
  return answer.data.status === "cancelled" ? 504 : 502;
}
