import { mkdirSync } from "node:fs";
import type { Executor } from "../core/index.js";
import { LogFile } from "./log-file.js";

/**
 * `inner` with each attempt's output also written to `<logDir>/<task>.<attempt>.log`, as the
 * process executor writes its own: for tasks that run elsewhere (a distributed run's workers)
 * and send their output back as text.
 */
export function loggedExecutor<A>(inner: Executor<A>, logDir: string): Executor<A> {
  try {
    mkdirSync(logDir, { recursive: true });
  } catch {
    return inner; // No logs rather than no run, as the process executor does.
  }
  return {
    execute: async (action, context) => {
      const log = new LogFile(logDir, context.taskId, context.attempt);
      try {
        // Every member spelled out: a context may be a class instance whose methods a spread loses.
        return await inner.execute(action, {
          taskId: context.taskId,
          attempt: context.attempt,
          signal: context.signal,
          results: context.results,
          output: (stream, chunk) => {
            void log.write(Buffer.from(chunk));
            context.output(stream, chunk);
          },
          ready: () => context.ready(),
          process: (pid) => context.process(pid),
          worker: (id) => context.worker?.(id),
        });
      } finally {
        await log.close();
      }
    },
  };
}
