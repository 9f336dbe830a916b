// lint: no `var`, no `==` (a stand-in for a linter).
import { readFileSync } from "node:fs";
const source = readFileSync("src/math.js", "utf8");
const problems = [/\bvar\b/, /[^=!]==[^=]/].filter((rule) => rule.test(source)).length;
console.log(`${problems} problems`);
process.exitCode = problems === 0 ? 0 : 1;
