// security: no eval or child_process in the sources (a stand-in for an audit).
import { readFileSync } from "node:fs";
const risky = /\beval\(|child_process/.test(readFileSync("src/math.js", "utf8"));
console.log(risky ? "risky calls found" : "0 vulnerabilities");
process.exitCode = risky ? 1 : 0;
