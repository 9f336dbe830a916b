import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempRepos } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;
const repos = tempRepos();
after(() => repos.removeAll());

/**
 * Runs `script` with `sh` in a mount namespace of its own, where `dir/.parex/cache` is a tmpfs
 * of 256 KiB: a full disk for the cache, and only for it. Undefined where the machine does not
 * allow it (no `unshare`, no right to mount).
 */
function onSmallDisk(dir: string, script: string): string | undefined {
  const cache = join(dir, ".parex", "cache");
  mkdirSync(cache, { recursive: true });
  const result = spawnSync(
    "unshare",
    ["-m", "sh", "-c", `mount -t tmpfs -o size=256k tmpfs "${cache}" || exit 99\n${script}`],
    { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "true" } },
  );
  if (result.error !== undefined || result.status === 99) return undefined;
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe("the task cache on a full disk (end to end)", () => {
  it("stores what fits, warns once for what does not, leaves no temp file, and the run succeeds", (t) => {
    const tasks = {
      big: {
        run: "mkdir -p out && head -c 2000000 /dev/urandom > out/blob.bin",
        inputs: ["src/**"],
        outputs: ["out/**"],
      },
      small: {
        run: "mkdir -p out2 && echo small > out2/a.txt",
        inputs: ["src/**"],
        outputs: ["out2/**"],
      },
    };
    const repo = repos.with({
      "parex.config.json": JSON.stringify({ tasks }),
      "src/a.txt": "a\n",
      ".gitignore": "out/\nout2/\n.parex/\n",
    });
    repo.commitAll();
    const run = `node "${bin}" run --json --output none 2>&1 >&3 | grep '^parex: cache:' >&2`;
    const said = onSmallDisk(
      repo.root,
      [
        `{ ${run}; } 3>first.json 2>first.said`,
        `{ ${run}; } 3>second.json 2>second.said`,
        `cd .parex/cache && find . -type f | sort`,
        `cd ../.. && node -e 'for (const run of ["first", "second"]) { const s = require("./" + run + ".json"); console.log(run, s.status, s.tasks.map((t) => t.id + ":" + t.cache).join(" ")); }'`,
        `cat first.said second.said`,
      ].join("\n"),
    );
    if (said === undefined) {
      t.skip("this machine does not allow a tmpfs in a mount namespace");
      return;
    }
    const lines = said.trim().split("\n");
    const files = lines.filter((line) => line.startsWith("./"));
    // One entry, small's, and no temp file.
    const key = /^\.\/[0-9a-f]{2}\/([0-9a-f]{64})\.json$/.exec(files[0] ?? "")?.[1];
    assert.deepEqual(files, [
      `./${key?.slice(0, 2)}/${key}.json`,
      `./${key?.slice(0, 2)}/${key}.tar.gz`,
    ]);
    assert.deepEqual(
      lines.filter((line) => /^(first|second) /.test(line)),
      ["first succeeded big:miss small:miss", "second succeeded big:miss small:hit"],
    );
    const warnings = lines.filter((line) => line.startsWith("parex: cache:"));
    assert.deepEqual(warnings, [
      'parex: cache: "big" could not be stored in the cache (ENOSPC: no space left on device, write); the run goes on',
      'parex: cache: "big" could not be stored in the cache (ENOSPC: no space left on device, write); the run goes on',
    ]);
  });
});
