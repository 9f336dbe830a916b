import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import { buildGraph, ParexError } from "../core/index.js";
import { validateConfig } from "./validate-config.js";

const schema = JSON.parse(
  readFileSync(new URL("../../schema/parex.config.schema.json", import.meta.url), "utf8"),
) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
const schemaAccepts = ajv.compile(schema);

function parexAccepts(config: unknown): boolean {
  try {
    // What parex run does: the config walk, then the graph (ids, dependencies, policies).
    buildGraph(validateConfig(config, "/project/parex.config.json").tasks, {
      source: "parex.config.json",
    });
    return true;
  } catch (error) {
    assert.ok(error instanceof ParexError, String(error));
    return false;
  }
}

const valid: Record<string, unknown> = {
  "every field": {
    $schema: "./node_modules/parex/schema/parex.config.schema.json",
    concurrency: "50%",
    strategy: "partial",
    killGraceMs: 2000,
    tasks: {
      build: {
        run: "tsc -p .",
        outputs: ["dist/**", "!dist/**/*.map"],
        inputs: ["src/**", "tsconfig.json"],
        env: { NODE_ENV: { external: true }, TZ: "UTC" },
      },
      bundle: { run: "esbuild", dependsOn: ["build"], cache: true, env: ["CI"] },
      lint: ["eslint", "."],
      test: {
        run: "node --test",
        dependsOn: ["build"],
        cwd: "packages/app",
        env: { NODE_ENV: "test" },
        group: "test",
        priority: 2,
        timeoutMs: 2147483647,
        retry: {
          attempts: 1000,
          backoff: "exponential",
          initialDelayMs: 200,
          maxDelayMs: 5000,
          factor: 3,
          jitter: 0.2,
        },
        breaker: { key: "db", failureThreshold: 3, resetAfterMs: 1000 },
        fallback: "echo skipped",
        optional: true,
        slots: 2,
        mutex: "db",
        gates: [
          {
            name: "coverage",
            file: "coverage/summary.json",
            pointer: "/total/lines/pct",
            min: 85,
            level: "warn",
          },
          { name: "lint issues", pattern: "(\\\\d+) problems", max: 0 },
        ],
      },
      db: {
        run: "postgres -D data",
        persistent: true,
        ready: { port: 5432, host: "127.0.0.1", timeoutMs: 30000 },
      },
      web: { run: "npm start", persistent: true, ready: { url: "http://127.0.0.1:3000/health" } },
      log: { run: "worker", persistent: true, ready: { log: "listening on \\\\d+" } },
    },
  },
  "alerts and a budget": {
    budgetMs: 600000,
    alerts: {
      rules: [
        { name: "slow", metric: "makespanMs", above: 600000 },
        { metric: "taskSlowdown", above: 2 },
      ],
      webhook: { url: "https://hooks.example/parex", timeoutMs: 2000 },
    },
  },
  "a pipeline": { pipeline: { build: { dependsOn: ["^build"] }, test: { dependsOn: ["build"] } } },
  "pipeline script names": { workspaces: true, pipeline: ["build", "test"] },
  "a pipeline with cache rules, by script and by package": {
    pipeline: {
      build: {
        dependsOn: ["^build"],
        outputs: ["dist/**", "!dist/**/*.map"],
        inputs: ["src/**"],
        env: ["NODE_ENV"],
        cache: true,
      },
      "@app/web#build": { dependsOn: ["^build"], outputs: [".next/**"] },
      deploy: { cache: false },
    },
  },
  "root files as inputs": {
    globalInputs: ["tsconfig.base.json", "!tsconfig.local.json"],
    tasks: { build: { run: "tsc", inputs: ["src/**", "$root/.eslintrc.json"] } },
    pipeline: { build: { inputs: ["$TURBO_DEFAULT$", "$root/babel.config.json"] } },
  },
  "a remote cache": { remoteCache: { url: "https://cache.example.com", team: "team_abc" } },
  "a server section": {
    tasks: { build: "tsc" },
    server: {
      port: 3000,
      host: "0.0.0.0",
      auth: {
        algorithms: ["ES256"],
        jwksFile: "jwks.json",
        issuer: "https://auth",
        audience: "parex",
      },
      services: {
        users: {
          url: "http://127.0.0.1:4001/users",
          retry: { attempts: 2 },
          breaker: { failureThreshold: 3 },
          fallback: { value: [] },
          tiers: ["pro"],
        },
        billing: {
          url: "https://billing.internal/charge",
          method: "POST",
          body: { user: "{{results.users}}" },
          dependsOn: ["users"],
        },
      },
      pipelines: { ci: ["build"] },
      rateLimit: false,
      shutdown: { runs: "cancel" },
    },
  },
};

const invalid: Record<string, unknown> = {
  "an unknown setting": { task: {} },
  "an unknown task field": { tasks: { a: { run: "x", dependOn: [] } } },
  "a task without run": { tasks: { a: { dependsOn: [] } } },
  "an empty command": { tasks: { a: { run: "" } } },
  "a negative timeout": { tasks: { a: { run: "x", timeoutMs: -1 } } },
  "retry without attempts": { tasks: { a: { run: "x", retry: { backoff: "fixed" } } } },
  "a bad backoff": { tasks: { a: { run: "x", retry: { attempts: 2, backoff: "linear" } } } },
  "a probe of two kinds": {
    tasks: { a: { run: "x", persistent: true, ready: { port: 1, log: "x" } } },
  },
  "a port out of range": { tasks: { a: { run: "x", persistent: true, ready: { port: 70000 } } } },
  "a gate without bounds": {
    tasks: { a: { run: "x", gates: [{ name: "g", pattern: "(\\\\d+)" }] } },
  },
  "a gate without a source": { tasks: { a: { run: "x", gates: [{ name: "g", max: 0 }] } } },
  "a bad concurrency": { concurrency: "lots" },
  "a bad strategy": { strategy: "most" },
  "an alert on an unknown metric": { alerts: { rules: [{ metric: "mood", above: 1 }] } },
  "an alert without a bound": { alerts: { rules: [{ metric: "efficiency" }] } },
  "a webhook that is not a URL": { alerts: { rules: [], webhook: { url: "file:///etc" } } },
  "a service that is not a URL": { server: { services: { s: { url: "file:///etc" } } } },
  "an unknown server setting": { server: { listen: 80 } },
  "a service with a command": { server: { services: { s: { url: "http://x", run: "rm" } } } },
  "a pipeline without tasks": { server: { pipelines: { ci: [] } } },
  "a timeout past the longest timer": { tasks: { a: { run: "x", timeoutMs: 2 ** 31 } } },
  "a retry delay past the longest timer": {
    tasks: { a: { run: "x", retry: { attempts: 2, maxDelayMs: 2 ** 31 } } },
  },
  "more than 1000 attempts": { tasks: { a: { run: "x", retry: { attempts: 1001 } } } },
  "a breaker cool-down past the longest timer": {
    tasks: { a: { run: "x", breaker: { resetAfterMs: 2 ** 31 } } },
  },
  "a probe timeout past the longest timer": {
    tasks: { a: { run: "x", persistent: true, ready: { port: 1, timeoutMs: 2 ** 31 } } },
  },
  "a kill grace past the longest timer": { killGraceMs: 2 ** 31 },
  "a webhook timeout past the longest timer": {
    alerts: { rules: [], webhook: { url: "https://h", timeoutMs: 2 ** 31 } },
  },
  "a fractional webhook timeout": {
    alerts: { rules: [], webhook: { url: "https://h", timeoutMs: 1.5 } },
  },
  "an unknown webhook field": { alerts: { rules: [], webhook: { url: "https://h", timeout: 1 } } },
  "a service timeout past the longest timer": {
    server: { services: { s: { url: "http://x", timeoutMs: 2 ** 31 } } },
  },
  "a shutdown grace past the longest timer": {
    server: { shutdown: { runs: "finish", graceMs: 2 ** 31 } },
  },
  "outputs as one string": { tasks: { a: { run: "x", outputs: "dist/**" } } },
  "an empty input glob": { tasks: { a: { run: "x", inputs: [""] } } },
  "an input glob outside the task's cwd": { tasks: { a: { run: "x", inputs: ["../shared/**"] } } },
  "cache as a word": { tasks: { a: { run: "x", cache: "yes" } } },
  "an env value that is a number": { tasks: { a: { run: "x", env: { A: 1 } } } },
  "an env variable that is external: false": {
    tasks: { a: { run: "x", env: { A: { external: false } } } },
  },
  "a pipeline output outside the package": { pipeline: { build: { outputs: ["../dist/**"] } } },
  "a pipeline env that sets a value": { pipeline: { build: { env: ["NODE_ENV=production"] } } },
  "an unknown pipeline field": { pipeline: { build: { output: ["dist/**"] } } },
  "a pipeline cache as a word": { pipeline: { build: { cache: "no" } } },
  "a root input that leaves the root": { tasks: { a: { run: "x", inputs: ["$root/../x"] } } },
  "an output at the root": { tasks: { a: { run: "x", outputs: ["$root/dist/**"] } } },
  "a pipeline output at the root": { pipeline: { build: { outputs: ["!$root/x"] } } },
  "globalInputs with $root/": { globalInputs: ["$root/tsconfig.json"] },
  "globalInputs outside the root": { globalInputs: ["../tsconfig.json"] },
  "a remote cache token": { remoteCache: { url: "https://cache.example.com", token: "t" } },
  "a remote cache URL that is not http": { remoteCache: { url: "cache.example.com" } },
  "an empty remote cache team": { remoteCache: { team: "" } },
  "services as a list": { server: { services: [] } },
  "services as null": { server: { services: null } },
};

describe("the published JSON Schema and the config validator", () => {
  for (const [name, config] of Object.entries(valid)) {
    it(`both accept ${name}`, () => {
      assert.equal(schemaAccepts(config), true, JSON.stringify(schemaAccepts.errors));
      assert.equal(parexAccepts(config), true);
    });
  }
  for (const [name, config] of Object.entries(invalid)) {
    it(`both reject ${name}`, () => {
      assert.equal(schemaAccepts(config), false, "the schema accepted it");
      assert.equal(parexAccepts(config), false, "parex accepted it");
    });
  }
});
