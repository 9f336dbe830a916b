import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParexError } from "../core/index.js";
import { validateConfig } from "./validate-config.js";

const file = "/project/parex.config.json";

function messageOf(server: unknown, tasks: object = { build: "tsc" }): string {
  try {
    validateConfig({ tasks, server }, file);
  } catch (error) {
    assert.ok(error instanceof ParexError);
    assert.equal(error.code, "INVALID_CONFIG");
    return error.message;
  }
  assert.fail("expected the config to be refused");
}

describe("the server section", () => {
  it("accepts the shape of docs/server.md and keeps it typed", () => {
    const server = {
      port: 3000,
      auth: {
        algorithms: ["HS256"],
        secretEnv: "PAREX_JWT_SECRET",
        issuer: "https://auth.example",
        audience: "parex",
      },
      services: {
        users: {
          url: "http://127.0.0.1:4001/users",
          method: "GET",
          timeoutMs: 2000,
          retry: { attempts: 2, backoff: "exponential", initialDelayMs: 50 },
          breaker: { failureThreshold: 5, resetAfterMs: 10000 },
          fallback: { value: { users: [] } },
          tiers: ["free", "pro"],
        },
        billing: {
          url: "http://127.0.0.1:4002/billing",
          method: "POST",
          dependsOn: ["users"],
          tiers: ["pro"],
        },
      },
      pipelines: { ci: ["build"] },
    };
    assert.deepEqual(validateConfig({ tasks: { build: "tsc" }, server }, file).server, server);
  });

  it("names an unknown field, with a suggestion", () => {
    assert.equal(
      messageOf({ services: { users: { url: "http://x", timeout: 5 } } }),
      'Unknown field "timeout" in server.services.users (parex.config.json, server.services.users.timeout). Did you mean "timeoutMs"?',
    );
  });

  it("wants service URLs to be http or https", () => {
    assert.equal(
      messageOf({ services: { files: { url: "file:///etc/passwd" } } }),
      'Invalid server.services.files.url (parex.config.json, server.services.files.url): expected an http:// or https:// URL, got `"file:///etc/passwd"` (string).',
    );
  });

  it("reports unknown dependencies and loops between services at the service", () => {
    assert.equal(
      messageOf({
        services: { billing: { url: "http://x", dependsOn: ["user"] }, users: { url: "http://y" } },
      }),
      'Service "billing" depends on unknown service "user" (parex.config.json, server.services.billing.dependsOn[0]). Did you mean "users"?',
    );
    assert.equal(
      messageOf({
        services: {
          a: { url: "http://x", dependsOn: ["b"] },
          b: { url: "http://y", dependsOn: ["a"] },
        },
      }),
      "Services depend on each other in a loop: a → b → a (parex.config.json, server.services.a.dependsOn). Remove one of these dependencies.",
    );
  });

  it("refuses HMAC and public-key algorithms together (alg confusion)", () => {
    assert.equal(
      messageOf({ auth: { algorithms: ["HS256", "RS256"], publicKeyFile: "key.pem" } }),
      "Invalid server.auth.algorithms (parex.config.json, server.auth.algorithms): HMAC (HS*) and public-key algorithms cannot be mixed: a public key would then verify as an HMAC secret. Pin one family.",
    );
    assert.equal(
      messageOf({ auth: { algorithms: ["RS256"] } }),
      "Invalid server.auth (parex.config.json, server.auth): RS256 need exactly one of publicKey (PEM), publicKeyFile or jwksFile.",
    );
  });

  it("wants pipelines to name tasks of the config", () => {
    assert.equal(
      messageOf({ pipelines: { ci: ["biuld"] } }),
      'Pipeline "ci" names unknown task "biuld" (parex.config.json, server.pipelines.ci). Did you mean "build"?',
    );
    assert.equal(
      messageOf({ pipelines: { ci: ["deploy"] } }, { build: "tsc", test: "node --test" }),
      'Pipeline "ci" names unknown task "deploy" (parex.config.json, server.pipelines.ci). Known tasks: build, test.',
    );
  });

  it("says there are no tasks, rather than listing none, when a pipeline names one", () => {
    assert.equal(
      messageOf({ pipelines: { ci: ["build"] } }, {}),
      'Pipeline "ci" names unknown task "build" (parex.config.json, server.pipelines.ci). The config has no tasks: define "build" under tasks.',
    );
  });

  it("says a required field is missing instead of showing undefined", () => {
    assert.equal(
      messageOf({ services: { users: { method: "GET" } } }),
      "Missing server.services.users.url (parex.config.json, server.services.users.url): expected an http:// or https:// URL.",
    );
    assert.equal(
      messageOf({ services: { users: { url: "http://x", retry: { backoff: "fixed" } } } }),
      'Service "users" is missing retry.attempts (parex.config.json, server.services.users.retry.attempts): expected an integer from 1 to 1000.',
    );
  });

  it("refuses a list or null where an object of services or pipelines by name is expected", () => {
    assert.equal(
      messageOf({ services: [] }),
      "Invalid server.services (parex.config.json, server.services): expected an object of services by name, got `[]` (array).",
    );
    assert.equal(
      messageOf({ services: null }),
      "Invalid server.services (parex.config.json, server.services): expected an object of services by name, got `null` (null).",
    );
    assert.equal(
      messageOf({ pipelines: ["build"] }),
      'Invalid server.pipelines (parex.config.json, server.pipelines): expected an object of task id lists, like { "ci": ["build", "test"] }, got `["build"]` (array).',
    );
    assert.equal(
      messageOf({ pipelines: null }),
      'Invalid server.pipelines (parex.config.json, server.pipelines): expected an object of task id lists, like { "ci": ["build", "test"] }, got `null` (null).',
    );
    assert.equal(
      messageOf({ services: { users: { url: "http://x", headers: ["a: b"] } } }),
      'Invalid server.services.users.headers (parex.config.json, server.services.users.headers): expected an object of strings, got `["a: b"]` (array).',
    );
    assert.equal(
      messageOf({ services: { users: { url: "http://x", breaker: [] } } }),
      'Service "users" has an invalid breaker (parex.config.json, server.services.users.breaker): expected an object, got `[]` (array).',
    );
    assert.equal(
      messageOf({ auth: [] }),
      "Invalid server.auth (parex.config.json, server.auth): expected an object, got `[]` (array).",
    );
  });

  it("refuses durations a timer cannot wait for", () => {
    assert.equal(
      messageOf({ shutdown: { runs: "finish", graceMs: 2 ** 31 } }),
      "Invalid server.shutdown.graceMs (parex.config.json, server.shutdown.graceMs): expected at most 2147483647 ms (about 24.8 days, the longest a timer can wait), got `2147483648` (number).",
    );
    assert.equal(
      messageOf({ services: { users: { url: "http://x", timeoutMs: 2 ** 31 } } }),
      'Service "users" has an invalid timeoutMs (parex.config.json, server.services.users.timeoutMs): expected at most 2147483647 ms (about 24.8 days, the longest a timer can wait; leave it out for no limit), got `2147483648` (number).',
    );
    assert.equal(
      messageOf({ shutdown: { runs: "finish", grace: 5 } }),
      'Unknown field "grace" in server.shutdown (parex.config.json, server.shutdown.grace). Known fields: runs, graceMs.',
    );
  });

  it("takes admission limits, and refuses the ones that cannot work", () => {
    const admission = { maxInFlight: 200, maxQueued: 500, maxQueueMs: 100, shedAfterMs: 2000 };
    assert.deepEqual(
      validateConfig({ tasks: {}, server: { admission } }, file).server?.admission,
      admission,
    );
    assert.equal(
      validateConfig({ tasks: {}, server: { admission: false } }, file).server?.admission,
      false,
    );
    assert.match(
      messageOf({ admission: { maxInFlight: 0 } }),
      /maxInFlight .*0 would refuse every orchestration/,
    );
    assert.match(
      messageOf({ admission: { maxQueueMs: 2 ** 31 } }),
      /server\.admission\.maxQueueMs/,
    );
    assert.match(messageOf({ admission: { maxQueue: 10 } }), /maxQueue.*Did you mean "maxQueued"/s);
    assert.match(
      messageOf({ admission: true }),
      /Invalid server\.admission .*expected false or \{ maxInFlight/,
    );
  });
});
