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

/**
 * A result read back from Redis or the channel, or undefined when it is not one: its fields
 * are checked, since anyone who can write to the Redis can write there.
 */
export function asJobResult(value: unknown): JobResult | undefined {
  const parsed: unknown = typeof value === "string" ? safeParse(value) : value;
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const result = parsed as Record<string, unknown>;
  if (result["ok"] === false && typeof result["reason"] !== "string") return undefined;
  if (typeof result["ok"] !== "boolean") return undefined;
  if (result["worker"] !== undefined && typeof result["worker"] !== "string") return undefined;
  if (result["chunks"] !== undefined && !Number.isInteger(result["chunks"])) return undefined;
  return parsed as JobResult;
}

/** A message read from the output channel, or undefined when it is not one (of any field). */
export function asWorkerMessage(text: string): WorkerMessage | undefined {
  const parsed = safeParse(text);
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const message = parsed as Record<string, unknown>;
  if (typeof message["jobId"] !== "string") return undefined;
  const isText = (key: string): boolean => typeof message[key] === "string";
  switch (message["type"]) {
    case "output":
      return (message["stream"] === "stdout" || message["stream"] === "stderr") && isText("chunk")
        ? (parsed as WorkerMessage)
        : undefined;
    case "ready":
      return parsed as WorkerMessage;
    case "started":
      return isText("worker") ? (parsed as WorkerMessage) : undefined;
    case "ended":
      return asJobResult(message["result"]) === undefined ? undefined : (parsed as WorkerMessage);
    case "refused":
      return isText("reason") ? (parsed as WorkerMessage) : undefined;
    default:
      return undefined;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
