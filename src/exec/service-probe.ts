import { onAbort } from "../core/index.js";
import type { AttemptContext, AttemptResult, Command } from "../core/index.js";
import { defaultReadyTimeoutMs, describeProbe, waitUntilReady } from "./probes.js";
import type { LineListener } from "./probes.js";

/**
 * Watches a persistent command until its probe passes, then reports it ready; a probe that
 * times out stops the process group, and the attempt fails with `timeout`.
 */
export function serve(
  command: Command,
  context: AttemptContext,
  running: { readonly lines: Set<LineListener>; readonly stop: () => Promise<unknown> },
): { stop(): void; failure(): AttemptResult | undefined } {
  const probing = new AbortController();
  const unsubscribe = onAbort(context.signal, () => probing.abort());
  let timedOut = false;
  void waitUntilReady(command.ready, {
    signal: probing.signal,
    onLine: (listener) => {
      running.lines.add(listener);
      return () => running.lines.delete(listener);
    },
  }).then((ready) => {
    unsubscribe();
    if (probing.signal.aborted) return;
    if (ready) {
      context.ready();
      return;
    }
    timedOut = true;
    void running.stop();
  });
  return {
    stop: () => probing.abort(),
    failure: () => {
      if (!timedOut || command.ready === undefined) return undefined;
      const after = command.ready.timeoutMs ?? defaultReadyTimeoutMs;
      const message = `not ready after ${after} ms: waited for ${describeProbe(command.ready)}`;
      return { ok: false, reason: "timeout", error: { name: "NotReadyError", message } };
    },
  };
}
