// What reading a cache's artifacts costs: `node scripts/read-artifacts.mjs .parex/cache` (after
// `npm run build`). Reads every *.tar.gz under the directory, gunzips it and decodes its tar with
// the built codec, in one pass as a run of hits does in its first moments: no warm-up, so the
// time includes compiling the codec. Used for the figure in docs/cache.md.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { decodeTar } from "../dist/cache/tar-codec.js";

const root = process.argv[2] ?? ".parex/cache";
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith(".tar.gz"));
const start = process.hrtime.bigint();
let entries = 0;
for (const file of files) {
  entries += (await decodeTar(gunzipSync(readFileSync(join(root, file))))).length;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.log(`${files.length} artifacts, ${entries} entries, read in ${ms.toFixed(1)} ms`);
