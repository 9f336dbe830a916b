// What gzip's level costs and saves on a tar of outputs: `node scripts/gzip-levels.mjs FILE.tar`.
// Prints, for levels 1, 6 (zlib's default, what the cache uses) and 9, the compressed size and
// the median of 5 compressions. Used for the figure in docs/cache.md.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const tar = readFileSync(process.argv[2]);
for (const level of [1, 6, 9]) {
  const times = [];
  let size = 0;
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    size = gzipSync(tar, { level }).length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mb = (bytes) => (bytes / 1e6).toFixed(2);
  console.log(
    `level ${level}: ${mb(size)} MB of ${mb(tar.length)} MB, median ${times[2].toFixed(0)} ms`,
  );
}
