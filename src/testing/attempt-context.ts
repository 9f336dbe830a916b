import type { AttemptContext } from "../core/index.js";

/**
 * An attempt's context for calling an executor directly: task "task", attempt 1, under
 * `signal`; its output is collected as `stream:chunk` strings, and readiness as "ready".
 */
export function attemptContext(signal: AbortSignal = new AbortController().signal): {
  ctx: AttemptContext;
  chunks: string[];
} {
  const chunks: string[] = [];
  const ctx: AttemptContext = {
    taskId: "task",
    attempt: 1,
    signal,
    results: {},
    output: (stream, chunk) => chunks.push(`${stream}:${chunk}`),
    ready: () => chunks.push("ready"),
    process: () => undefined,
  };
  return { ctx, chunks };
}
