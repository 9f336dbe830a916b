import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Header, Pax } from "tar";
import type { EntryTypeName } from "tar/types";
import { decodeTar, encodeTar } from "./tar-codec.js";
import { tempDirs } from "../testing/index.js";

const temp = tempDirs("parex-tar-");
after(temp.removeAll);

interface RawEntry {
  readonly path: string;
  readonly type?: EntryTypeName;
  readonly linkpath?: string;
  readonly data?: string;
  /** The size written in the header; the data's length unless given. */
  readonly size?: number;
  /** A pax header written before the entry, exactly as given. */
  readonly pax?: { readonly path?: string; readonly size?: number };
}

/** A tar of `entries` written header by header with node-tar, exactly as given. */
function craft(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? "");
    const { path, type = "File", linkpath = "" } = entry;
    if (entry.pax !== undefined) parts.push(new Pax(entry.pax).encode());
    const size = entry.size ?? data.length;
    const header = new Header({ path, mode: 0o644, size, type, linkpath });
    header.encode();
    parts.push(header.block!, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Writes `text` into the header at `at`, at `offset`, and sets the checksum to match. */
function patch(tar: Buffer, at: number, offset: number, text: string): Buffer {
  const copy = Buffer.from(tar);
  copy.write(text, at + offset, "latin1");
  copy.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = at; i < at + 512; i++) sum += copy[i]!;
  copy.write(`${sum.toString(8).padStart(6, "0")}\0 `, at + 148, "latin1");
  return copy;
}

/** A pax extended header whose body is `body`, well formed or not. */
function paxHeader(body: string): Buffer {
  const size = Buffer.byteLength(body);
  const header = new Header({ path: "PaxHeader/a.js", mode: 0o644, size, type: "ExtendedHeader" });
  header.encode();
  const padding = Buffer.alloc((512 - (size % 512)) % 512);
  return Buffer.concat([header.block!, Buffer.from(body), padding]);
}

function damaged(what: string): { message: string } {
  return { message: `Cache artifact is damaged: ${what}. Delete it from the cache.` };
}

function refused(path: string, what: string): { message: string } {
  return {
    message: `Refusing cache artifact entry "${path}": it is ${what}, and an artifact holds only files and symlinks.`,
  };
}

const file = (path: string, text: string) =>
  ({ type: "file", path, mode: 0o644, data: Buffer.from(text) }) as const;

describe("the tar codec, given a damaged or foreign archive", () => {
  it("refuses a header whose checksum does not match", async () => {
    const tar = encodeTar([file("a.js", "a"), file("b.js", "b")]);
    for (const at of [0, 1024]) {
      const damagedTar = Buffer.from(tar);
      damagedTar[at] = "c".charCodeAt(0);
      await assert.rejects(decodeTar(damagedTar), {
        message: "TAR_ENTRY_INVALID: checksum failure",
      });
    }
  });

  it("accepts a checksum written as the signed sum of the header, as old tars wrote it", async () => {
    // "ü" in UTF-8, written as a v7 or GNU tar would: in the name field, no pax header.
    const tar = patch(encodeTar([file("u.js", "u")]), 0, 0, "\u00c3\u00bc.js");
    let signed = 0;
    tar.fill(0x20, 148, 156);
    for (let i = 0; i < 512; i++) signed += tar[i]! < 0x80 ? tar[i]! : tar[i]! - 0x100;
    tar.write(`${signed.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    const [entry] = await decodeTar(tar);
    assert.equal(entry?.path, "ü.js");
  });

  it("reads v7 headers, and old GNU ones, whose time fields are no path prefix", async () => {
    const root = temp.make();
    mkdirSync(join(root, "dist"));
    writeFileSync(join(root, "dist/a.js"), "a");
    symlinkSync("a.js", join(root, "dist/link.js"));
    const tar = (format: string) =>
      execFileSync("tar", [
        `--format=${format}`,
        "-cf",
        "-",
        "-C",
        root,
        "dist/a.js",
        "dist/link.js",
      ]);
    const expected = [
      {
        type: "file",
        path: "dist/a.js",
        mode: statSync(join(root, "dist/a.js")).mode & 0o7777,
        data: Buffer.from("a"),
      },
      { type: "symlink", path: "dist/link.js", target: "a.js" },
    ];
    assert.deepEqual(await decodeTar(tar("v7")), expected);
    // Old GNU headers keep the access and change times where ustar has its prefix.
    const gnu = patch(tar("gnu"), 0, 345, "14755650004\0");
    assert.deepEqual(await decodeTar(gnu), expected);
  });

  it("refuses an archive cut short, saying where", async () => {
    const tar = encodeTar([file("a.js", "12345"), file("b.js", "")]);
    await assert.rejects(
      decodeTar(tar.subarray(0, 515)),
      damaged(`the entry "a.js" holds 5 bytes, but the archive ends 3 bytes into them`),
    );
    for (const end of [1024, 1100, 1536, 1600]) {
      await assert.rejects(
        decodeTar(tar.subarray(0, end)),
        damaged(
          `it ends at byte ${end}, before the two zero blocks that close a tar: it was cut short`,
        ),
      );
    }
  });

  it("ends at two zero blocks, or one that ends the bytes, and refuses one amid entries", async () => {
    const tar = encodeTar([file("a.js", "a")]);
    const expected = [file("a.js", "a")];
    assert.deepEqual(await decodeTar(Buffer.concat([tar, Buffer.from("ignored")])), expected);
    assert.deepEqual(await decodeTar(tar.subarray(0, tar.length - 512)), expected);
    const b = encodeTar([file("b.js", "b")]);
    const lone = Buffer.concat([tar.subarray(0, 1024), Buffer.alloc(512), b]);
    await assert.rejects(
      decodeTar(lone),
      damaged("a lone zero block at byte 1024 is followed by more headers"),
    );
  });

  it("refuses a size or mode field that is not octal", async () => {
    const tar = encodeTar([file("a.js", "a")]);
    await assert.rejects(
      decodeTar(patch(tar, 0, 124, "0000000001x\0")),
      damaged(`the size field of the entry "a.js" is "0000000001x", not octal`),
    );
    await assert.rejects(
      decodeTar(patch(tar, 0, 100, "-000644\0")),
      damaged(`the mode field of the file "a.js" is not octal`),
    );
  });

  it("refuses each entry type but files and symlinks, by node-tar's name for it", async () => {
    const types = [
      ...["Link", "CharacterDevice", "BlockDevice", "Directory", "FIFO", "ContiguousFile"],
      ...["GNUDumpDir", "SparseFile", "SolarisACL", "Inode", "ContinuationFile"],
      "TapeVolumeHeader",
    ] as const;
    for (const type of types) {
      const linkpath = type === "Link" ? "/etc/passwd" : "";
      await assert.rejects(
        decodeTar(craft([{ path: "x", type, linkpath }])),
        refused("x", `a ${type}`),
      );
    }
    await assert.rejects(
      decodeTar(craft([{ path: "old-dir/" }])),
      refused("old-dir/", "a Directory"),
    );
    const unknown = patch(craft([{ path: "x" }]), 0, 156, "Q");
    await assert.rejects(decodeTar(unknown), refused("x", `of the unknown type "Q"`));
  });

  it("refuses the directories, hard links and FIFOs GNU tar writes", async () => {
    const root = temp.make();
    mkdirSync(join(root, "dir"));
    writeFileSync(join(root, "one"), "1");
    linkSync(join(root, "one"), join(root, "two"));
    execFileSync("mkfifo", [join(root, "fifo")]);
    const tar = (...paths: string[]) =>
      execFileSync("tar", ["--format=gnu", "-cf", "-", "-C", root, ...paths]);
    await assert.rejects(decodeTar(tar("dir")), refused("dir/", "a Directory"));
    await assert.rejects(decodeTar(tar("one", "two")), refused("two", "a Link"));
    await assert.rejects(decodeTar(tar("fifo")), refused("fifo", "a FIFO"));
  });

  it("applies a pax header to the next entry only, and refuses one that extends nothing", async () => {
    const tar = craft([
      { path: "ignored", size: 0, data: "abc", pax: { path: "from-pax.js", size: 3 } },
      { path: "plain.js", data: "p" },
    ]);
    assert.deepEqual(await decodeTar(tar), [file("from-pax.js", "abc"), file("plain.js", "p")]);
    const dangling = Buffer.concat([new Pax({ path: "nothing" }).encode(), Buffer.alloc(1024)]);
    await assert.rejects(decodeTar(dangling), damaged("its last header extends no entry"));
  });

  it("reads past a global pax header, but refuses one that sets a path", async () => {
    const comment = new Pax({ comment: "made by hand" }, true).encode();
    const tar = craft([{ path: "a.js", data: "a" }]);
    assert.deepEqual(await decodeTar(Buffer.concat([comment, tar])), [file("a.js", "a")]);
    const global = new Pax({ path: "everything" }, true).encode();
    await assert.rejects(
      decodeTar(Buffer.concat([global, tar])),
      damaged("the global pax header at byte 0 sets path, which tar readers apply differently"),
    );
  });

  it("refuses a malformed pax header, and a pax size that is not a number", async () => {
    const tar = craft([{ path: "a.js", data: "a" }]);
    await assert.rejects(
      decodeTar(Buffer.concat([paxHeader("99 path=a.js\n"), tar])),
      damaged("the pax header at byte 0 is malformed"),
    );
    await assert.rejects(
      decodeTar(Buffer.concat([paxHeader("11 size=-1\n"), tar])),
      damaged(`the pax header at byte 0 gives the size "-1"`),
    );
  });

  it("refuses to write an entry of 8 GiB or more rather than writing a wrong size", () => {
    // Node 20 cannot allocate such a buffer: one that says it is that long stands in for it.
    const data = Object.defineProperty(Buffer.alloc(0), "length", { value: 8 * 1024 ** 3 });
    assert.throws(() => encodeTar([{ type: "file", path: "huge.bin", mode: 0o644, data }]), {
      message: `Cannot store "huge.bin" in a cache artifact: it is 8589934592 bytes, and a tar entry holds less than 8 GiB.`,
    });
  });
});
