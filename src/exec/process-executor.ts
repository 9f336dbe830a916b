import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { onAbort } from "../core/index.js";
import type {
  AttemptContext,
  AttemptResult,
  AttemptUsage,
  Command,
  Executor,
} from "../core/index.js";
import { LogFile } from "./log-file.js";
import { ProcSampler } from "./proc-sampler.js";
import { capture, closed } from "./process-output.js";
import type { GroupUsage } from "./proc-sampler.js";
import { killGroup, signalGroup } from "./process-group.js";
import { defaultReadyTimeoutMs, describeProbe, waitUntilReady } from "./probes.js";
import type { LineListener } from "./probes.js";
import { Tail } from "./tail.js";

/** Options of {@link processExecutor}. */
export interface ProcessExecutorOptions {
  /** After SIGTERM, how long a process group has before SIGKILL, in ms. Default 5,000. */
  readonly killGraceMs?: number;
  /** Each attempt's output is written byte for byte to `<logDir>/<task>.<attempt>.log`. Default: no files. */
  readonly logDir?: string;
  /** Bytes of each attempt's output kept in memory, for error messages. Default 16 KiB. */
  readonly tailBytes?: number;
  /** The environment commands start from. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Whoever shows the output (a terminal, a pipe) can push back: while the promise this
   * returns is pending, commands' output is not read, so they wait on their full pipe
   * instead of the runner buffering it. Default: no push-back.
   */
  readonly backpressure?: () => Promise<void> | undefined;
  /** Told when the log directory cannot be created; the run goes on without log files. */
  readonly onLogError?: (error: Error) => void;
}

/** The process executor, and the last resort of a second Ctrl-C. */
export interface ProcessExecutor extends Executor<Command> {
  /** SIGKILLs every running process group at once, without waiting for a grace period. */
  killNow(): void;
}

/**
 * Runs commands as child processes, each in its own process group. When the attempt's signal
 * aborts (timeout or cancellation), the whole group gets SIGTERM, then SIGKILL after the grace
 * period, and the attempt ends only once no process of the group is left. Processes a command
 * leaves behind in its group when it exits are stopped the same way.
 */
export function processExecutor(options: ProcessExecutorOptions = {}): ProcessExecutor {
  const settings = {
    killGraceMs: options.killGraceMs ?? 5_000,
    tailBytes: options.tailBytes ?? 16 * 1024,
    env: options.env ?? process.env,
    logDir: options.logDir,
    backpressure: options.backpressure,
  };
  if (settings.logDir !== undefined) {
    try {
      mkdirSync(settings.logDir, { recursive: true });
    } catch (error) {
      options.onLogError?.(error as Error);
      settings.logDir = undefined;
    }
  }
  const groups = new Set<number>();
  const sampler = new ProcSampler();
  return {
    execute: (command, context) => runProcess(command, context, { ...settings, groups, sampler }),
    killNow: () => {
      for (const group of groups) signalGroup(group, "SIGKILL");
    },
  };
}

interface Settings {
  /** Process groups running now. */
  readonly groups: Set<number>;
  readonly sampler: ProcSampler;
  readonly killGraceMs: number;
  readonly tailBytes: number;
  readonly env: NodeJS.ProcessEnv;
  readonly logDir: string | undefined;
  readonly backpressure: (() => Promise<void> | undefined) | undefined;
}

function runProcess(
  command: Command,
  context: AttemptContext,
  settings: Settings,
): Promise<AttemptResult> {
  if (context.signal.aborted) return Promise.resolve({ ok: false, reason: "aborted" });
  const asked = performance.now();
  const [file, args] = argv(command.command);
  const log = new LogFile(settings.logDir, context.taskId, context.attempt);
  const tail = new Tail(settings.tailBytes);
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: command.cwd,
      env: command.env === undefined ? settings.env : { ...settings.env, ...command.env },
      detached: true, // its own process group, so the whole tree can be signalled at once
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    return Promise.resolve(spawnError(error, file, command.cwd));
  }
  const lines = new Set<LineListener>();
  capture(child, context, { tail, log, lines, backpressure: settings.backpressure });
  const group = child.pid;
  if (group !== undefined) settings.groups.add(group);
  const usage = measure(child, settings.sampler, asked);
  child.once("spawn", () => {
    if (child.pid !== undefined) context.process(child.pid);
  });
  return new Promise((resolve) => {
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopping ??= killGroup(child.pid, settings.killGraceMs));
    const unsubscribe = onAbort(context.signal, () => void stop());
    const probe =
      command.persistent === true ? serve(command, context, { lines, stop }) : undefined;
    child.once("error", (error) => {
      unsubscribe();
      void log.close().then(() => resolve(spawnError(error, file, command.cwd)));
    });
    child.once("exit", (code, signal) => {
      unsubscribe();
      probe?.stop();
      // The leader is gone; whatever it left running in its group is stopped before the task ends.
      void stop()
        .then(() => {
          if (group !== undefined) settings.groups.delete(group);
          return closed(child, settings.killGraceMs);
        })
        .then(() => log.close())
        .then(() => {
          const result = probe?.failure() ?? outcome(code, signal, tail.text());
          resolve({ ...result, usage: usage() });
        });
    });
  });
}

/**
 * Watches a persistent command until its probe passes, then reports it ready; a probe that
 * times out stops the process group, and the attempt fails with `timeout`.
 */
function serve(
  command: Command,
  context: AttemptContext,
  running: { readonly lines: Set<LineListener>; readonly stop: () => Promise<void> },
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

/** Spawn time, and the group's CPU and peak memory from the moment it has started. */
function measure(child: ChildProcess, sampler: ProcSampler, asked: number): () => AttemptUsage {
  let spawnMs: number | undefined;
  let stop: (() => GroupUsage | undefined) | undefined;
  child.once("spawn", () => {
    spawnMs = performance.now() - asked;
    if (child.pid !== undefined) stop = sampler.track(child.pid);
  });
  return () => ({ ...(spawnMs === undefined ? {} : { spawnMs }), ...stop?.() });
}

function argv(command: string | readonly string[]): [string, string[]] {
  if (typeof command === "string") return ["sh", ["-c", command]];
  const [file = "", ...args] = command;
  return [file, args];
}

function outcome(code: number | null, signal: NodeJS.Signals | null, tail: string): AttemptResult {
  if (code === 0) return { ok: true, exitCode: 0 };
  const last = tail.trimEnd().split("\n").slice(-5).join("\n");
  if (signal !== null) {
    return {
      ok: false,
      reason: "signal",
      signal,
      error: { name: "SignalError", message: `killed by ${signal}${last ? `\n${last}` : ""}` },
    };
  }
  return {
    ok: false,
    reason: "exit-code",
    exitCode: code ?? 1,
    error: {
      name: "ExitCodeError",
      message: `exited with code ${code ?? 1}${last ? `\n${last}` : ""}`,
    },
  };
}

/** Why a command could not start, in words: `command not found: eslint`. */
function spawnError(error: unknown, file: string, cwd: string | undefined): AttemptResult {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  let message: string;
  // spawn says ENOENT both for a missing program and for a missing working directory.
  if (code === "ENOENT" && cwd !== undefined && !existsSync(cwd))
    message = `working directory not found: ${cwd}`;
  else if (code === "ENOENT")
    message = file.includes("/") ? `no such file: ${file}` : `command not found: ${file}`;
  else if (code === "EACCES") message = `permission denied: ${file} cannot be run`;
  else
    message = `could not start ${file}: ${error instanceof Error ? error.message : String(error)}`;
  return {
    ok: false,
    reason: "spawn-error",
    error: { name: "SpawnError", message, ...(code === undefined ? {} : { code }) },
  };
}
