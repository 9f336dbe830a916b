/**
 * The test watcher of the workflows recipe: runs its tests against the dev server, then again
 * each time a file of this folder changes. WATCH_ROUNDS=N stops after N rounds (exit 1 if the
 * last failed); 0 watches until Ctrl-C.
 */
import assert from "node:assert/strict";
import { watch } from "node:fs";

const base = `http://127.0.0.1:${process.env["PORT"] ?? 3000}`;
const rounds = Number(process.env["WATCH_ROUNDS"] ?? 1);
const here = new URL(".", import.meta.url).pathname;

const get = async (path: string): Promise<unknown> => (await fetch(base + path)).json();

const tests: Record<string, () => Promise<void>> = {
  "the API is up": async () => assert.deepEqual(await get("/api/health"), { ok: true }),
  "sum adds": async () => assert.deepEqual(await get("/api/sum?a=2&b=40"), { sum: 42 }),
  "the dev server compiled this file": async () => {
    const files = (await get("/api/files")) as { name: string }[];
    assert.ok(files.some((file) => file.name === "watch-tests.ts"));
  },
};

async function round(n: number): Promise<boolean> {
  let passed = 0;
  for (const [name, test] of Object.entries(tests)) {
    try {
      await test();
      passed++;
    } catch (error) {
      console.log(`  ✗ ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const total = Object.keys(tests).length;
  console.log(`round ${n}: ${passed}/${total} tests passed against ${base}`);
  return passed === total;
}

let n = 1;
let ok = await round(n);
if (rounds !== 0 && n >= rounds) process.exit(ok ? 0 : 1);
console.log(`watching ${here} for changes (Ctrl-C to stop)`);
let pending: NodeJS.Timeout | undefined;
const watcher = watch(here, () => {
  clearTimeout(pending);
  pending = setTimeout(() => {
    void round(++n).then((result) => {
      ok = result;
      if (rounds !== 0 && n >= rounds) {
        watcher.close();
        process.exitCode = ok ? 0 : 1;
      }
    });
  }, 100);
});
