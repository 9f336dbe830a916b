// The HTTP service (`parex serve`): Fastify, loaded only by the serve command.
export { ApiError } from "./api-error.js";
export type { ErrorBody } from "./api-error.js";
export { admissionDefaults } from "./admission.js";
export type { AdmissionLimits } from "./admission.js";
export { createServer } from "./app.js";
export type { ServerOptions } from "./app.js";
export type { AuthOptions, Caller, JwtAlgorithm } from "./auth.js";
export { httpExecutor } from "./http-executor.js";
export type { HttpExecutorOptions, ServiceRequest } from "./http-executor.js";
export type { OrchestrateBody } from "./orchestrate-schema.js";
export type { OrchestrationAnswer, ServiceOutcome } from "./orchestration-response.js";
export type { HistoricRun, PipelineOptions, RunHistory } from "./pipeline-runs.js";
