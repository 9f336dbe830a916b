import type { AttemptResult } from "../core/index.js";

/** What a worker publishes on a run's output channel while one of its jobs runs. */
export type WorkerMessage =
  | {
      readonly jobId: string;
      readonly type: "output";
      readonly stream: "stdout" | "stderr";
      readonly chunk: string;
    }
  /** A persistent task's service is ready. */
  | { readonly jobId: string; readonly type: "ready" }
  /** The worker took the job: who runs it. */
  | { readonly jobId: string; readonly type: "started"; readonly worker: string }
  /** The attempt ended: its result (the job's return value too). */
  | { readonly jobId: string; readonly type: "ended"; readonly result: JobResult }
  /** The worker refused the job, saying why (the job's failure reason too). */
  | { readonly jobId: string; readonly type: "refused"; readonly reason: string };

/**
 * What a worker's job returns: the attempt's result as plain JSON (no `thrown`), who ran it
 * (`host/pid`), and how many output messages it sent before it.
 */
export type JobResult = AttemptResult & { readonly worker?: string; readonly chunks?: number };

/** A result read back from Redis, or undefined when it is not one. */
export function asJobResult(value: unknown): JobResult | undefined {
  const parsed: unknown = typeof value === "string" ? safeParse(value) : value;
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const ok = (parsed as { ok?: unknown }).ok;
  return typeof ok === "boolean" ? (parsed as JobResult) : undefined;
}

/** A message read from the output channel, or undefined when it is not one. */
export function asWorkerMessage(text: string): WorkerMessage | undefined {
  const parsed = safeParse(text);
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { jobId, type } = parsed as { jobId?: unknown; type?: unknown };
  if (typeof jobId !== "string") return undefined;
  return type === "output" ||
    type === "ready" ||
    type === "started" ||
    type === "ended" ||
    type === "refused"
    ? (parsed as WorkerMessage)
    : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
