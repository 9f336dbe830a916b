// The HTTP service (`parex serve`) and the local dashboard server (`parex run --dashboard`,
// `parex ui`): Fastify, loaded only by those commands.
import type { FastifyInstance } from "fastify";
import type { ServerOptions } from "./app.js";
export { ApiError } from "./api-error.js";
export type { ErrorBody } from "./api-error.js";
export { admissionDefaults } from "./admission.js";
export type { AdmissionLimits } from "./admission.js";
export type { ServerOptions } from "./app.js";
export type { AuthOptions, Caller, JwtAlgorithm } from "./auth.js";
export { httpExecutor } from "./http-executor.js";
export type { HttpExecutorOptions, ServiceRequest } from "./http-executor.js";
export type { OrchestrateBody } from "./orchestrate-schema.js";
export type { OrchestrationAnswer, ServiceOutcome } from "./orchestration-response.js";
export type { HistoricRun, PipelineOptions, RunHistory } from "./pipeline-runs.js";
export type { FollowedRun } from "./pipeline-runs.js";
export { createLocalServer } from "./local-app.js";
export type { LocalServer, LocalServerOptions } from "./local-app.js";
export type { TaskLogs } from "./run-detail-routes.js";
export { Sessions } from "./sessions.js";
export type { SessionTimes } from "./sessions.js";

/**
 * The HTTP service of parex, not yet listening (app.ts). Loaded when called: it brings JWT
 * verification and Prometheus metrics, which the local dashboard server has no use for.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  return (await import("./app.js")).createServer(options);
}
export type { QueueReader, QueueSnapshot } from "./queue-snapshot.js";
export { frame as sseFrame, gapFrame } from "./sse.js";
