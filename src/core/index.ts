// The engine's public surface: everything other layers may use from core.
export { analyze } from "./analysis.js";
export { insight } from "./insight.js";
export type { Bottleneck, RunInsight } from "./insight.js";
export { busyMatrix } from "./busy-matrix.js";
export type { BusyMatrix, BusyTask } from "./busy-matrix.js";
export type { LaneEntry, RunAnalysis } from "./analysis.js";
export type { Clock } from "./clock.js";
export type { CacheSpec, Command, ReadyProbe } from "./command.js";
export { ParexError, toErrorInfo } from "./errors.js";
export type { ErrorCode, ErrorInfo, ParexErrorOptions } from "./errors.js";
export { eventSink } from "./events.js";
export type { ListenerErrorHandler, RunEvent, RunEventType, RunListener } from "./events.js";
export { thrownResult } from "./executor.js";
export type { AttemptContext, AttemptResult, AttemptUsage, Executor } from "./executor.js";
export { checkTimerMs, describeValue, expectInteger, expectOneOf, maxTimerMs } from "./expect.js";
export { buildGraph } from "./graph.js";
export type { BuildGraphOptions, TaskGraph } from "./graph.js";
export { isThenable } from "./is-thenable.js";
export { limit, limitFunction } from "./limit.js";
export type { Limit, LimitOptions } from "./limit.js";
export { failsFast, isRequired, runStatus, strategies } from "./outcome.js";
export type {
  AttemptSpan,
  FailureReason,
  RunStatus,
  Strategy,
  TaskRecord,
  TaskStatus,
} from "./outcome.js";
export { failureInWords, OutcomeWords } from "./outcome-words.js";
export { duration, percent } from "./number-words.js";
export type { FailureFacts } from "./outcome-words.js";
export { followAbort, onAbort } from "./on-abort.js";
export { editDistance, suggest, unknownNameHint } from "./suggest.js";
export type { NameHintOptions } from "./suggest.js";
export { parallelMap } from "./parallel-map.js";
export type { ParallelMapOptions } from "./parallel-map.js";
export {
  criticalPath,
  effectivePriorities,
  levels,
  remainingPath,
  waves,
  weightsFrom,
} from "./plan.js";
export type { CriticalPath, Estimates } from "./plan.js";
export type { BreakerPolicy, BreakerStateName } from "./policies/breaker.js";
export { Breakers, processBreakers } from "./policies/breakers.js";
export type { BreakerChange } from "./policies/breakers.js";
export { retryDelay } from "./policies/retry.js";
export type { RetryPolicy } from "./policies/retry.js";
export { searchPriorities } from "./priority-search.js";
export type { PrioritySearch, PrioritySearchOptions } from "./priority-search.js";
export { priorityRules } from "./priority-rules.js";
export type { PriorityRule } from "./priority-rules.js";
export { readyRank, searchedOrder } from "./ready-rank.js";
export { seededRandom, standardNormal } from "./seeded-random.js";
export type { ReadyRankOptions } from "./ready-rank.js";
export { runGraph } from "./run-graph.js";
export { newRunId } from "./run-types.js";
export type { RunGraphOptions, RunResult } from "./run-types.js";
export type { RunningService, ServiceOutput } from "./running-service.js";
export type { RunStore } from "./run-store.js";
export { Scheduler } from "./scheduler.js";
export type { Dispatch, ReadyOrder, SchedulerOptions } from "./scheduler.js";
export { selectTasks } from "./select.js";
export type { ServiceCall, ServiceSpec } from "./service-spec.js";
export { evaluateAlerts } from "./alerts.js";
export type { Alert, AlertRule } from "./alerts.js";
export { evaluateBudget, evaluateGate, resolvePointer } from "./gates.js";
export type { GateInput, GateSpec } from "./gates.js";
export { flakyTasks, percentile, periodOf, periodStats } from "./stats.js";
export type { FlakyTask, Period, PeriodStats } from "./stats.js";
export { graphOutline } from "./graph-outline.js";
export type { GraphOutline, OutlineTask } from "./graph-outline.js";
export type { EdgePath, GraphLayout, NodeBox } from "./graph-layout.js";
export { cacheStats } from "./cache-stats.js";
export type { CacheStats, TaskCacheRate } from "./cache-stats.js";
export { scalability, simulate, simulateWaves } from "./simulate.js";
export type { ScalabilityPoint, ScheduledTask, SimulateOptions, Simulation } from "./simulate.js";
export { summarize } from "./summary.js";
export { LineSplitter, TextTail } from "./text-stream.js";
export type {
  AffectedSummary,
  CacheSummary,
  GateResult,
  RunSummary,
  StrayKilled,
  TaskSummary,
} from "./summary.js";
export { location, taskPath } from "./task-spec.js";
export type { FallbackSpec, TaskSpec } from "./task-spec.js";
export { unreachable } from "./unreachable.js";
export { VirtualClock } from "./virtual-clock.js";
