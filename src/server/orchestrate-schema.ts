import { strategies } from "../core/index.js";
import type { Strategy } from "../core/index.js";

/** The body of `POST /api/v1/orchestrate` (seed 003's request). */
export interface OrchestrateBody {
  /** Services to call, all required. */
  readonly services?: readonly string[];
  /** Services that must succeed (under `partial`). */
  readonly requiredServices?: readonly string[];
  /** Services that may fail (under `partial` and `best_effort`). */
  readonly optionalServices?: readonly string[];
  /** false: the same plan, one service at a time. Default true. */
  readonly parallelExecution?: boolean;
  /** Services called at once, 1–10. Default 10. */
  readonly maxConcurrency?: number;
  /** The whole orchestration's deadline in ms, 1,000–120,000. Default 30,000. */
  readonly timeout?: number;
  /** Retries of a failed call, 0–5. Default: each service's configured retry. */
  readonly retryAttempts?: number;
  /** Default `"all"`. */
  readonly aggregationStrategy?: Strategy;
  /** Use configured fallback values. Default true. */
  readonly enableFallbacks?: boolean;
  /** Passed to the services through their body templates. Default {}. */
  readonly input?: Readonly<Record<string, unknown>>;
}

const names = {
  type: "array",
  items: { type: "string", minLength: 1, maxLength: 100 },
  maxItems: 50,
  uniqueItems: true,
} as const;

/** The validation schema of the body: also its OpenAPI description. */
export const orchestrateBodySchema = {
  type: "object",
  additionalProperties: false,
  anyOf: [
    { required: ["services"] },
    { required: ["requiredServices"] },
    { required: ["optionalServices"] },
  ],
  properties: {
    services: { ...names, description: "Services to call, all required." },
    requiredServices: { ...names, description: "Services that must succeed." },
    optionalServices: {
      ...names,
      description: "Services that may fail under partial and best_effort.",
    },
    parallelExecution: { type: "boolean", default: true },
    maxConcurrency: { type: "integer", minimum: 1, maximum: 10, default: 10 },
    timeout: {
      type: "integer",
      minimum: 1000,
      maximum: 120_000,
      default: 30_000,
      description: "Deadline in ms.",
    },
    retryAttempts: { type: "integer", minimum: 0, maximum: 5 },
    aggregationStrategy: { type: "string", enum: [...strategies], default: "all" },
    enableFallbacks: { type: "boolean", default: true },
    input: { type: "object", description: "Passed to the services through their body templates." },
  },
} as const;

const serviceResult = {
  type: "object",
  required: ["status", "responseTime", "circuitBreakerState", "fallbackUsed", "attempts"],
  properties: {
    status: { type: "string", enum: ["success", "failed", "skipped", "cancelled"] },
    responseTime: { type: "number", description: "ms from the first call to the last answer" },
    circuitBreakerState: { type: "string", enum: ["CLOSED", "OPEN", "HALF_OPEN"] },
    fallbackUsed: { type: "boolean" },
    attempts: { type: "integer" },
    data: { description: "The service's answer (or the fallback value)." },
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
} as const;

/** The schema of the answer (200, 502 and 504 share it). */
export const orchestrateResponseSchema = {
  type: "object",
  required: ["success", "data", "meta"],
  properties: {
    success: { type: "boolean" },
    data: {
      type: "object",
      properties: {
        status: { type: "string", enum: ["succeeded", "partial", "failed", "cancelled"] },
        services: { type: "object", additionalProperties: serviceResult },
        parallelExecutionStats: {
          type: "object",
          properties: {
            totalServices: { type: "integer" },
            successfulServices: { type: "integer" },
            failedServices: { type: "integer" },
            averageResponseTime: { type: "number" },
            concurrency: { type: "integer" },
          },
        },
        executionTime: { type: "number" },
        successRate: { type: "number" },
      },
    },
    meta: {
      type: "object",
      properties: {
        executionMode: { type: "string", enum: ["parallel", "sequential"] },
        correlationId: { type: "string" },
        runId: { type: "string" },
        strategy: { type: "string", enum: [...strategies] },
      },
    },
  },
} as const;
