import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph, ParexError } from "../core/index.js";
import { validateConfig } from "./validate-config.js";

/** What `parex run` says about a config: the config walk, then the graph. */
function messageOf(config: unknown, file = "/project/parex.config.json"): string {
  try {
    const name = file.slice(file.lastIndexOf("/") + 1);
    buildGraph(validateConfig(config, file).tasks, { source: name });
  } catch (error) {
    assert.ok(error instanceof ParexError, String(error));
    return error.message;
  }
  assert.fail("expected the config to be refused");
}

describe("config messages", () => {
  it("lists the known settings when no close one is found", () => {
    assert.equal(
      messageOf({ jobs: {} }),
      'Unknown setting "jobs" (parex.config.json, jobs). Known settings: $schema, concurrency, strategy, killGraceMs, budgetMs, alerts, tasks, workspaces, pipeline, globalInputs, remoteCache, distributed, server.',
    );
  });

  it("ends an unknown gate or probe field with one suggestion and one full stop", () => {
    const gate = { name: "g", pattern: "(\\d+)", max: 0 };
    assert.equal(
      messageOf({ tasks: { a: { run: "x", gates: [{ ...gate, maxx: 1 }] } } }),
      'Task "a" has an invalid gate (parex.config.json, tasks.a.gates[0].maxx): unknown field "maxx". Did you mean "max"?',
    );
    assert.equal(
      messageOf({ tasks: { a: { run: "x", gates: [{ ...gate, colour: 1 }] } } }),
      'Task "a" has an invalid gate (parex.config.json, tasks.a.gates[0].colour): unknown field "colour". Known fields: name, pattern, file, pointer, min, max, level.',
    );
    assert.equal(
      messageOf({ tasks: { a: { run: "x", persistent: true, ready: { port: 1, timeout: 5 } } } }),
      'Task "a" has an invalid ready probe (parex.config.json, tasks.a.ready.timeout): unknown field "timeout". Did you mean "timeoutMs"?',
    );
  });

  it("says a missing required field is missing instead of showing undefined", () => {
    assert.equal(
      messageOf({ tasks: { a: { run: "x", retry: { backoff: "fixed" } } } }),
      'Task "a" is missing retry.attempts (parex.config.json, tasks.a.retry.attempts): expected an integer from 1 to 1000.',
    );
    assert.equal(
      messageOf(undefined, "/project/parex.config.mjs"),
      "parex.config.mjs has no default export (parex.config.mjs, default export). Add one: export default defineConfig({ tasks: { ... } }).",
    );
    assert.equal(
      messageOf(null, "/project/parex.config.yaml"),
      'parex.config.yaml is empty. Give it an object with `tasks`, like { "tasks": { "build": "tsc" } }.',
    );
  });

  it("refuses a list or null where an object is expected, naming the path", () => {
    assert.equal(
      messageOf({ tasks: [] }),
      "Invalid tasks (parex.config.json, tasks): expected an object of tasks by id, got `[]` (array).",
    );
    assert.equal(
      messageOf({ tasks: null }),
      "Invalid tasks (parex.config.json, tasks): expected an object of tasks by id, got `null` (null).",
    );
    assert.equal(
      messageOf(["build"]),
      'parex.config.json must define an object with `tasks` (parex.config.json, top level), got `["build"]` (array).',
    );
    assert.equal(
      messageOf({ alerts: [] }),
      'Invalid alerts (parex.config.json, alerts): expected { "rules": [...], "webhook"?: { "url": ... } }, got `[]` (array).',
    );
    assert.equal(
      messageOf({ tasks: { a: { run: "x", env: ["A=1"] } } }),
      'Task "a" has an invalid env (parex.config.json, tasks.a.env): a list names variables taken from the runner\'s environment; to set A, write env: { "A": "1" }.',
    );
    assert.equal(
      messageOf({ tasks: { a: { run: "x", retry: [] } } }),
      'Task "a" has an invalid retry (parex.config.json, tasks.a.retry): expected an object, got `[]` (array).',
    );
    assert.equal(
      messageOf({ pipeline: { build: ["^build"] } }),
      'Invalid pipeline entry "build" (parex.config.json, pipeline.build): expected { "dependsOn": ["^build", ...] }, got `["^build"]` (array).',
    );
    assert.equal(
      messageOf({ pipeline: { build: { output: ["dist/**"] } } }),
      'Invalid pipeline entry "build" (parex.config.json, pipeline.build.output): unknown field "output". Did you mean "outputs"?',
    );
    assert.equal(
      messageOf({ pipeline: { "web#build": { outputs: "dist/**" } } }),
      'Invalid pipeline entry "web#build" (parex.config.json, pipeline.web#build.outputs): expected outputs to be an array of globs inside the package (no .., / nor $root/), got `"dist/**"` (string).',
    );
  });

  it("refuses durations a timer cannot wait for, naming the field and the limit", () => {
    const past = "at most 2147483647 ms (about 24.8 days, the longest a timer can wait)";
    assert.equal(
      messageOf({ killGraceMs: 2 ** 31 }),
      `Invalid killGraceMs (parex.config.json, killGraceMs): expected ${past}, got \`2147483648\` (number).`,
    );
    assert.equal(
      messageOf({
        tasks: { db: { run: "x", persistent: true, ready: { log: "up", timeoutMs: 2 ** 31 } } },
      }),
      `Task "db" has an invalid ready probe (parex.config.json, tasks.db.ready): \`timeoutMs\` must be ${past}, got \`2147483648\` (number).`,
    );
    assert.equal(
      messageOf({ tasks: { a: { run: "x", timeoutMs: 2 ** 31 } } }),
      'Task "a" has an invalid timeoutMs (parex.config.json, tasks.a.timeoutMs): expected at most 2147483647 ms (about 24.8 days, the longest a timer can wait; leave it out for no limit), got `2147483648` (number).',
    );
    const webhook = (timeoutMs: unknown) => ({
      alerts: { rules: [], webhook: { url: "https://hooks.example", timeoutMs } },
    });
    assert.equal(
      messageOf(webhook(2 ** 31)),
      `Invalid alerts.webhook.timeoutMs (parex.config.json, alerts.webhook.timeoutMs): expected ${past}, got \`2147483648\` (number).`,
    );
    assert.equal(
      messageOf(webhook(1.5)),
      "Invalid alerts.webhook.timeoutMs (parex.config.json, alerts.webhook.timeoutMs): expected a whole number of ms > 0, got `1.5` (number).",
    );
    assert.equal(
      messageOf(webhook("5s")),
      'Invalid alerts.webhook.timeoutMs (parex.config.json, alerts.webhook.timeoutMs): expected a whole number of ms > 0, got `"5s"` (string).',
    );
  });

  it("names an unknown field of an alert rule or webhook instead of ignoring it", () => {
    assert.equal(
      messageOf({ alerts: { rules: [], webhook: { url: "https://hooks.example", timeout: 5 } } }),
      'Unknown field "timeout" in alerts.webhook (parex.config.json, alerts.webhook.timeout). Did you mean "timeoutMs"?',
    );
    assert.equal(
      messageOf({ alerts: { rules: [{ metric: "efficiency", below: 0.5, abov: 1 }] } }),
      'Unknown field "abov" in alerts.rules[0] (parex.config.json, alerts.rules[0].abov). Did you mean "above"?',
    );
  });
});

describe("the cache fields of a task", () => {
  const commandOf = (task: unknown) => {
    return validateConfig({ tasks: { a: task } }, "/project/parex.config.json").tasks[0]?.run;
  };

  it("turn outputs, inputs and external variables into the command's cache spec", () => {
    const command = commandOf({
      run: "tsc",
      outputs: ["dist/**"],
      inputs: ["src/**"],
      env: { NODE_ENV: { external: true }, TZ: "UTC" },
    });
    assert.ok(command !== undefined);
    assert.deepEqual(command.env, { TZ: "UTC" });
    assert.deepEqual(command.cache, {
      outputs: ["dist/**"],
      inputs: ["src/**"],
      hashedEnv: ["NODE_ENV"],
    });
  });

  it("take a list of names as turbo.json writes env, and cache: true alone caches the log", () => {
    const command = commandOf({ run: "vitest run", cache: true, env: ["CI", "NODE_ENV"] });
    assert.equal(command?.env, undefined);
    assert.deepEqual(command?.cache, { outputs: [], hashedEnv: ["CI", "NODE_ENV"] });
  });

  it("keep $root/ inputs and the config's globalInputs as root files of a cached task's key", () => {
    const config = {
      globalInputs: ["tsconfig.base.json"],
      tasks: {
        build: { run: "tsc", cwd: "app", inputs: ["src/**", "$root/.eslintrc.json"] },
        lint: { run: "eslint .", cache: true },
        deploy: { run: "deploy" },
      },
    };
    const tasks = validateConfig(config, "/project/parex.config.json").tasks;
    assert.deepEqual(
      tasks.map((task) => task.run.cache),
      [
        {
          outputs: [],
          inputs: ["src/**"],
          rootInputs: ["tsconfig.base.json", ".eslintrc.json"],
          hashedEnv: [],
        },
        { outputs: [], rootInputs: ["tsconfig.base.json"], hashedEnv: [] },
        undefined,
      ],
    );
  });

  it("refuse root globs that leave the root, $root/ outputs, and $root/ in globalInputs", () => {
    assert.equal(
      messageOf({ tasks: { a: { run: "x", inputs: ["$root/../shared/**"] } } }),
      'Task "a" has an invalid inputs (parex.config.json, tasks.a.inputs): expected an array of globs inside the task\'s cwd (no .. nor /), or $root/ and a glob of the config file\'s directory, got `["$root/../shared/**"]` (array).',
    );
    assert.equal(
      messageOf({ tasks: { a: { run: "x", outputs: ["$root/dist/**"] } } }),
      'Task "a" has an invalid outputs (parex.config.json, tasks.a.outputs): expected an array of globs inside the task\'s cwd (no .., / nor $root/), got `["$root/dist/**"]` (array).',
    );
    assert.equal(
      messageOf({ globalInputs: ["$root/tsconfig.json"] }),
      'Invalid globalInputs (parex.config.json, globalInputs): expected an array of globs relative to parex.config.json\'s directory (no .., / nor $root/: each is at the root already), got `["$root/tsconfig.json"]` (array).',
    );
    assert.equal(
      messageOf({ pipeline: { build: { inputs: ["/etc/hosts"] } } }),
      'Invalid pipeline entry "build" (parex.config.json, pipeline.build.inputs): expected inputs to be an array of globs inside the package (no .. nor /), or $root/ and a glob of the workspace root, got `["/etc/hosts"]` (array).',
    );
  });

  it("leave a task uncached by default, with cache: false, and when it is a service", () => {
    assert.equal(commandOf({ run: "deploy" })?.cache, undefined);
    assert.equal(commandOf({ run: "tsc", outputs: ["dist/**"], cache: false })?.cache, undefined);
    assert.equal(
      messageOf({ tasks: { a: { run: "vite", persistent: true, cache: true } } }),
      'Task "a" is persistent and cannot be cached (parex.config.json, tasks.a.cache): a service has no end to replay. Remove cache: true.',
    );
  });
});

describe("the remote cache in the config file", () => {
  it("takes its url and team", () => {
    const config = { remoteCache: { url: "https://cache.example.com", team: " my-team " } };
    assert.deepEqual(validateConfig(config, "/project/parex.config.json").remoteCache, {
      url: "https://cache.example.com",
      team: "my-team",
    });
  });

  it("refuses a token there, saying where it goes instead", () => {
    assert.equal(
      messageOf({ remoteCache: { url: "https://cache.example.com", token: "secret" } }),
      "The remote cache's token cannot be in the config file (parex.config.json, remoteCache.token): the file is committed, and anyone who reads it would have the token. Remove it, and set PAREX_REMOTE_CACHE_TOKEN where parex runs (or pass --token TOKEN).",
    );
    assert.equal(
      messageOf({ remoteCache: { signatureKey: "k" } }, "/project/parex.config.yaml"),
      "The remote cache's signatureKey cannot be in the config file (parex.config.yaml, remoteCache.signatureKey): the file is committed, and anyone who reads it would have the signatureKey. Remove it, and set PAREX_REMOTE_CACHE_SIGNATURE_KEY where parex runs.",
    );
  });

  it("refuses a URL that is not http(s), an empty team and an unknown field", () => {
    assert.equal(
      messageOf({ remoteCache: { url: "cache.example.com" } }),
      'Invalid remoteCache.url (parex.config.json, remoteCache.url): expected the API\'s base, an http:// or https:// URL like "https://cache.example.com", got `"cache.example.com"` (string).',
    );
    assert.equal(
      messageOf({ remoteCache: { team: "" } }),
      'Invalid remoteCache.team (parex.config.json, remoteCache.team): expected a team_… id or a slug, got `""` (string).',
    );
    assert.equal(
      messageOf({ remoteCache: { url: "https://c", teem: "x" } }),
      'Unknown field "teem" in remoteCache (parex.config.json, remoteCache.teem). Did you mean "team"?',
    );
    assert.equal(
      messageOf({ remoteCache: "https://c" }),
      'Invalid remoteCache (parex.config.json, remoteCache): expected { "url": "https://…", "team": "…" }, got `"https://c"` (string).',
    );
  });
});

describe("the distributed queue in the config file", () => {
  it("takes its Redis URL and queue name", () => {
    const config = { distributed: { redis: "rediss://ci@queue.internal:6380", queue: "web-app" } };
    assert.deepEqual(validateConfig(config, "/project/parex.config.json").distributed, {
      redis: "rediss://ci@queue.internal:6380",
      queue: "web-app",
    });
  });

  it("refuses a password in the URL, saying where it goes instead", () => {
    assert.equal(
      messageOf({ distributed: { redis: "redis://:hunter2@queue.internal:6379" } }),
      "The Redis password cannot be in the config file (parex.config.json, distributed.redis): the file is committed, and anyone who reads it would have it. Remove it from the URL, and set PAREX_REDIS_URL (the whole URL, with the password) where parex runs.",
    );
  });

  it("refuses a URL that is not redis(s), a queue name with a colon and an unknown field", () => {
    assert.equal(
      messageOf({ distributed: { redis: "http://queue:6379" } }),
      'Invalid distributed.redis (parex.config.json, distributed.redis): expected a redis:// or rediss:// URL like "redis://queue-host:6379", got `"http://queue:6379"` (string).',
    );
    assert.equal(
      messageOf({ distributed: { queue: "a:b" } }),
      'Invalid distributed.queue (parex.config.json, distributed.queue): expected a name of letters, digits, "_", "." and "-", got `"a:b"` (string).',
    );
    assert.match(messageOf({ distributed: { host: "q" } }), /Unknown field "host".*distributed/);
  });
});
