import { setTimeout as sleep } from "node:timers/promises";
import type { ReadyProbe } from "../core/index.js";

/** Default time a service has to become ready, in ms. */
export const defaultReadyTimeoutMs = 30_000;

/** Lines of a command's output, as they come: what a log probe watches. */
export type LineListener = (line: string) => void;

/** What {@link waitUntilReady} needs. */
export interface ProbeOptions {
  /** Aborted when probing must stop (the process ended, or the attempt was aborted). */
  readonly signal: AbortSignal;
  /** Subscribes to the command's output lines; returns the unsubscribe function. */
  readonly onLine: (listener: LineListener) => () => void;
}

/**
 * Resolves `true` once the probe passes, `false` when its timeout passes first or `signal`
 * aborts. Without a probe, a service is ready as soon as it has started.
 */
export async function waitUntilReady(
  probe: ReadyProbe | undefined,
  options: ProbeOptions,
): Promise<boolean> {
  if (probe === undefined) return true;
  const deadline = Date.now() + (probe.timeoutMs ?? defaultReadyTimeoutMs);
  if ("log" in probe) return logMatches(new RegExp(probe.log), deadline, options);
  const check =
    "port" in probe
      ? () => portOpen(probe.port, probe.host ?? "127.0.0.1")
      : () => answers2xx(probe.url);
  for (
    let wait = 20;
    !options.signal.aborted && Date.now() < deadline;
    wait = Math.min(wait * 2, 250)
  ) {
    if (await check()) return true;
    await sleep(Math.min(wait, Math.max(0, deadline - Date.now())), undefined, {
      signal: options.signal,
    }).catch(() => undefined);
  }
  return false;
}

/** Describes a probe for messages: `port 5432`, `GET http://…`, `log /ready/`. */
export function describeProbe(probe: ReadyProbe): string {
  if ("port" in probe) return `port ${probe.port}`;
  if ("url" in probe) return `GET ${probe.url}`;
  return `a log line matching /${probe.log}/`;
}

async function portOpen(port: number, host: string): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(1_000, () => done(false));
  });
}

async function answers2xx(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: "manual" });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function logMatches(pattern: RegExp, deadline: number, options: ProbeOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ready: boolean): void => {
      clearTimeout(timer);
      unsubscribe();
      options.signal.removeEventListener("abort", stop);
      resolve(ready);
    };
    const stop = (): void => finish(false);
    const timer = setTimeout(stop, Math.max(0, deadline - Date.now()));
    const unsubscribe = options.onLine((line) => {
      if (pattern.test(line)) finish(true);
    });
    options.signal.addEventListener("abort", stop, { once: true });
  });
}
