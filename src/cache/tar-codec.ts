import {
  blockSize,
  checksumMatches,
  fitsLinkname,
  isZeroBlock,
  maxEntrySize,
  readHeader,
  splitPath,
  writeHeader,
} from "./tar-header.js";
import type { TarHeader } from "./tar-header.js";
import { paxBody, parsePax } from "./tar-pax.js";

/** One entry of an artifact: a file with its bytes and mode, or a symlink with its target text. */
export type ArtifactEntry =
  | { readonly type: "file"; readonly path: string; readonly mode: number; readonly data: Buffer }
  | { readonly type: "symlink"; readonly path: string; readonly target: string };

/** The mode written for every symlink (the mode of a symlink means nothing on Linux or macOS). */
const symlinkMode = 0o777;

/**
 * A tar archive (ustar, with pax headers for long or non-ASCII names) of `entries` in the order
 * given. Only the path, mode, size, type and link target are written: no owner, no times, so
 * equal entries always give equal bytes.
 */
export function encodeTar(entries: readonly ArtifactEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === "file" ? entry.data : Buffer.alloc(0);
    if (data.length > maxEntrySize) {
      throw new Error(
        `Cannot store "${entry.path}" in a cache artifact: it is ${data.length} bytes, and a tar entry holds less than 8 GiB.`,
      );
    }
    const linkpath = entry.type === "symlink" ? entry.target : "";
    const pax = paxValues(entry.path, linkpath);
    if (pax.size > 0) {
      const body = paxBody(pax);
      parts.push(...withPadding(paxHeader(entry.path, body.length), body));
    }
    const header = writeHeader({
      typeflag: entry.type === "file" ? "0" : "2",
      path: entry.path,
      linkpath,
      mode: entry.type === "file" ? entry.mode & 0o7777 : symlinkMode,
      size: data.length,
    });
    parts.push(...withPadding(header, data));
  }
  parts.push(Buffer.alloc(2 * blockSize));
  return Buffer.concat(parts);
}

/** The path and link target that the ustar header cannot hold whole, for a pax header. */
function paxValues(path: string, linkpath: string): Map<string, string> {
  const values = new Map<string, string>();
  if (splitPath(path) === undefined) values.set("path", path);
  if (!fitsLinkname(linkpath)) values.set("linkpath", linkpath);
  return values;
}

/** The header of a pax extended header, named after the entry it extends (in ASCII). */
function paxHeader(path: string, size: number): Buffer {
  const base = path.slice(path.lastIndexOf("/") + 1).replace(/[^\x20-\x7e]/g, "_");
  const name = `PaxHeader/${base}`.slice(0, 100);
  return writeHeader({ typeflag: "x", path: name, linkpath: "", mode: 0o644, size });
}

function withPadding(header: Buffer, data: Buffer): Buffer[] {
  return [header, data, Buffer.alloc((blockSize - (data.length % blockSize)) % blockSize)];
}

/** What pax `x` headers and GNU long names (`L`, `K`) say about the next entry. */
interface Pending {
  readonly path?: string;
  readonly linkpath?: string;
  readonly size?: number;
}

/** node-tar's names of the entry types an artifact refuses, which messages have always used. */
const refusedTypes: ReadonlyMap<string, string> = new Map([
  ["1", "Link"],
  ["3", "CharacterDevice"],
  ["4", "BlockDevice"],
  ["5", "Directory"],
  ["6", "FIFO"],
  ["7", "ContiguousFile"],
  ["A", "SolarisACL"],
  ["D", "GNUDumpDir"],
  ["I", "Inode"],
  ["M", "ContinuationFile"],
  ["S", "SparseFile"],
  ["V", "TapeVolumeHeader"],
]);

/** The largest pax header or GNU long name read; node-tar skips larger ones, so they are refused. */
const maxExtensionSize = 1024 * 1024;

/**
 * The entries of a tar archive, in its order, with their paths and link targets exactly as
 * written: nothing is stripped or normalised here, so the caller judges what it would write.
 * Rejects a damaged archive (a bad checksum, a truncated entry) and any entry that is neither a
 * file nor a symlink, naming it. Reads synchronously: the promise is settled when returned.
 */
export function decodeTar(tar: Buffer): Promise<ArtifactEntry[]> {
  return new Promise((resolve) => {
    resolve(readTar(tar));
  });
}

function readTar(tar: Buffer): ArtifactEntry[] {
  const entries: ArtifactEntry[] = [];
  let pending: Pending = {};
  let at = 0;
  while (!endsAt(tar, at)) {
    const { header, data, next } = readBlock(tar, at, pending);
    if (isExtension(header.typeflag)) {
      pending = extend(pending, header, data, at);
    } else {
      entries.push(toEntry(header, pending, data, at));
      pending = {};
    }
    at = next;
  }
  if (Object.keys(pending).length > 0) throw damaged("its last header extends no entry");
  return entries;
}

/**
 * The header at byte `at`, its checksum verified, with its data (an entry's sized by `pending`
 * when a pax header gave the size) and the offset of the next header.
 */
function readBlock(tar: Buffer, at: number, pending: Pending) {
  if (!checksumMatches(tar, at)) {
    throw Object.assign(new Error("TAR_ENTRY_INVALID: checksum failure"), {
      code: "TAR_ENTRY_INVALID",
    });
  }
  const header = readHeader(tar, at);
  const extension = isExtension(header.typeflag);
  const what = extension ? `header at byte ${at}` : `entry "${pending.path ?? header.path}"`;
  const size = extension ? header.size : (pending.size ?? header.size);
  if (size === undefined) {
    throw damaged(
      `the size field of the ${what} is ${JSON.stringify(header.sizeField)}, not octal`,
    );
  }
  if (extension && size > maxExtensionSize) {
    throw damaged(`the ${what} holds ${size} bytes, more than the 1 MiB a tar reader takes`);
  }
  const start = at + blockSize;
  if (start + size > tar.length) {
    const read = tar.length - start;
    throw damaged(`the ${what} holds ${size} bytes, but the archive ends ${read} bytes into them`);
  }
  const next = start + size + ((blockSize - (size % blockSize)) % blockSize);
  return { header, data: tar.subarray(start, start + size), next };
}

/**
 * Whether the archive ends at `at`: at two zero blocks, or at one that ends the bytes (which GNU
 * tar and node-tar both accept). A zero block followed by more headers is refused, as readers
 * disagree on it: GNU tar stops there, node-tar reads on.
 */
function endsAt(tar: Buffer, at: number): boolean {
  const cutShort = () =>
    damaged(
      `it ends at byte ${tar.length}, before the two zero blocks that close a tar: it was cut short`,
    );
  if (at + blockSize > tar.length) throw cutShort();
  if (!isZeroBlock(tar, at)) return false;
  const next = at + blockSize;
  if (next === tar.length) return true;
  if (next + blockSize > tar.length) throw cutShort();
  if (isZeroBlock(tar, next)) return true;
  throw damaged(`a lone zero block at byte ${at} is followed by more headers`);
}

function isExtension(typeflag: string): boolean {
  return ["x", "X", "g", "L", "N", "K"].includes(typeflag);
}

/** What the extension header `header`, at byte `at`, with its `data`, adds to `pending`. */
function extend(pending: Pending, header: TarHeader, data: Buffer, at: number): Pending {
  switch (header.typeflag) {
    case "L":
    case "N":
      return { ...pending, path: cString(data) };
    case "K":
      return { ...pending, linkpath: cString(data) };
    case "g":
      globalPax(data, at);
      return pending;
    default:
      return { ...pending, ...localPax(data, at) };
  }
}

function cString(data: Buffer): string {
  const end = data.indexOf(0);
  return data.toString("utf8", 0, end === -1 ? data.length : end);
}

function localPax(data: Buffer, at: number): Pending {
  const records = parsePax(data);
  if (records === undefined) throw damaged(`the pax header at byte ${at} is malformed`);
  const path = records.get("path");
  const linkpath = records.get("linkpath");
  const size = records.get("size");
  if (size !== undefined && !(/^[0-9]+$/.test(size) && Number.isSafeInteger(Number(size)))) {
    throw damaged(`the pax header at byte ${at} gives the size ${JSON.stringify(size)}`);
  }
  return {
    ...(path === undefined ? {} : { path }),
    ...(linkpath === undefined ? {} : { linkpath }),
    ...(size === undefined ? {} : { size: Number(size) }),
  };
}

/** Reads a global pax header, refusing one that sets a field readers apply differently. */
function globalPax(data: Buffer, at: number): void {
  const records = parsePax(data);
  if (records === undefined) throw damaged(`the global pax header at byte ${at} is malformed`);
  const key = ["path", "linkpath", "size"].find((name) => records.has(name));
  if (key !== undefined) {
    throw damaged(
      `the global pax header at byte ${at} sets ${key}, which tar readers apply differently`,
    );
  }
}

/** The file or symlink that `header`, extended by `pending`, describes; any other type is refused. */
function toEntry(header: TarHeader, pending: Pending, data: Buffer, at: number): ArtifactEntry {
  const path = pending.path ?? header.path;
  const linkpath = pending.linkpath ?? header.linkpath;
  if (path === "") throw damaged(`the entry at byte ${at} has no path`);
  // Old tars wrote a directory as a file whose name ends in a slash.
  const type = header.typeflag === "" || header.typeflag === "0" ? "0" : header.typeflag;
  if (type === "0" && path.endsWith("/")) throw refused(path, "5");
  if (type === "2") {
    if (linkpath === "") throw damaged(`the symlink "${path}" has no target`);
    return { type: "symlink", path, target: linkpath };
  }
  if (type !== "0") throw refused(path, type);
  if (linkpath !== "") throw damaged(`the file "${path}" has a link target, which only links have`);
  if (header.mode === undefined) throw damaged(`the mode field of the file "${path}" is not octal`);
  return { type: "file", path, mode: header.mode & 0o7777, data };
}

function refused(path: string, typeflag: string): Error {
  const name = refusedTypes.get(typeflag);
  const what = name === undefined ? `of the unknown type ${JSON.stringify(typeflag)}` : `a ${name}`;
  return new Error(
    `Refusing cache artifact entry "${path}": it is ${what}, and an artifact holds only files and symlinks.`,
  );
}

function damaged(what: string): Error {
  return new Error(`Cache artifact is damaged: ${what}. Delete it from the cache.`);
}
