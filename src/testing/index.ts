// Fakes for the ports, for tests: a controllable executor (the virtual clock lives in core).
export { ScriptedExecutor, settle } from "./scripted-executor.js";
export type { ScriptedCall, ScriptedExecutorOptions } from "./scripted-executor.js";
export { drive, TimedExecutor } from "./timed-executor.js";
export { alive } from "./processes.js";
export { recordedRun } from "./recorded-run.js";
export { taskRecord } from "./task-record.js";
export { attemptContext } from "./attempt-context.js";
export { tempGitRepo, tempRepos } from "./temp-git-repo.js";
export type { TempGitRepo, TempRepos } from "./temp-git-repo.js";
export { tempDirs } from "./temp-dirs.js";
export type { TempDirs } from "./temp-dirs.js";
export { startRemoteCacheServer } from "./remote-cache-server.js";
export type { RemoteCacheServer } from "./remote-cache-server.js";
export { deadUrl } from "./dead-url.js";
export { filesUnder } from "./files-under.js";
export { freePort } from "./free-port.js";
export { startDashboardServer } from "./dashboard-server.js";
export type { DashboardServer, StubApi, StubRun } from "./dashboard-server.js";
