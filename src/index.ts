// parex: the library's public entry.
export { run } from "./library/run.js";
export type {
  RunOptions,
  RunReport,
  TaskDefinition,
  TaskError,
  TaskFn,
  TaskOptions,
  TaskReport,
} from "./library/run.js";
export type { TaskContext } from "./exec/index.js";
export { defineConfig } from "./config/index.js";
export type { CommandLine, GateConfig, ParexConfig, TaskConfig } from "./config/index.js";
export {
  Breakers,
  buildGraph,
  criticalPath,
  limit,
  limitFunction,
  parallelMap,
  ParexError,
  processBreakers,
  scalability,
  readyRank,
  searchPriorities,
  simulate,
  simulateWaves,
  waves,
} from "./core/index.js";
export type {
  BreakerPolicy,
  ErrorCode,
  ErrorInfo,
  Estimates,
  PrioritySearch,
  PrioritySearchOptions,
  ReadyRankOptions,
  FailureReason,
  Limit,
  LimitOptions,
  ParallelMapOptions,
  RetryPolicy,
  RunAnalysis,
  RunEvent,
  RunStatus,
  RunSummary,
  ScalabilityPoint,
  Simulation,
  Strategy,
  TaskGraph,
  TaskRecord,
  TaskSpec,
  TaskStatus,
} from "./core/index.js";
