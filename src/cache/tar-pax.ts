// The body of a pax extended header (POSIX.1-2001): records `"<length> <key>=<value>\n"`, each
// length counting the record's own bytes, its digits included.

/** The pax records for `values`, in the order given, as one body. */
export function paxBody(values: ReadonlyMap<string, string>): Buffer {
  let body = "";
  for (const [key, value] of values) body += paxRecord(key, value);
  return Buffer.from(body, "utf8");
}

function paxRecord(key: string, value: string): string {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  // The length's digits count in the length: 98 bytes of text need a length of 101, not 100.
  let length = rest + 1;
  while (length !== rest + String(length).length) length = rest + String(length).length;
  return `${length} ${key}=${value}\n`;
}

/**
 * The records of a pax body, by key (a later record wins over an earlier one with the same key),
 * each value up to its first NUL, as C-string readers take it; undefined when a record is
 * malformed. NULs after the last record are padding.
 */
export function parsePax(body: Buffer): Map<string, string> | undefined {
  const records = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const space = body.indexOf(0x20, at);
    const length = space === -1 ? "" : body.toString("latin1", at, space);
    if (!/^[1-9][0-9]{0,15}$/.test(length)) return undefined;
    const end = at + Number(length);
    if (end > body.length || end <= space + 1 || body[end - 1] !== 0x0a) return undefined;
    const record = body.toString("utf8", space + 1, end - 1);
    const equals = record.indexOf("=");
    if (equals <= 0) return undefined;
    records.set(record.slice(0, equals), record.slice(equals + 1).replace(/\0.*$/s, ""));
    at = end;
  }
  return records;
}
