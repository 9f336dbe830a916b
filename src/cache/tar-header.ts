// One 512-byte tar header block: its ustar layout (POSIX.1-1988, as extended by pax), written
// for the entries parex stores and read as ustar, old-GNU and v7 writers lay it out.

/** The size of a tar block: headers take one, data is padded to a whole number of them. */
export const blockSize = 512;

/** Field offsets and widths, in bytes, of the ustar header. */
const field = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  checksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 8],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

/** The magic and version of a POSIX ustar header; old GNU headers have `ustar  \0` instead. */
const ustarMagic = "ustar\u000000";

/** What a header block says, as written: extensions (pax, GNU long names) are not applied. */
export interface TarHeader {
  /** The type flag: `"0"` a file, `"2"` a symlink, `"x"` a pax header...; `""` for a NUL flag. */
  readonly typeflag: string;
  /** The name, joined to the ustar prefix when the block has one. */
  readonly path: string;
  readonly linkpath: string;
  /** The permission bits, or undefined when the field is not an octal number. */
  readonly mode: number | undefined;
  /** The data's size in bytes, or undefined when the field is not an octal number. */
  readonly size: number | undefined;
  /** The size field as written (up to a NUL), for messages about it. */
  readonly sizeField: string;
}

/** What {@link writeHeader} writes: no owner, no times, so equal fields give equal bytes. */
export interface HeaderFields {
  readonly typeflag: string;
  readonly path: string;
  readonly linkpath: string;
  readonly mode: number;
  readonly size: number;
}

/** The largest size the 12-byte size field holds in octal: 8 GiB - 1. */
export const maxEntrySize = 8 ** 11 - 1;

/**
 * A ustar header block for `fields`. A path that {@link splitPath} cannot split and a link
 * target over 100 bytes are cut short: the caller writes a pax header with them whole first.
 */
export function writeHeader(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(blockSize);
  const { name, prefix } = splitPath(fields.path) ?? { name: fields.path, prefix: "" };
  writeString(block, field.name, name);
  writeOctal(block, field.mode, fields.mode);
  writeOctal(block, field.uid, 0);
  writeOctal(block, field.gid, 0);
  writeOctal(block, field.size, fields.size);
  writeOctal(block, field.mtime, 0);
  writeString(block, field.typeflag, fields.typeflag);
  writeString(block, field.linkname, fields.linkpath);
  block.write(ustarMagic, field.magic[0], "latin1");
  writeOctal(block, field.devmajor, 0);
  writeOctal(block, field.devminor, 0);
  writeString(block, field.prefix, prefix);
  const checksum = checksums(block).unsigned.toString(8).padStart(6, "0");
  block.write(`${checksum}\u0000 `, field.checksum[0], "latin1");
  return block;
}

/**
 * The ustar name and prefix that hold `path` (the name up to 100 bytes, the prefix up to 155,
 * split at a `/`), or undefined when it is not ASCII or no split fits: it then needs a pax header.
 */
export function splitPath(path: string): { name: string; prefix: string } | undefined {
  if (!isAscii(path)) return undefined;
  if (path.length <= field.name[1]) return { name: path, prefix: "" };
  const shortest = path.length - field.name[1] - 1;
  for (let cut = path.indexOf("/", shortest); cut !== -1; cut = path.indexOf("/", cut + 1)) {
    if (cut > field.prefix[1]) return undefined;
    if (cut > 0 && cut < path.length - 1) {
      return { name: path.slice(cut + 1), prefix: path.slice(0, cut) };
    }
  }
  return undefined;
}

/** Whether the ustar linkname field holds `linkpath` whole. */
export function fitsLinkname(linkpath: string): boolean {
  return isAscii(linkpath) && linkpath.length <= field.linkname[1];
}

function isAscii(text: string): boolean {
  // Each character above U+007F takes more than one byte in UTF-8.
  return Buffer.byteLength(text) === text.length;
}

function writeString(block: Buffer, [offset, width]: readonly [number, number], text: string) {
  block.write(text, offset, width, "utf8");
}

/** Writes `value` as zero-padded octal ending in NUL, which every tar reader takes. */
function writeOctal(block: Buffer, [offset, width]: readonly [number, number], value: number) {
  const digits = value.toString(8).padStart(width - 1, "0");
  if (!Number.isSafeInteger(value) || value < 0 || digits.length >= width) {
    throw new RangeError(`Cannot write ${value} into a tar header field of ${width} bytes`);
  }
  block.write(`${digits}\u0000`, offset, "latin1");
}

/** Whether the block at `offset` is all zeros: two of them end an archive. */
export function isZeroBlock(tar: Buffer, offset: number): boolean {
  for (let i = offset; i < offset + blockSize; i++) if (tar[i] !== 0) return false;
  return true;
}

/**
 * Whether the checksum field of the block at `offset` matches its bytes, summed unsigned (as
 * POSIX says) or signed (as some old writers did).
 */
export function checksumMatches(tar: Buffer, offset: number): boolean {
  const block = tar.subarray(offset, offset + blockSize);
  const written = readOctal(block, field.checksum);
  const { unsigned, signed } = checksums(block);
  return written === unsigned || written === signed;
}

/** The sums of a block's bytes, its checksum field counted as eight spaces. */
function checksums(block: Buffer): { unsigned: number; signed: number } {
  const [start, width] = field.checksum;
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < blockSize; i++) {
    if (i >= start && i < start + width) continue;
    const byte = block[i] ?? 0;
    unsigned += byte;
    signed += byte < 0x80 ? byte : byte - 0x100;
  }
  return { unsigned, signed };
}

/** Reads the header block at `offset` (whose checksum the caller has verified). */
export function readHeader(tar: Buffer, offset: number): TarHeader {
  const block = tar.subarray(offset, offset + blockSize);
  const name = readString(block, field.name);
  const prefix = isUstar(block) ? readString(block, field.prefix) : "";
  return {
    typeflag: readString(block, field.typeflag),
    path: prefix === "" ? name : `${prefix}/${name}`,
    linkpath: readString(block, field.linkname),
    mode: readOctal(block, field.mode),
    size: readOctal(block, field.size),
    sizeField: fieldText(block, field.size),
  };
}

/** Whether the block is POSIX ustar: old GNU headers use the prefix field for other things. */
function isUstar(block: Buffer): boolean {
  return block.toString("latin1", field.magic[0], field.magic[0] + field.magic[1]) === ustarMagic;
}

/** A string field: its bytes up to the first NUL, as UTF-8. */
function readString(block: Buffer, [offset, width]: readonly [number, number]): string {
  const end = block.indexOf(0, offset);
  return block.toString("utf8", offset, end === -1 || end > offset + width ? offset + width : end);
}

/** An octal field (digits, padded with spaces or ended by NUL), or undefined when it is not one. */
function readOctal(block: Buffer, span: readonly [number, number]): number | undefined {
  const digits = fieldText(block, span).trim();
  return /^[0-7]+$/.test(digits) ? parseInt(digits, 8) : undefined;
}

/** A field's bytes up to the first NUL, one character a byte. */
function fieldText(block: Buffer, [offset, width]: readonly [number, number]): string {
  return block.toString("latin1", offset, offset + width).replace(/\0.*$/s, "");
}
