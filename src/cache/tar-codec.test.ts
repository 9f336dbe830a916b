import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { create, Header, Parser } from "tar";
import type { ReadEntry } from "tar";
import { decodeTar, encodeTar } from "./tar-codec.js";
import type { ArtifactEntry } from "./tar-codec.js";
import { tempDirs } from "../testing/index.js";

const temp = tempDirs("parex-tar-");
after(temp.removeAll);
const tempDir = temp.make;

/** 150 bytes: ustar holds it as a prefix and a name. */
const splitPath = `lib/${"a".repeat(60)}/${"b".repeat(80)}.js`;
/** 306 bytes: more than ustar's prefix and name hold, so it goes in a pax header. */
const longPath = `dist/${"nested/".repeat(42)}leaf.js`;
const longTarget = `../${"up/".repeat(40)}target.js`;

/** Entries covering what ustar holds and what needs a pax header. */
const entries: ArtifactEntry[] = [
  { type: "file", path: "bin/cli.js", mode: 0o755, data: Buffer.from("#!/usr/bin/env node\n") },
  { type: "file", path: "dist/empty.txt", mode: 0o644, data: Buffer.alloc(0) },
  { type: "file", path: "dist/secret", mode: 0o600, data: Buffer.from([0, 255, 1, 254]) },
  { type: "file", path: "dist/block.bin", mode: 0o644, data: Buffer.alloc(512, 7) },
  { type: "file", path: splitPath, mode: 0o644, data: Buffer.from("split") },
  { type: "file", path: longPath, mode: 0o644, data: Buffer.from("long") },
  { type: "file", path: "dist/ünïcödé/日本語.js", mode: 0o644, data: Buffer.from("名前\n") },
  { type: "symlink", path: "dist/main.js", target: "cli.js" },
  { type: "symlink", path: "dist/far", target: longTarget },
  { type: "symlink", path: "dist/名前", target: "/usr/lib/ünï" },
];

/** Writes `entries` under `root` as files (with their modes) and symlinks. */
function materialise(root: string, list: readonly ArtifactEntry[]): void {
  for (const entry of list) {
    const path = join(root, entry.path);
    mkdirSync(dirname(path), { recursive: true });
    if (entry.type === "symlink") symlinkSync(entry.target, path);
    else {
      writeFileSync(path, entry.data);
      chmodSync(path, entry.mode);
    }
  }
}

/** The archive GNU tar writes of `paths` under `root`, in the given format. */
function gnuTar(root: string, format: "gnu" | "pax", paths: readonly string[]): Buffer {
  return execFileSync("tar", [`--format=${format}`, "-cf", "-", "-C", root, "--", ...paths], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** What node-tar's strict Parser reads from `tar`, as artifact entries. */
function nodeTarRead(tar: Buffer): Promise<ArtifactEntry[]> {
  return new Promise((resolve, reject) => {
    const read: ArtifactEntry[] = [];
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const chunks: Buffer[] = [];
        entry.on("data", (chunk: Buffer) => chunks.push(chunk));
        entry.on("end", () => {
          const { path, linkpath = "", mode = 0 } = entry;
          if (entry.type === "SymbolicLink") read.push({ type: "symlink", path, target: linkpath });
          else read.push({ type: "file", path, mode, data: Buffer.concat(chunks) });
        });
      },
    });
    parser.on("error", reject);
    parser.on("end", () => resolve(read));
    parser.end(tar);
  });
}

describe("the tar codec", () => {
  it("reads back what it writes: modes, empty files, symlinks, long and non-ASCII paths", async () => {
    assert.deepEqual(await decodeTar(encodeTar(entries)), entries);
    assert.deepEqual(await decodeTar(encodeTar([])), []);
  });

  it("writes equal bytes for equal entries: no owner, no times, modes beyond 0o7777 dropped", () => {
    const widened = entries.map((e) => (e.type === "file" ? { ...e, mode: e.mode | 0o100000 } : e));
    assert.ok(encodeTar(entries).equals(encodeTar(widened)));
    const header = new Header(encodeTar(entries.slice(0, 1)));
    assert.deepEqual(
      [header.uid, header.gid, header.mtime?.getTime(), header.uname, header.gname],
      [0, 0, 0, "", ""],
    );
  });

  it("writes a pax header only before a path or link target that ustar cannot hold", () => {
    const tar = encodeTar(entries);
    const flags: string[] = [];
    for (let at = 0; at < tar.length - 1024;) {
      const header = new Header(tar, at);
      flags.push(header.typeKey);
      at += 512 + Math.ceil((header.size ?? 0) / 512) * 512;
    }
    assert.deepEqual(flags, [
      ...["0", "0", "0", "0", "0"],
      ...["x", "0", "x", "0"],
      ...["2", "x", "2", "x", "2"],
    ]);
  });

  it("writes what node-tar reads as written", async () => {
    assert.deepEqual(await nodeTarRead(encodeTar(entries)), entries);
  });

  it("writes what GNU tar lists and extracts as written", () => {
    const tar = encodeTar(entries);
    const listing = execFileSync("tar", ["-tvf", "-", "--numeric-owner"], {
      input: tar,
      env: { ...process.env, TZ: "UTC", LC_ALL: "C.UTF-8" },
      encoding: "utf8",
    });
    assert.equal(
      listing.split("\n")[0],
      "-rwxr-xr-x 0/0              20 1970-01-01 00:00 bin/cli.js",
    );
    const root = tempDir();
    execFileSync("tar", ["-xpf", "-", "-C", root], { input: tar });
    for (const entry of entries) {
      const path = join(root, entry.path);
      if (entry.type === "symlink") {
        assert.equal(readlinkSync(path), entry.target, entry.path);
      } else {
        assert.deepEqual(readFileSync(path), entry.data, entry.path);
        assert.equal(lstatSync(path).mode & 0o7777, entry.mode, entry.path);
      }
    }
  });

  for (const format of ["gnu", "pax"] as const) {
    it(`reads what GNU tar writes in its ${format} format`, async () => {
      const root = tempDir();
      materialise(root, entries);
      const tar = gnuTar(
        root,
        format,
        entries.map((entry) => entry.path),
      );
      assert.deepEqual(await decodeTar(tar), entries);
    });
  }

  it("reads what node-tar writes", async () => {
    const root = tempDir();
    materialise(root, entries);
    const file = join(tempDir(), "node-tar.tar");
    create(
      { cwd: root, file, sync: true, portable: true },
      entries.map((entry) => entry.path),
    );
    assert.deepEqual(await decodeTar(readFileSync(file)), entries);
  });

  it("reads back any files and symlinks it writes, byte for byte", async () => {
    const segment = fc.oneof(
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
    );
    const path = fc
      .array(segment, { minLength: 1, maxLength: 8 })
      .map((segments) => segments.join("/"))
      .filter((text) => !text.includes("\0") && !text.endsWith("/"));
    const target = fc.string({ unit: "grapheme", minLength: 1, maxLength: 300 });
    // fc.record makes objects without a prototype: spread them into plain ones to compare.
    const entry: fc.Arbitrary<ArtifactEntry> = fc.oneof(
      fc
        .record({
          type: fc.constant("file" as const),
          path,
          mode: fc.integer({ min: 0, max: 0o7777 }),
          data: fc.uint8Array({ maxLength: 1500 }).map((bytes) => Buffer.from(bytes)),
        })
        .map((file) => ({ ...file })),
      fc
        .record({
          type: fc.constant("symlink" as const),
          path,
          target: target.filter((text) => !text.includes("\0")),
        })
        .map((link) => ({ ...link })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 6 }), async (list) => {
        const tar = encodeTar(list);
        assert.deepEqual(await decodeTar(tar), list);
        assert.ok(encodeTar(await decodeTar(tar)).equals(tar));
      }),
    );
  });
});
