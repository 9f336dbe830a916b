import { runAttempt } from "./attempt.js";
import { eventSink } from "./events.js";
import type { RunEvent } from "./events.js";
import type { AttemptResult } from "./executor.js";
import type { TaskGraph } from "./graph.js";
import { expectInteger, expectOneOf } from "./expect.js";
import { failsFast, runStatus, strategies } from "./outcome.js";
import type { AttemptSpan, Strategy } from "./outcome.js";
import { processBreakers } from "./policies/breakers.js";
import { readyRank } from "./ready-rank.js";
import type { BreakerChange, Breakers } from "./policies/breakers.js";
import { hasAttemptLeft, retryDelay } from "./policies/retry.js";
import { Scheduler } from "./scheduler.js";
import { thrownResult } from "./executor.js";
import type { RunGraphOptions, RunResult } from "./run-types.js";
import { newRunId } from "./run-types.js";
import { HandedService } from "./running-service.js";
import { Services } from "./services.js";
import type { ServiceEnd } from "./services.js";
import { TaskAttempt } from "./task-attempt.js";
import type { AttemptHost } from "./task-attempt.js";
import { TaskRecorder } from "./task-recorder.js";

/**
 * Runs a validated graph: each task starts the moment its dependencies have succeeded and
 * a slot is free, under its timeout, retry, breaker and fallback policies. Task failures are
 * data in the result; this never rejects because a task failed.
 */
export type { RunGraphOptions, RunResult } from "./run-types.js";

export function runGraph<A>(graph: TaskGraph<A>, options: RunGraphOptions<A>): Promise<RunResult> {
  expectInteger("concurrency", options.concurrency ?? Infinity, { min: 1, allowInfinity: true });
  expectOneOf("strategy", options.strategy ?? "all", strategies);
  return new GraphRun(graph, options).start();
}

class GraphRun<A> {
  readonly #graph: TaskGraph<A>;
  readonly #options: RunGraphOptions<A>;
  readonly #strategy: Strategy;
  readonly #scheduler: Scheduler;
  readonly #records: TaskRecorder;
  readonly #breakers: Breakers;
  readonly #random: () => number;
  readonly #emit: ((event: RunEvent) => void) | undefined;
  readonly #host: AttemptHost;
  readonly #halt = new AbortController();
  readonly #backoff = new Map<number, () => void>();
  readonly #services = new Services();
  /** Ready services handed over (`keepServices`), by task: their attempts still run. */
  readonly #handed = new Map<number, HandedService>();
  readonly #runId: string;
  readonly #startedAt: number;
  #inFlight = 0;
  #cancelled = false;
  #finished = false;
  #finish: (result: RunResult) => void = () => undefined;

  constructor(graph: TaskGraph<A>, options: RunGraphOptions<A>) {
    this.#graph = graph;
    this.#options = options;
    this.#strategy = options.strategy ?? "all";
    this.#breakers = options.breakers ?? processBreakers;
    this.#random = options.random ?? Math.random;
    const emit = eventSink(options.listeners ?? [], options.onListenerError ?? (() => undefined));
    this.#emit = emit;
    const concurrency = options.concurrency ?? Infinity;
    const order = options.order ?? "searched";
    this.#scheduler = new Scheduler(graph, {
      concurrency,
      remaining: readyRank(graph, options.estimates, {
        concurrency,
        order,
        ...(options.spreads === undefined ? {} : { spreads: options.spreads }),
      }),
      order,
    });
    this.#startedAt = options.clock.now();
    this.#runId = options.runId ?? newRunId(this.#startedAt, this.#random);
    this.#records = new TaskRecorder(graph.tasks, this.#runId, options.clock, emit);
    this.#host = {
      resultsOf: (task) => this.#records.resultsOf(graph.dependencies[task] ?? []),
      output: (taskId, attempt, stream, chunk) => {
        if (this.#handed.size > 0 && this.#handedOutput(taskId, stream, chunk)) return;
        const time = options.clock.now();
        emit?.({ type: "task.output", runId: this.#runId, time, taskId, attempt, stream, chunk });
      },
      ready: (task, attempt) => this.#serviceReady(task, attempt),
      process: (taskId, attempt, pid) => {
        const time = options.clock.now();
        emit?.({ type: "task.process", runId: this.#runId, time, taskId, attempt, pid });
      },
      worker: (task, attempt, worker) => {
        this.#records.worker(task, worker);
        const taskId = graph.tasks[task]?.id ?? "";
        const time = options.clock.now();
        emit?.({ type: "task.worker", runId: this.#runId, time, taskId, attempt, worker });
      },
    };
  }

  start(): Promise<RunResult> {
    const done = new Promise<RunResult>((resolve) => (this.#finish = resolve));
    const { signal } = this.#options;
    this.#emit?.({
      type: "run.started",
      runId: this.#runId,
      time: this.#startedAt,
      tasks: this.#graph.tasks.map((t) => t.id),
      concurrency: this.#scheduler.limit,
      strategy: this.#strategy,
    });
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    const earlier = this.#options.done ?? new Map<string, unknown>();
    const reused = [...earlier.keys()].flatMap((id) => this.#graph.indexOf.get(id) ?? []);
    for (const task of reused)
      this.#records.reused(task, earlier.get(this.#graph.tasks[task]?.id ?? ""));
    this.#queued(this.#scheduler.start(reused));
    if (signal?.aborted === true) this.#onAbort();
    else this.#pump();
    return done;
  }

  readonly #onAbort = (): void => {
    this.#cancelled = true;
    this.#stop();
  };

  #pump(): void {
    for (const { task, slot } of this.#scheduler.dispatch()) this.#begin(task, slot);
    if (this.#inFlight === 0 && this.#records.allEnded && !this.#finished) this.#end();
    else this.#releaseIdleServices();
  }

  #begin(task: number, slot: number): void {
    const spec = this.#graph.tasks[task];
    if (spec === undefined) return;
    const attempt = this.#records.started(task);
    const start = this.#options.clock.now();
    this.#emit?.({
      type: "task.started",
      runId: this.#runId,
      time: start,
      taskId: spec.id,
      attempt,
      slot,
    });
    const passage =
      spec.breaker && this.#breakers.pass(spec.breaker.key ?? spec.id, spec.breaker, start);
    if (passage?.change) this.#breakerChanged(spec.id, passage.change);
    const end = (final: AttemptResult, fallbackUsed: boolean): void => {
      const service = this.#services.ended(task, this.#halt.signal.aborted);
      const until = service?.readyAt ?? this.#options.clock.now();
      this.#records.span(task, { attempt, slot, start, end: until });
      this.#inFlight--;
      if (service === undefined) this.#settle(task, attempt, final, fallbackUsed);
      else this.#serviceEnded(task, service.how, final);
    };
    const onResult = (result: AttemptResult): void => {
      const handed = this.#handed.get(task);
      if (handed !== undefined) {
        // Its run has ended: the attempt's end is its holder's news.
        this.#handed.delete(task);
        handed.end(result);
        return;
      }
      this.#records.usage(task, result.usage);
      // Cut short by the run (cancelled, failed fast): no verdict on the service.
      const cut = !result.ok && result.reason === "aborted" && this.#halt.signal.aborted;
      const change = passage?.end(cut ? "cancelled" : result.ok, this.#options.clock.now());
      if (change) this.#breakerChanged(spec.id, change);
      if (!this.#hasFallback(task, attempt, result)) end(result, false);
      else
        void this.#rescue(task, { attempt, slot, start }).then((rescued) =>
          end(rescued ?? result, rescued !== undefined),
        );
    };
    this.#inFlight++;
    // A refusal settles on a later microtask too: settling inside this dispatch loop would
    // recurse once per refused task.
    if (passage?.admitted === false) void Promise.resolve(breakerOpen).then(onResult);
    else
      this.#attempt(task, spec.run, { attempt, slot, start }).then(onResult, (error: unknown) =>
        onResult(thrownResult(error)),
      );
  }

  #attempt(task: number, action: A, span: Omit<AttemptSpan, "end">): Promise<AttemptResult> {
    const spec = this.#graph.tasks[task];
    const identity = { index: task, id: spec?.id ?? "", attempt: span.attempt };
    try {
      return runAttempt({
        executor: this.#options.executor,
        action,
        clock: this.#options.clock,
        context: new TaskAttempt(this.#host, identity, this.#signalFor(task, span)),
        timeoutMs: spec?.timeoutMs,
      });
    } catch (error) {
      return Promise.resolve(thrownResult(error));
    }
  }

  /** The run's signal; a persistent task gets its own, aborted by the run's or when it is stopped. */
  #signalFor(task: number, span: Omit<AttemptSpan, "end">): AbortSignal {
    const persistent = this.#graph.tasks[task]?.persistent === true;
    return persistent ? this.#services.start(task, this.#halt.signal, span) : this.#halt.signal;
  }

  /** A persistent task is ready: its dependents start, and its slots go back to the pool. */
  #serviceReady(task: number, attempt: number): void {
    const spec = this.#graph.tasks[task];
    if (spec === undefined || this.#halt.signal.aborted) return;
    const time = this.#options.clock.now();
    if (this.#records.attempts(task) !== attempt || !this.#services.markReady(task, time)) return;
    this.#emit?.({ type: "task.ready", runId: this.#runId, time, taskId: spec.id, attempt });
    this.#queued(this.#scheduler.succeed(task));
    this.#pump();
  }

  /** A ready service stopped by the run did its job; one that died while needed failed. */
  #serviceEnded(task: number, end: ServiceEnd, result: AttemptResult): void {
    if (end === "stopped") {
      this.#records.succeeded(task, { ok: true }, false);
    } else {
      this.#records.failed(
        task,
        result.ok ? { ok: false, reason: "exit-code", exitCode: 0 } : result,
      );
      if (this.#failsFast([task])) this.#stop();
    }
    this.#pump();
  }

  /** Once every other task has ended, the ready services are stopped, or handed over. */
  #releaseIdleServices(): void {
    const ready = this.#services.readyCount;
    if (ready === 0 || this.#inFlight !== ready) return;
    if (this.#records.ended + ready !== this.#graph.tasks.length) return;
    if (this.#options.keepServices !== true) this.#services.stopReady();
    else if (this.#handOver() > 0) this.#pump();
  }

  /** Ready services leave the run still running, as succeeded (the result hands them over); how many. */
  #handOver(): number {
    const detached = this.#services.detachReady();
    for (const { task, span, controller } of detached) {
      const id = this.#graph.tasks[task]?.id ?? "";
      this.#handed.set(task, new HandedService(id, span.attempt, controller));
      this.#records.span(task, span);
      this.#inFlight--;
      this.#records.succeeded(task, { ok: true }, false);
    }
    return detached.length;
  }

  /** Sends a handed-over service's output to its holder; false when `taskId` is not one. */
  #handedOutput(taskId: string, stream: "stdout" | "stderr", chunk: string): boolean {
    const handed = this.#handed.get(this.#graph.indexOf.get(taskId) ?? -1);
    handed?.output(stream, chunk);
    return handed !== undefined;
  }

  /** Whether a failed attempt is its task's last and has a fallback to turn to. */
  #hasFallback(task: number, attempt: number, result: AttemptResult): boolean {
    return (
      !result.ok &&
      this.#graph.tasks[task]?.fallback !== undefined &&
      !this.#halt.signal.aborted &&
      !this.#willRetry(task, attempt, result)
    );
  }

  /** The fallback's success (its value, or one run of its action on the same slot), if any. */
  async #rescue(task: number, span: Omit<AttemptSpan, "end">): Promise<AttemptResult | undefined> {
    const fallback = this.#graph.tasks[task]?.fallback;
    if (fallback === undefined) return undefined;
    if ("value" in fallback) return { ok: true, value: fallback.value };
    const rescued = await this.#attempt(task, fallback.run, span);
    this.#records.usage(task, rescued.usage);
    return rescued.ok ? rescued : undefined;
  }

  #willRetry(task: number, attempt: number, result: AttemptResult): boolean {
    if (result.ok || result.reason === "aborted" || result.reason === "breaker-open") return false;
    return !this.#halt.signal.aborted && hasAttemptLeft(this.#graph.tasks[task]?.retry, attempt);
  }

  #settle(task: number, attempt: number, result: AttemptResult, fallbackUsed: boolean): void {
    const spec = this.#graph.tasks[task];
    if (spec === undefined) return;
    if (result.ok) {
      this.#records.succeeded(task, result, fallbackUsed);
      this.#queued(this.#scheduler.succeed(task));
    } else if (this.#halt.signal.aborted) {
      // Cut short by cancellation or fail-fast, whatever the attempt reported.
      this.#records.cancelled([task]);
      this.#scheduler.fail(task);
    } else if (this.#willRetry(task, attempt, result) && spec.retry) {
      this.#scheduleRetry(task, attempt, result, retryDelay(spec.retry, attempt, this.#random));
    } else {
      this.#records.failed(task, result);
      const skipped = this.#scheduler.fail(task);
      this.#records.skipped(skipped, task);
      // A required task skipped because an optional one failed fails the run just the same.
      if (this.#failsFast([task]) || this.#failsFast(skipped)) this.#stop();
    }
    this.#pump();
  }

  /** Whether any of `tasks`, having ended without success, must cancel the rest. */
  #failsFast(tasks: readonly number[]): boolean {
    return tasks.some((task) => {
      const spec = this.#graph.tasks[task];
      return spec !== undefined && failsFast(this.#strategy, spec);
    });
  }

  #scheduleRetry(task: number, attempt: number, result: AttemptResult, delayMs: number): void {
    if (result.ok) return;
    this.#scheduler.pause(task);
    this.#emit?.({
      type: "task.retry-scheduled",
      runId: this.#runId,
      time: this.#options.clock.now(),
      taskId: this.#graph.tasks[task]?.id ?? "",
      attempt,
      reason: result.reason,
      ...(result.error ? { error: result.error } : {}),
      delayMs,
    });
    const cancel = this.#options.clock.setTimer(delayMs, () => {
      this.#backoff.delete(task);
      this.#scheduler.resume(task);
      this.#queued([task]);
      this.#pump();
    });
    this.#backoff.set(task, cancel);
  }

  /** Cancels everything: running attempts are aborted, waiting tasks never start. */
  #stop(): void {
    if (this.#halt.signal.aborted) return;
    // Kept services outlive a cancelled or failed run too: only the work in progress stops.
    if (this.#options.keepServices === true) this.#handOver();
    this.#halt.abort(this.#options.signal?.reason ?? new DOMException("Run halted", "AbortError"));
    for (const cancel of this.#backoff.values()) cancel();
    this.#backoff.clear();
    this.#records.cancelled(this.#scheduler.halt());
    this.#pump();
  }

  #queued(tasks: readonly number[]): void {
    if (this.#emit === undefined) return;
    const time = this.#options.clock.now();
    for (const task of tasks) {
      const taskId = this.#graph.tasks[task]?.id ?? "";
      this.#emit({ type: "task.queued", runId: this.#runId, time, taskId });
    }
  }

  #breakerChanged(taskId: string, change: BreakerChange): void {
    const time = this.#options.clock.now();
    this.#emit?.({ type: "breaker.changed", runId: this.#runId, time, taskId, ...change });
  }

  #end(): void {
    this.#finished = true;
    this.#options.signal?.removeEventListener("abort", this.#onAbort);
    const tasks = this.#records.all();
    const status = runStatus(this.#graph.tasks, tasks, this.#cancelled);
    const finishedAt = this.#options.clock.now();
    this.#emit?.({ type: "run.finished", runId: this.#runId, time: finishedAt, status });
    this.#finish({
      runId: this.#runId,
      status,
      strategy: this.#strategy,
      concurrency: this.#scheduler.limit,
      startedAt: this.#startedAt,
      finishedAt,
      tasks,
      results: this.#records.results(),
      thrown: this.#records.thrown(),
      services: [...this.#handed.values()],
    });
  }
}

const breakerOpen: AttemptResult = { ok: false, reason: "breaker-open" };
