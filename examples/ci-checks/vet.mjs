// vet: every export is used by the tests (a stand-in for a static analyser).
import { readFileSync } from "node:fs";
const exported = [...readFileSync("src/math.js", "utf8").matchAll(/export const (\w+)/g)].map(
  (m) => m[1],
);
const tests = readFileSync("test.mjs", "utf8");
const unused = exported.filter((name) => !tests.includes(name));
console.log(unused.length === 0 ? "vet: ok" : `vet: unused ${unused.join(", ")}`);
process.exitCode = unused.length === 0 ? 0 : 1;
