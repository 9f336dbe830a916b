import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { newRunId, onAbort } from "../core/index.js";
import type {
  AttemptContext,
  AttemptResult,
  AttemptUsage,
  Command,
  Executor,
} from "../core/index.js";
import { LogFile } from "./log-file.js";
import { ProcSampler } from "./proc-sampler.js";
import { afterExit } from "./leftovers.js";
import { capture } from "./process-output.js";
import type { GroupUsage } from "./proc-sampler.js";
import { killGroup, signalGroup } from "./process-group.js";
import { attemptMark, byAttempt, killMarked, killRunStrays, markVariable } from "./strays.js";
import type { SparedAttempt, StraysOfAttempt } from "./strays.js";
import type { LineListener } from "./probes.js";
import { serve } from "./service-probe.js";
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
  /**
   * The run whose tasks it runs: each task's processes carry `PAREX_TASK=<runId>/<task>/<attempt>`
   * in their environment (strays.ts). Default: an id of its own.
   */
  readonly runId?: string;
  /** Told of the processes a task left behind outside its group, once they are stopped. */
  readonly onStrays?: (strays: StraysOfAttempt) => void;
}

/** The process executor, and the last resort of a second Ctrl-C. */
export interface ProcessExecutor extends Executor<Command> {
  /**
   * SIGKILLs every running process group at once, without waiting for a grace period; strays
   * found from now on are SIGKILLed at once too.
   */
  killNow(): void;
  /**
   * Once the run has ended: stops every process still carrying the mark of one of its tasks
   * (SIGTERM, then SIGKILL after the grace period), telling `onStrays` of each task's. The
   * processes of the `spared` attempts (services kept running) are left alone: stopping one
   * sweeps its own. Default: none spared.
   */
  sweep(spared?: readonly SparedAttempt[]): Promise<void>;
}

/**
 * Runs commands as child processes, each in its own process group. When the attempt's signal
 * aborts (timeout or cancellation), the whole group gets SIGTERM, then SIGKILL after the grace
 * period, and the attempt ends only once no process of the group is left. Processes a command
 * leaves behind in its group when it exits are stopped the same way; those that left the group
 * are found by their mark and stopped when the attempt ends (on a sign of them) or at `sweep()`.
 */
export function processExecutor(options: ProcessExecutorOptions = {}): ProcessExecutor {
  const settings = {
    killGraceMs: options.killGraceMs ?? 5_000,
    tailBytes: options.tailBytes ?? 16 * 1024,
    // A copy: spread into each spawn's environment, a plain object costs a tenth of process.env.
    env: { ...(options.env ?? process.env) },
    logDir: options.logDir,
    backpressure: options.backpressure,
    runId: options.runId ?? newRunId(Date.now()),
    onStrays: options.onStrays,
    urgent: { now: false },
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
      settings.urgent.now = true;
      for (const group of groups) signalGroup(group, "SIGKILL");
    },
    sweep: async (spared = []) => {
      const grace = settings.urgent.now ? 0 : settings.killGraceMs;
      const found = await killRunStrays(settings.runId, grace, spared);
      for (const strays of found) settings.onStrays?.(strays);
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
  readonly runId: string;
  readonly onStrays: ((strays: StraysOfAttempt) => void) | undefined;
  /** After a second Ctrl-C: strays are SIGKILLed at once. */
  readonly urgent: { now: boolean };
}

/** Stops the processes carrying an attempt's mark that outlived its group, and tells of them. */
async function sweepAttempt(settings: Settings, context: AttemptContext): Promise<void> {
  const mark = attemptMark(settings.runId, context.taskId, context.attempt);
  const grace = settings.urgent.now ? 0 : settings.killGraceMs;
  const [strays] = byAttempt(settings.runId, await killMarked((m) => m === mark, grace));
  if (strays !== undefined) settings.onStrays?.(strays);
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
      env: {
        ...settings.env,
        ...command.env,
        [markVariable]: attemptMark(settings.runId, context.taskId, context.attempt),
      },
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
  const signs = { seen: false };
  const usage = measure(child, settings.sampler, { asked, signs });
  child.once("spawn", () => {
    if (child.pid !== undefined) context.process(child.pid);
  });
  return new Promise((resolve) => {
    let stopping: Promise<boolean> | undefined;
    const stop = (): Promise<boolean> => (stopping ??= killGroup(child.pid, settings.killGraceMs));
    // Stopped before it ended: a process that left its group would outlive the group's end.
    const stopEarly = (): Promise<boolean> => {
      signs.seen = true;
      return stop();
    };
    const unsubscribe = onAbort(context.signal, () => void stopEarly());
    const probe =
      command.persistent === true ? serve(command, context, { lines, stop: stopEarly }) : undefined;
    child.once("error", (error) => {
      unsubscribe();
      void log.close().then(() => resolve(spawnError(error, file, command.cwd)));
    });
    child.once("exit", (code, signal) => {
      unsubscribe();
      probe?.stop();
      // The leader is gone; whatever it left running is stopped before the task ends.
      const sweep = () => sweepAttempt(settings, context);
      void afterExit(child, { stop, signs, sweep, graceMs: settings.killGraceMs })
        .then(() => {
          if (group !== undefined) settings.groups.delete(group);
          return log.close();
        })
        .then(() => {
          const result = probe?.failure() ?? outcome(code, signal, tail.text());
          resolve({ ...result, usage: usage() });
        });
    });
  });
}

/**
 * Spawn time, and the group's CPU and peak memory from the moment it has started; a sample that
 * finds a process of its tree outside the group is a sign of strays.
 */
function measure(
  child: ChildProcess,
  sampler: ProcSampler,
  attempt: { readonly asked: number; readonly signs: { seen: boolean } },
): () => AttemptUsage {
  let spawnMs: number | undefined;
  let stop: (() => GroupUsage | undefined) | undefined;
  child.once("spawn", () => {
    spawnMs = performance.now() - attempt.asked;
    if (child.pid !== undefined) stop = sampler.track(child.pid, () => (attempt.signs.seen = true));
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
