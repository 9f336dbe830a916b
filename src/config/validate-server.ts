import {
  buildGraph,
  checkTimerMs,
  describeValue,
  ParexError,
  unknownNameHint,
} from "../core/index.js";
import type { ServiceSpec } from "../core/index.js";
import type { ServerConfig } from "./config.js";
import { isRecord, unknownKeys } from "./config-checks.js";
import { checkAuth } from "./validate-auth.js";
import type { Expect, Fail } from "./config-checks.js";

const serverFields = [
  "port",
  "host",
  "auth",
  "services",
  "pipelines",
  "rateLimit",
  "bodyLimitBytes",
  "admission",
  "shutdown",
];
const admissionFields = [
  "maxInFlight",
  "minInFlight",
  "maxQueued",
  "maxQueueMs",
  "shedAfterMs",
  "maxLoopDelayMs",
  "maxPipelineRuns",
];
const serviceFields = [
  "url",
  "method",
  "headers",
  "body",
  "timeoutMs",
  "retry",
  "breaker",
  "fallback",
  "tiers",
  "dependsOn",
];
const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Checks the `server` section (`parex serve`): every error names the file, the path and the
 * fix. `taskIds` are the config's tasks, which pipelines must name.
 */
export function validateServer(
  server: unknown,
  options: { fail: Fail; source: string; taskIds: readonly string[] },
): ServerConfig {
  const { fail } = options;
  const expect = (path: string, ok: boolean, expected: string, value: unknown): void => {
    if (ok) return;
    if (value === undefined) fail(path, `Missing ${path} @: expected ${expected}.`);
    fail(path, `Invalid ${path} @: expected ${expected}, got ${describeValue(value)}.`);
  };
  if (!isRecord(server))
    return fail("server", `Invalid server @: expected an object, got ${describeValue(server)}.`);
  unknownKeys(server, serverFields, "server", fail);
  checkListening(server, fail, expect);
  checkAdmission(server["admission"], fail, expect);
  if (server["auth"] !== undefined) checkAuth(server["auth"], fail, expect);
  // null too is refused (as the schema does): an empty `services:` in YAML is a mistake.
  const services = server["services"] === undefined ? {} : server["services"];
  expect("server.services", isRecord(services), "an object of services by name", services);
  for (const [name, service] of Object.entries(services as Record<string, unknown>))
    checkService(name, service, fail, expect);
  checkServiceGraph(services as Record<string, ServiceSpec>, options.source);
  const pipelines = server["pipelines"] === undefined ? {} : server["pipelines"];
  expect(
    "server.pipelines",
    isRecord(pipelines),
    'an object of task id lists, like { "ci": ["build", "test"] }',
    pipelines,
  );
  for (const [name, ids] of Object.entries(pipelines as Record<string, unknown>))
    checkPipeline(name, ids, { ...options, expect });
  return server;
}

/** Where and how the server listens, and how it stops. */
function checkListening(server: Record<string, unknown>, fail: Fail, expect: Expect): void {
  const { port, host, rateLimit, bodyLimitBytes, shutdown } = server;
  if (port !== undefined)
    expect(
      "server.port",
      Number.isInteger(port) && (port as number) >= 0 && (port as number) < 65536,
      "a TCP port (0–65535)",
      port,
    );
  if (host !== undefined)
    expect("server.host", typeof host === "string" && host !== "", "a host name or address", host);
  if (rateLimit !== undefined && rateLimit !== false) {
    const ok =
      isRecord(rateLimit) &&
      isCount(rateLimit["max"]) &&
      isPositive(rateLimit["timeWindowMs"]) &&
      Object.keys(rateLimit).length === 2;
    expect("server.rateLimit", ok, "false or { max: 100, timeWindowMs: 60000 }", rateLimit);
  }
  if (bodyLimitBytes !== undefined)
    expect(
      "server.bodyLimitBytes",
      isCount(bodyLimitBytes) && (bodyLimitBytes as number) >= 1024,
      "an integer ≥ 1024",
      bodyLimitBytes,
    );
  if (shutdown === undefined) return;
  const ok = isRecord(shutdown) && ["cancel", "finish"].includes(String(shutdown["runs"]));
  expect("server.shutdown", ok, '{ runs: "finish" | "cancel", graceMs?: 10000 }', shutdown);
  const { graceMs } = shutdown as Record<string, unknown>;
  unknownKeys(shutdown as Record<string, unknown>, ["runs", "graceMs"], "server.shutdown", fail);
  const grace = graceMs === undefined ? undefined : checkTimerMs(graceMs, { allowZero: true });
  if (grace !== undefined) expect("server.shutdown.graceMs", false, grace, graceMs);
}

/** `server.admission`: false, or counts and times of the overload limits. */
function checkAdmission(admission: unknown, fail: Fail, expect: Expect): void {
  if (admission === undefined || admission === false) return;
  const shape =
    "false or { maxInFlight?, minInFlight?, maxQueued?, maxQueueMs?, shedAfterMs?, maxLoopDelayMs?, maxPipelineRuns? }";
  expect("server.admission", isRecord(admission), shape, admission);
  const limits = admission as Record<string, unknown>;
  unknownKeys(limits, admissionFields, "server.admission", fail);
  for (const key of ["maxInFlight", "minInFlight", "maxQueued", "maxPipelineRuns"]) {
    const value = limits[key];
    if (value !== undefined)
      expect(`server.admission.${key}`, isCount(value) || value === 0, "an integer ≥ 0", value);
  }
  for (const key of ["maxQueueMs", "shedAfterMs", "maxLoopDelayMs"]) {
    const value = limits[key];
    const problem = value === undefined ? undefined : checkTimerMs(value, { allowZero: true });
    if (problem !== undefined) expect(`server.admission.${key}`, false, problem, value);
  }
  for (const [key, what] of [
    ["maxInFlight", "orchestration"],
    ["maxPipelineRuns", "pipeline run"],
  ] as const) {
    if (limits[key] === 0)
      fail(
        `server.admission.${key}`,
        `Invalid server.admission.${key} @: 0 would refuse every ${what}. Use at least 1, or admission: false for no bound.`,
      );
  }
}

/** A pipeline names tasks of the config. */
function checkPipeline(
  name: string,
  ids: unknown,
  options: { fail: Fail; expect: Expect; taskIds: readonly string[] },
): void {
  const path = `server.pipelines.${name}`;
  options.expect(
    path,
    Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === "string"),
    "a non-empty list of task ids",
    ids,
  );
  for (const id of ids as string[]) {
    if (options.taskIds.includes(id)) continue;
    const none = `The config has no tasks: define "${id}" under tasks.`;
    const known = unknownNameHint(id, options.taskIds, { what: "tasks", none });
    options.fail(path, `Pipeline "${name}" names unknown task "${id}" @.${known}`);
  }
}

function checkService(name: string, service: unknown, fail: Fail, expect: Expect): void {
  const path = `server.services.${name}`;
  expect(path, isRecord(service), "an object with url", service);
  const s = service as Record<string, unknown>;
  unknownKeys(s, serviceFields, path, fail);
  expect(
    `${path}.url`,
    typeof s["url"] === "string" && /^https?:\/\/[^/]/.test(s["url"]),
    "an http:// or https:// URL",
    s["url"],
  );
  if (s["method"] !== undefined)
    expect(
      `${path}.method`,
      typeof s["method"] === "string" && methods.includes(s["method"]),
      methods.join(", "),
      s["method"],
    );
  if (s["headers"] !== undefined)
    expect(
      `${path}.headers`,
      isRecord(s["headers"]) && Object.values(s["headers"]).every((v) => typeof v === "string"),
      "an object of strings",
      s["headers"],
    );
  if (s["fallback"] !== undefined)
    expect(
      `${path}.fallback`,
      isRecord(s["fallback"]) && Object.keys(s["fallback"]).join() === "value",
      "{ value: ... }",
      s["fallback"],
    );
  if (s["tiers"] !== undefined)
    expect(
      `${path}.tiers`,
      Array.isArray(s["tiers"]) && s["tiers"].every((t) => typeof t === "string" && t !== ""),
      "a list of tier names",
      s["tiers"],
    );
  if (isRecord(s["breaker"]) && s["breaker"]["key"] !== undefined)
    fail(
      `${path}.breaker.key`,
      `Invalid ${path}.breaker.key @: each service has its own breaker. Remove key.`,
    );
}

/** Dependencies, cycles and policies, checked by core's graph builder and reported at their service. */
function checkServiceGraph(services: Record<string, ServiceSpec>, source: string): void {
  const specs = Object.entries(services).map(
    ([id, { url, dependsOn, timeoutMs, retry, breaker }]) => ({
      id,
      run: url,
      ...(dependsOn === undefined ? {} : { dependsOn }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(retry === undefined ? {} : { retry }),
      ...(breaker === undefined ? {} : { breaker }),
    }),
  );
  try {
    buildGraph(specs, { source });
  } catch (error) {
    if (!(error instanceof ParexError)) throw error;
    const message = error.message
      .replace(/\btasks([.[])/g, "server.services$1")
      .replace(/^Task "/, 'Service "')
      .replace(/unknown task "/, 'unknown service "')
      .replace(/^Dependency cycle:/, "Services depend on each other in a loop:");
    throw new ParexError("INVALID_CONFIG", message);
  }
}

const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
const isPositive = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v > 0;
