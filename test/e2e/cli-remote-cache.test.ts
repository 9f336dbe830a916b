import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { deadUrl, filesUnder, startRemoteCacheServer } from "../../src/testing/index.js";
import type { RemoteCacheServer } from "../../src/testing/index.js";

const bin = new URL("../../bin/parex.js", import.meta.url).pathname;

interface Summary {
  tasks: { id: string; cache?: string; cacheSource?: string }[];
}

interface Ran {
  code: number | null;
  stderr: string;
  /** Each task's `cache`, and its `cacheSource` after a slash when it has one: `hit/remote`. */
  cacheOf: Record<string, string>;
  /** The lines parex wrote about the remote cache. */
  remoteLines: string[];
}

/**
 * `parex run --json` in `dir`, as a child process that does not block this one (a test's own
 * HTTP server must go on answering meanwhile). The remote-cache variables of the runner's
 * environment are dropped: only `env` sets them.
 */
async function run(
  { dir, env: own }: Machine,
  args: string[],
  env: Record<string, string> = {},
): Promise<Ran> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("PAREX_REMOTE_CACHE_")),
  );
  const child = spawn(process.execPath, [bin, "run", "--json", "--output", "none", ...args], {
    cwd: dir,
    env: { ...inherited, CI: "true", ...own, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, "close")) as [number | null];
  const summary = (stdout === "" ? { tasks: [] } : JSON.parse(stdout)) as Summary;
  const cacheOf = Object.fromEntries(
    summary.tasks.map((t) => [t.id, [t.cache, t.cacheSource].filter(Boolean).join("/")]),
  );
  const remoteLines = stderr.split("\n").filter((line) => line.startsWith("parex: remote cache"));
  return { code, stderr, cacheOf, remoteLines };
}

/**
 * A git project, the same on every "machine": `gen` writes 64 KiB of random bytes and an
 * executable script into out/, `use` copies the bytes (depends on gen), `other` writes out2/.
 * Each records that it ran in `ran()`, a file outside the project. `settings` are added to
 * its config file.
 */
function machine(settings: Record<string, unknown> = {}): Machine {
  const dir = mkdtempSync(join(tmpdir(), "parex-remote-"));
  const log = join(mkdtempSync(join(tmpdir(), "parex-ran-")), "ran");
  writeFileSync(log, "");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "a.txt"), "one\n");
  // The log's path is not in the command (a machine's own path would change every key): it
  // comes from a variable the tasks do not name.
  const note = (id: string) => `echo ${id} >> "$PAREX_TEST_RAN"`;
  const config = {
    ...settings,
    tasks: {
      gen: {
        run: `${note("gen")} && mkdir -p out && head -c 65536 /dev/urandom > out/blob.bin && printf '#!/bin/sh\\necho hi\\n' > out/gen.sh && chmod +x out/gen.sh && echo "gen built it"`,
        inputs: ["src/**"],
        outputs: ["out/blob.bin", "out/gen.sh"],
      },
      use: {
        run: `${note("use")} && cp out/blob.bin out/copy.bin`,
        dependsOn: ["gen"],
        inputs: ["src/**"],
        outputs: ["out/copy.bin"],
      },
      other: {
        run: `${note("other")} && mkdir -p out2 && cp src/a.txt out2/a.txt`,
        inputs: ["src/**"],
        outputs: ["out2/**"],
      },
    },
  };
  writeFileSync(join(dir, "parex.config.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, ".gitignore"), "out/\nout2/\n");
  execFileSync("git", ["init", "-q"], { cwd: dir });
  execFileSync("git", ["add", "."], { cwd: dir });
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x"], {
    cwd: dir,
  });
  const ran = () => {
    const lines = readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
    writeFileSync(log, "");
    return lines.sort();
  };
  return { dir, ran, env: { PAREX_TEST_RAN: log } };
}

/** One checkout of the project, as on its own machine. */
interface Machine {
  readonly dir: string;
  /** The tasks that ran since the last call, sorted. */
  readonly ran: () => string[];
  /** What its runs need in their environment. */
  readonly env: Readonly<Record<string, string>>;
}

describe("the remote cache (end to end, against turborepo-remote-cache)", () => {
  let server: RemoteCacheServer;
  let signing: RemoteCacheServer;
  before(async () => {
    [server, signing] = await Promise.all([
      startRemoteCacheServer(),
      startRemoteCacheServer({ signing: true }),
    ]);
  });
  after(async () => {
    await Promise.all([server.stop(), signing.stop()]);
  });
  const flags = (target: RemoteCacheServer, team: string) => [
    "--remote-cache",
    target.url,
    "--token",
    target.token,
    "--team",
    team,
  ];

  it("restores on machine B, byte for byte and without running, what machine A stored", async () => {
    const a = machine();
    const b = machine();
    const stored = await run(a, flags(server, "ab"));
    assert.equal(stored.code, 0, stored.stderr);
    assert.deepEqual(stored.cacheOf, { gen: "miss", use: "miss", other: "miss" });
    assert.deepEqual(stored.remoteLines, []);
    a.ran();
    assert.equal(filesUnder(join(server.storage, "ab")).length, 3, "three entries uploaded");

    const hit = await run(b, [...flags(server, "ab"), "--output", "stream"]);
    assert.equal(hit.code, 0, hit.stderr);
    assert.deepEqual(hit.cacheOf, { gen: "hit/remote", use: "hit/remote", other: "hit/remote" });
    assert.deepEqual(b.ran(), [], "no command ran on B");
    for (const path of ["out/blob.bin", "out/gen.sh", "out/copy.bin", "out2/a.txt"]) {
      assert.deepEqual(readFileSync(join(b.dir, path)), readFileSync(join(a.dir, path)), path);
    }
    assert.equal(statSync(join(b.dir, "out", "gen.sh")).mode & 0o111, 0o111, "still executable");
    assert.match(hit.stderr, /gen built it/, "the output is replayed");

    const again = await run(b, flags(server, "ab"));
    assert.deepEqual(again.cacheOf, { gen: "hit/local", use: "hit/local", other: "hit/local" });
  });

  it("takes the URL, token and team from PAREX_REMOTE_CACHE_* variables", async () => {
    const env = {
      PAREX_REMOTE_CACHE_URL: server.url,
      PAREX_REMOTE_CACHE_TOKEN: server.token,
      PAREX_REMOTE_CACHE_TEAM: "env",
    };
    assert.equal((await run(machine(), [], env)).code, 0);
    const hit = await run(machine(), [], env);
    assert.deepEqual(hit.cacheOf, { gen: "hit/remote", use: "hit/remote", other: "hit/remote" });
  });

  it("takes the URL and team from the config file's remoteCache, the token from PAREX_REMOTE_CACHE_TOKEN", async () => {
    const settings = { remoteCache: { url: server.url, team: "from-config" } };
    const env = { PAREX_REMOTE_CACHE_TOKEN: server.token };
    const stored = await run(machine(settings), [], env);
    assert.equal(stored.code, 0, stored.stderr);
    assert.deepEqual(stored.remoteLines, []);
    assert.equal(
      filesUnder(join(server.storage, "from-config")).length,
      3,
      "uploaded under its team",
    );
    const hit = await run(machine(settings), [], env);
    assert.deepEqual(hit.cacheOf, { gen: "hit/remote", use: "hit/remote", other: "hit/remote" });
  });

  it("lets flags and PAREX_REMOTE_CACHE_* variables win over the config file's remoteCache", async () => {
    const settings = { remoteCache: { url: await deadUrl(), team: "config-team" } };
    const env = { PAREX_REMOTE_CACHE_URL: server.url, PAREX_REMOTE_CACHE_TOKEN: server.token };
    const viaEnv = await run(machine(settings), [], env);
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.deepEqual(viaEnv.remoteLines, [], "the config's dead URL was not asked");
    assert.equal(
      filesUnder(join(server.storage, "config-team")).length,
      3,
      "its team still counts",
    );
    const viaFlag = await run(machine(settings), ["--team", "flag-team"], env);
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
    assert.equal(filesUnder(join(server.storage, "flag-team")).length, 3);
  });

  it("runs with the local cache only, saying so once, when the config names a remote cache and no token is set", async () => {
    const m = machine({ remoteCache: { url: server.url, team: "no-token" } });
    const first = await run(m, []);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.cacheOf, { gen: "miss", use: "miss", other: "miss" });
    assert.deepEqual(first.remoteLines, [
      `parex: remote cache: ${server.url} (remoteCache in parex.config.json) is not used: there is no token. Set PAREX_REMOTE_CACHE_TOKEN (or pass --token TOKEN) to use it; the run goes on with the local cache only`,
    ]);
    assert.deepEqual(
      filesUnder(server.storage).filter((f) => f.startsWith("no-token/")),
      [],
    );
    assert.deepEqual((await run(m, [])).cacheOf, {
      gen: "hit/local",
      use: "hit/local",
      other: "hit/local",
    });
  });

  it("refuses a token in the config file, saying where it goes", async () => {
    const m = machine({ remoteCache: { url: server.url, token: server.token } });
    const refused = await run(m, []);
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(
      refused.stderr,
      "parex: The remote cache's token cannot be in the config file (parex.config.json, remoteCache.token): the file is committed, and anyone who reads it would have the token. Remove it, and set PAREX_REMOTE_CACHE_TOKEN where parex runs (or pass --token TOKEN).\n",
    );
    assert.deepEqual(m.ran(), [], "nothing ran");
  });

  it("signs entries, and refuses with one warning an entry altered on the server, running it instead", async () => {
    const env = { PAREX_REMOTE_CACHE_SIGNATURE_KEY: "team secret" };
    const a = machine();
    assert.equal((await run(a, flags(signing, "signed"), env)).code, 0);
    const tags = filesUnder(join(signing.storage, "signed")).filter((f) => f.endsWith(".tag"));
    assert.equal(tags.length, 3, "each upload carries its tag");

    const b = machine();
    const signed = await run(b, flags(signing, "signed"), env);
    assert.deepEqual(signed.cacheOf, {
      gen: "hit/remote",
      use: "hit/remote",
      other: "hit/remote",
    });

    // Poison the entry of `other` on the server: same length, other bytes.
    const entry = join(signing.storage, "signed", keyOf(b.dir, "other"));
    const bytes = readFileSync(entry);
    bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 0xff;
    writeFileSync(entry, bytes);
    const c = machine();
    const poisoned = await run(c, flags(signing, "signed"), env);
    assert.equal(poisoned.code, 0, poisoned.stderr);
    assert.deepEqual(poisoned.cacheOf, { gen: "hit/remote", use: "hit/remote", other: "miss" });
    assert.deepEqual(c.ran(), ["other"], "the refused task ran");
    assert.deepEqual(poisoned.remoteLines, [
      `parex: remote cache: the entry of "other" was refused: its signature does not match (PAREX_REMOTE_CACHE_SIGNATURE_KEY differs from the one it was stored with, or the entry was altered); running it`,
    ]);
  });

  it("goes on with the local cache, saying it once, when nothing listens at the URL", async () => {
    const m = machine();
    const url = await deadUrl();
    const down = await run(m, ["--remote-cache", url, "--token", "t", "--team", "x"]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(down.cacheOf, { gen: "miss", use: "miss", other: "miss" });
    assert.equal(down.remoteLines.length, 1, down.stderr);
    assert.match(
      down.remoteLines[0] ?? "",
      /^parex: remote cache: cannot reach http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\); the run goes on with the local cache only$/,
    );
    m.ran();
    const local = await run(m, ["--remote-cache", url, "--token", "t", "--team", "x"]);
    assert.deepEqual(local.cacheOf, { gen: "hit/local", use: "hit/local", other: "hit/local" });
    assert.deepEqual(m.ran(), []);
  });

  it("gives up on a server that never answers after its timeout, saying it once", async () => {
    const silent = createServer(() => undefined);
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const m = machine();
      const hung = await run(m, ["--remote-cache", url, "--token", "t"], {
        PAREX_REMOTE_CACHE_TIMEOUT_MS: "300",
      });
      assert.equal(hung.code, 0, hung.stderr);
      assert.deepEqual(hung.cacheOf, { gen: "miss", use: "miss", other: "miss" });
      assert.deepEqual(hung.remoteLines, [
        `parex: remote cache: no answer from ${url} within 0.3 s; the run goes on with the local cache only`,
      ]);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("names the token when the server refuses it", async () => {
    const m = machine();
    const refused = await run(m, ["--remote-cache", server.url, "--token", "wrong", "--team", "x"]);
    assert.equal(refused.code, 0, refused.stderr);
    assert.deepEqual(refused.remoteLines, [
      `parex: remote cache: ${server.url} answered 401 Unauthorized: {"message":"Invalid authorization token"}. Check the token (PAREX_REMOTE_CACHE_TOKEN or --token) and that it may read and write this team's cache; the run goes on with the local cache only`,
    ]);
  });

  it("uploads nothing with --cache read, and downloads nothing with --cache write", async () => {
    const reader = await run(machine(), [...flags(server, "modes"), "--cache", "read"]);
    assert.equal(reader.code, 0, reader.stderr);
    assert.deepEqual(
      filesUnder(server.storage).filter((f) => f.startsWith("modes/")),
      [],
    );
    assert.equal((await run(machine(), flags(server, "modes"))).code, 0);
    const b = machine();
    const writer = await run(b, [...flags(server, "modes"), "--cache", "write"]);
    assert.deepEqual(writer.cacheOf, { gen: "miss", use: "miss", other: "miss" });
    assert.deepEqual(b.ran(), ["gen", "other", "use"]);
  });

  it("refuses a remote cache without a token, a bad URL, and --token without a URL", async () => {
    const m = machine();
    const cases: [string[], string][] = [
      [
        ["--remote-cache", server.url],
        `parex run: the remote cache ${server.url} needs a token. Set PAREX_REMOTE_CACHE_TOKEN (or pass --token TOKEN).`,
      ],
      [
        ["--remote-cache", "cache.example.com", "--token", "t"],
        `parex run: the remote cache URL must be http:// or https://, got "cache.example.com" (--remote-cache or PAREX_REMOTE_CACHE_URL). Give the API's base, e.g. https://cache.example.com.`,
      ],
      [
        ["--token", "t"],
        "parex run: --token is for a remote cache, and none is named. Add --remote-cache URL, set PAREX_REMOTE_CACHE_URL, or give parex's config file a remoteCache.url.",
      ],
    ];
    for (const [args, message] of cases) {
      const refused = await run(m, args);
      assert.equal(refused.code, 2, refused.stderr);
      assert.ok(refused.stderr.includes(message), refused.stderr);
    }
  });
});

/** The key `taskId` is stored under in `dir`'s local cache (from the meta beside each entry). */
function keyOf(dir: string, taskId: string): string {
  const cache = join(dir, ".parex", "cache");
  const meta = filesUnder(cache)
    .filter((f) => f.endsWith(".json"))
    .find(
      (f) =>
        (JSON.parse(readFileSync(join(cache, f), "utf8")) as { taskId: string }).taskId === taskId,
    );
  assert.ok(meta !== undefined, `${taskId} has an entry`);
  return meta.replace(/^.*\//, "").replace(/\.json$/, "");
}
