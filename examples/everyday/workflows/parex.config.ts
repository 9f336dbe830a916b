/**
 * Seed 004, pattern 2: long-running workflows started together — a dev server, and a test
 * watcher that must wait until the server's port answers. The dev server is a persistent
 * service with a port probe; the build and the format check run beside it; parex stops the
 * server when the watcher ends (or on Ctrl-C).
 *
 *   node bin/parex.js run -c examples/everyday/workflows/parex.config.ts --compare-sequential
 *   WATCH_ROUNDS=0 node bin/parex.js run -c examples/everyday/workflows/parex.config.ts
 *
 * WATCH_ROUNDS: rounds of tests before the watcher ends (default 1; 0 watches until Ctrl-C).
 * PORT: the dev server's port (default: a free one).
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "../../../src/index.js";
import { freePort } from "../../free-port.js";

const root = new URL("../../../", import.meta.url).pathname;
const node = `${JSON.stringify(process.execPath)} --import tsx`;

export default defineConfig(async () => {
  const port = Number(process.env["PORT"] ?? (await freePort()));
  const bundle = join(tmpdir(), `parex-recipe-dev-server-${process.pid}.js`);
  process.once("exit", () => rmSync(bundle, { force: true }));
  const env = { PORT: String(port), WATCH_ROUNDS: process.env["WATCH_ROUNDS"] ?? "1" };
  return {
    concurrency: 4,
    tasks: {
      "dev-server": {
        run: `${node} examples/everyday/workflows/dev-server.ts`,
        cwd: root,
        env,
        persistent: true,
        ready: { port, timeoutMs: 30_000 },
      },
      "test-watcher": {
        run: `${node} examples/everyday/workflows/watch-tests.ts`,
        cwd: root,
        env,
        dependsOn: ["dev-server"],
      },
      build: {
        run: `${root}node_modules/.bin/esbuild examples/everyday/workflows/dev-server.ts --bundle --platform=node --format=esm --outfile=${bundle} --log-level=warning`,
        cwd: root,
      },
      format: {
        run: `${root}node_modules/.bin/prettier --check examples/everyday/workflows`,
        cwd: root,
      },
    },
  };
});
