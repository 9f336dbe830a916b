// format: no trailing spaces or tabs (a stand-in for a formatter check).
import { readFileSync } from "node:fs";
const bad = readFileSync("src/math.js", "utf8")
  .split("\n")
  .filter((l) => / $|\t/.test(l)).length;
console.log(bad === 0 ? "formatted" : `${bad} lines to format`);
process.exitCode = bad === 0 ? 0 : 1;
