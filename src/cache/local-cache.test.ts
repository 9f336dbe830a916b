import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { LocalCache } from "./local-cache.js";
import type { CacheMeta } from "./local-cache.js";
import { tempDirs } from "../testing/index.js";

const temp = tempDirs("parex-local-cache-");
after(temp.removeAll);
const tempDir = temp.make;

/** A key of 64 hex digits made of `digit`, in the shard `digit + digit`. */
function key(digit: string): string {
  return digit.repeat(64);
}

const meta: CacheMeta = { taskId: "build", durationMs: 1234, createdAt: 1_700_000_000_000 };
const day = 24 * 60 * 60 * 1000;

/** Sets the last use of `key`'s entry (its artifact's mtime, and its meta's) to `ms`. */
function lastUsed(dir: string, k: string, ms: number): void {
  for (const extension of ["tar.gz", "json"]) {
    utimesSync(join(dir, k.slice(0, 2), `${k}.${extension}`), new Date(ms), new Date(ms));
  }
}

/** Every file under `dir`, as relative paths, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe("LocalCache", () => {
  it("says whether it has a key without marking the entry as used", async () => {
    const dir = tempDir();
    const cache = new LocalCache(dir);
    await cache.put(key("a"), Buffer.from([1]), meta);
    lastUsed(dir, key("a"), 1_000_000);
    assert.equal(await cache.has(key("a")), true);
    assert.equal(await cache.has(key("b")), false);
    assert.equal(statSync(join(dir, "aa", `${key("a")}.tar.gz`)).mtimeMs, 1_000_000);
  });

  it("gives back the artifact and meta put under a key, and undefined for a key never put", async () => {
    const dir = tempDir();
    const cache = new LocalCache(dir);
    const artifact = Buffer.from([0x1f, 0x8b, 0, 1, 2, 255]);
    await cache.put(key("a"), artifact, meta);
    assert.deepEqual(await cache.get(key("a")), artifact);
    assert.deepEqual(await cache.meta(key("a")), meta);
    assert.equal(await cache.get(key("b")), undefined);
    assert.equal(await cache.meta(key("b")), undefined);
    assert.deepEqual(filesUnder(dir), [`aa/${key("a")}.json`, `aa/${key("a")}.tar.gz`]);
  });

  it("replaces what was put under a key before", async () => {
    const cache = new LocalCache(tempDir());
    await cache.put(key("a"), Buffer.from("first"), meta);
    await cache.put(key("a"), Buffer.from("second"), { ...meta, durationMs: 1 });
    assert.equal((await cache.get(key("a")))?.toString(), "second");
    assert.equal((await cache.meta(key("a")))?.durationMs, 1);
  });

  it("leaves one whole entry and no temp file when two runners put one key at once", async () => {
    const dir = tempDir();
    const one = Buffer.alloc(2 * 1024 * 1024, 1);
    const two = Buffer.alloc(3 * 1024 * 1024, 2);
    for (const digit of ["a", "b", "c", "d", "e"]) {
      await Promise.all([
        new LocalCache(dir).put(key(digit), one, meta),
        new LocalCache(dir).put(key(digit), two, meta),
      ]);
      const got = await new LocalCache(dir).get(key(digit));
      assert.ok(got?.equals(one) === true || got?.equals(two) === true, `${got?.length} bytes`);
    }
    assert.equal(filesUnder(dir).filter((path) => path.endsWith(".tmp")).length, 0);
    assert.equal(filesUnder(dir).length, 10);
  });

  it("refuses a key that is not 16 to 128 lowercase hex digits, touching nothing", async () => {
    const dir = tempDir();
    const cache = new LocalCache(dir);
    const bad: unknown[] = ["", "ABCDEF0123456789", "../../../etc/passwd", "0123456789abcde", 42];
    for (const k of bad) {
      const message = `Expected \`key\` to be 16 to 128 lowercase hex digits, got ${
        typeof k === "string" ? `\`"${k}"\` (string)` : `\`${String(k)}\` (number)`
      }`;
      const calls = [
        () => cache.get(k as string),
        () => cache.meta(k as string),
        () => cache.put(k as string, Buffer.from("x"), meta),
      ];
      for (const call of calls) await assert.rejects(call(), { name: "TypeError", message });
    }
    await assert.rejects(cache.get("f".repeat(129)), { name: "TypeError" });
    assert.deepEqual(readdirSync(dir), []);
  });

  it("rejects a put it cannot finish with the file system's error, leaving no temp file", async () => {
    const dir = tempDir();
    // A directory where the artifact goes: the temp file is written, its rename fails.
    mkdirSync(join(dir, "aa", `${key("a")}.tar.gz`, "occupied"), { recursive: true });
    await assert.rejects(new LocalCache(dir).put(key("a"), Buffer.from("x"), meta), {
      code: "EISDIR",
    });
    assert.deepEqual(readdirSync(join(dir, "aa")), [`${key("a")}.tar.gz`]);
    // A file where the cache directory goes.
    const file = join(tempDir(), "not-a-dir");
    writeFileSync(file, "");
    await assert.rejects(new LocalCache(file).put(key("a"), Buffer.from("x"), meta), {
      code: "ENOTDIR",
    });
  });

  it("gives undefined for meta that is damaged", async () => {
    const dir = tempDir();
    const cache = new LocalCache(dir);
    await cache.put(key("a"), Buffer.from("x"), meta);
    writeFileSync(join(dir, "aa", `${key("a")}.json`), '{"taskId": "build", "dur');
    assert.equal(await cache.meta(key("a")), undefined);
    writeFileSync(join(dir, "aa", `${key("a")}.json`), '{"taskId": 1}');
    assert.equal(await cache.meta(key("a")), undefined);
  });

  it("marks an entry as used now when it is read", async () => {
    const dir = tempDir();
    const cache = new LocalCache(dir);
    await cache.put(key("a"), Buffer.from("x"), meta);
    lastUsed(dir, key("a"), 1_000_000);
    const before = Date.now();
    await cache.get(key("a"));
    const mtime = statSync(join(dir, "aa", `${key("a")}.tar.gz`)).mtimeMs;
    assert.ok(mtime >= before - 1000, `mtime ${mtime}, read at ${before}`);
  });

  it("cleans away the entries last used longer ago than olderThanMs", async () => {
    const dir = tempDir();
    const cache = new LocalCache(dir);
    const now = Date.UTC(2030, 0, 10);
    for (const [digit, age] of [
      ["a", 3 * day],
      ["b", day],
      ["c", 0],
    ] as const) {
      await cache.put(key(digit), Buffer.alloc(100, digit), meta);
      lastUsed(dir, key(digit), now - age);
    }
    const entryBytes = 100 + JSON.stringify(meta).length;
    const result = await cache.clean({ olderThanMs: 2 * day, now });
    assert.deepEqual(result, { removed: 1, freedBytes: entryBytes, keptBytes: 2 * entryBytes });
    assert.equal(await cache.get(key("a")), undefined);
    assert.equal(await cache.meta(key("a")), undefined);
    assert.deepEqual(await cache.get(key("b")), Buffer.alloc(100, "b"));
    assert.equal(await cache.size(), 2 * entryBytes);
  });

  it("cleans away the least recently used entries until the cache fits maxBytes", async () => {
    const dir = tempDir();
    const cache = new LocalCache(dir);
    const start = Date.UTC(2020, 0, 1);
    const digits = ["a", "b", "c", "d"];
    for (const [index, digit] of digits.entries()) {
      await cache.put(key(digit), Buffer.alloc(1000, digit), meta);
      lastUsed(dir, key(digit), start + index * day);
    }
    // Reading "a", the oldest write, makes it the most recently used.
    await cache.get(key("a"));
    const entryBytes = 1000 + JSON.stringify(meta).length;
    const result = await cache.clean({ maxBytes: 2 * entryBytes + 10 });
    assert.deepEqual(result, { removed: 2, freedBytes: 2 * entryBytes, keptBytes: 2 * entryBytes });
    const kept = [];
    for (const digit of digits) if ((await cache.get(key(digit))) !== undefined) kept.push(digit);
    assert.deepEqual(kept, ["a", "d"]);
  });

  it("cleans away temp files left for over an hour and keeps younger ones", async () => {
    const dir = tempDir();
    const cache = new LocalCache(dir);
    const now = Date.UTC(2030, 0, 1);
    mkdirSync(join(dir, "aa"));
    const stray = join(dir, "aa", `${key("a")}.tar.gz.123-abc.tmp`);
    const writing = join(dir, "aa", `${key("a")}.json.456-def.tmp`);
    writeFileSync(stray, "x".repeat(50));
    writeFileSync(writing, "y".repeat(7));
    utimesSync(stray, new Date(now - 61 * 60 * 1000), new Date(now - 61 * 60 * 1000));
    utimesSync(writing, new Date(now - 59 * 60 * 1000), new Date(now - 59 * 60 * 1000));
    assert.equal(await cache.size(), 57);
    assert.deepEqual(await cache.clean({ now }), { removed: 0, freedBytes: 50, keptBytes: 7 });
    assert.equal(existsSync(stray), false);
    assert.equal(existsSync(writing), true);
  });

  it("leaves files that are not the cache's alone", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "README"), "mine");
    mkdirSync(join(dir, "aa"));
    writeFileSync(join(dir, "aa", "notes.txt"), "mine too");
    const cache = new LocalCache(dir);
    assert.equal(await cache.size(), 0);
    assert.deepEqual(await cache.clean({ maxBytes: 0 }), {
      removed: 0,
      freedBytes: 0,
      keptBytes: 0,
    });
    assert.deepEqual(filesUnder(dir), ["README", "aa/notes.txt"]);
  });

  it("is empty, and cleans to nothing, before anything was put", async () => {
    const cache = new LocalCache(join(tempDir(), "not-yet"));
    assert.equal(await cache.size(), 0);
    assert.deepEqual(await cache.clean({ maxBytes: 0, olderThanMs: 0 }), {
      removed: 0,
      freedBytes: 0,
      keptBytes: 0,
    });
  });

  it("refuses clean options that are not integers ≥ 0", async () => {
    const cache = new LocalCache(tempDir());
    await assert.rejects(cache.clean({ maxBytes: -1 }), {
      name: "TypeError",
      message: "Expected `maxBytes` to be an integer ≥ 0, got `-1` (number)",
    });
    await assert.rejects(cache.clean({ olderThanMs: 1.5 }), {
      message: "Expected `olderThanMs` to be an integer ≥ 0, got `1.5` (number)",
    });
  });
});
