// Executors and runtime adapters for Node.
export { functionExecutor } from "./function-executor.js";
export type { TaskContext, TaskFunction } from "./function-executor.js";
export { systemClock } from "./system-clock.js";
export { processExecutor } from "./process-executor.js";
export type { ProcessExecutor, ProcessExecutorOptions } from "./process-executor.js";
export { groupAlive, killGroup, runningSince } from "./process-group.js";
export { LogFile, logFileName } from "./log-file.js";
export { loggedExecutor } from "./logged-executor.js";
export { killRunStrays, markVariable } from "./strays.js";
export type { SparedAttempt, StraysOfAttempt } from "./strays.js";
export { AttemptLedger, ledgerDir, stopLeftAttempts } from "./attempt-ledger.js";
export type { LeftAttempts } from "./attempt-ledger.js";
