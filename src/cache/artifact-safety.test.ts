import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { Header, Pax } from "tar";
import type { EntryTypeName } from "tar/types";
import { unpackArtifact } from "./artifact.js";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding `pkg/`, the root restored into, and `outside/`, beside it. */
function workspace(): { root: string; outside: string } {
  const dir = mkdtempSync(join(tmpdir(), "parex-artifact-safety-"));
  dirs.push(dir);
  const root = join(dir, "pkg");
  const outside = join(dir, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  return { root, outside };
}

interface RawEntry {
  readonly path: string;
  readonly type?: EntryTypeName;
  readonly linkpath?: string;
  readonly data?: string;
}

/**
 * A gzip-compressed tar of `entries` exactly as given, written header by header (no sanitising),
 * ending with a valid log entry so that only the crafted entries can be refused.
 */
async function craft(entries: readonly RawEntry[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  const withLog: RawEntry[] = [...entries, { path: ".parex-cache/log.jsonl", data: "log" }];
  for (const entry of withLog) {
    const data = Buffer.from(entry.data ?? "");
    const { type = "File", linkpath = "" } = entry;
    const header = new Header({ path: entry.path, mode: 0o644, size: data.length, type, linkpath });
    if (header.encode()) parts.push(new Pax({ path: entry.path, linkpath }).encode());
    parts.push(header.block!, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return promisify(gzip)(Buffer.concat(parts));
}

function refusal(path: string, why: string): { message: string } {
  return {
    message: `Refusing cache artifact entry "${path}": ${why}. The artifact is damaged or was crafted; delete it from the cache.`,
  };
}

describe("restoring a crafted artifact", () => {
  it("refuses an entry that climbs out with .., before writing anything", async () => {
    const { root, outside } = workspace();
    for (const path of ["../outside/escaped.txt", "dist/../../outside/escaped.txt"]) {
      const artifact = await craft([
        { path: "a.js", data: "a" },
        { path, data: "evil" },
      ]);
      await assert.rejects(
        unpackArtifact(artifact, root, ["**"]),
        refusal(path, "its path contains '..'"),
      );
    }
    assert.deepEqual(readdirSync(outside), []);
    assert.deepEqual(readdirSync(root), []);
  });

  it("refuses an absolute entry", async () => {
    const { root, outside } = workspace();
    const path = join(outside, "absolute.txt");
    await assert.rejects(
      unpackArtifact(await craft([{ path, data: "evil" }]), root, ["**"]),
      refusal(path, "its path is absolute"),
    );
    assert.deepEqual(readdirSync(outside), []);
    assert.deepEqual(readdirSync(root), []);
  });

  it("refuses an entry beneath a symlink the artifact itself makes", async () => {
    const { root, outside } = workspace();
    const artifact = await craft([
      { path: "link", type: "SymbolicLink", linkpath: outside },
      { path: "link/evil.txt", data: "evil" },
    ]);
    await assert.rejects(
      unpackArtifact(artifact, root, ["**"]),
      refusal("link/evil.txt", 'it would be written through the symlink "link"'),
    );
    assert.deepEqual(readdirSync(outside), []);
    assert.deepEqual(readdirSync(root), []);
  });

  it("refuses an entry beneath a symlink on disk that leads outside the root, or nowhere", async () => {
    const { root, outside } = workspace();
    symlinkSync(outside, join(root, "dist"));
    symlinkSync("does-not-exist", join(root, "lib"));
    for (const [path, link] of [
      ["dist/evil.js", "dist"],
      ["lib/evil.js", "lib"],
    ] as const) {
      await assert.rejects(
        unpackArtifact(await craft([{ path, data: "evil" }]), root, ["**"]),
        refusal(
          path,
          `it would be written through the symlink "${link}", which does not lead to a directory inside ${root}`,
        ),
      );
    }
    assert.deepEqual(readdirSync(outside), []);
    assert.equal(existsSync(join(root, "does-not-exist")), false);
  });

  it("writes through a symlink on disk that leads to a directory inside the root", async () => {
    const { root } = workspace();
    mkdirSync(join(root, "build"));
    symlinkSync("build", join(root, "out"));
    await unpackArtifact(await craft([{ path: "out/a.js", data: "a" }]), root, ["out/**"]);
    assert.equal(readFileSync(join(root, "build/a.js"), "utf8"), "a");
  });

  it("refuses hard links and directories: an artifact holds only files and symlinks", async () => {
    const { root } = workspace();
    for (const [path, type] of [
      ["passwd", "Link"],
      ["dir", "Directory"],
    ] as const) {
      const artifact = await craft([
        { path, type, linkpath: type === "Link" ? "/etc/passwd" : "" },
      ]);
      await assert.rejects(unpackArtifact(artifact, root, ["**"]), {
        message: `Refusing cache artifact entry "${path}": it is a ${type}, and an artifact holds only files and symlinks.`,
      });
    }
    assert.deepEqual(readdirSync(root), []);
  });

  it("refuses a path given twice, and a path in the reserved folder", async () => {
    const { root } = workspace();
    const twice = await craft([
      { path: "a.js", data: "one" },
      { path: "a.js", type: "SymbolicLink", linkpath: "/etc/passwd" },
    ]);
    await assert.rejects(unpackArtifact(twice, root, ["**"]), refusal("a.js", "it appears twice"));
    const reserved = await craft([{ path: ".parex-cache/run.sh", data: "evil" }]);
    await assert.rejects(
      unpackArtifact(reserved, root, ["**"]),
      refusal(".parex-cache/run.sh", "its path is reserved for parex"),
    );
    assert.deepEqual(readdirSync(root), []);
  });

  it("refuses an archive whose header is damaged", async () => {
    const { root } = workspace();
    const tar = Buffer.concat([
      new Header({ path: "a.js", mode: 0o644, size: 0, type: "File" }).block ?? Buffer.alloc(0),
    ]);
    assert.equal(tar.length, 0, "Header builds its block on encode()");
    const header = new Header({ path: "a.js", mode: 0o644, size: 0, type: "File" });
    header.encode();
    const damaged = Buffer.concat([header.block!, Buffer.alloc(1024)]);
    damaged[0] = "b".charCodeAt(0);
    await assert.rejects(unpackArtifact(await promisify(gzip)(damaged), root, ["**"]), {
      message: "TAR_ENTRY_INVALID: checksum failure",
    });
    assert.deepEqual(readdirSync(root), []);
  });
});
