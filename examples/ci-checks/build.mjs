// build: copy src/ to dist/ (a stand-in for a compiler).
import { cpSync } from "node:fs";
cpSync("src", "dist", { recursive: true });
console.log("built dist/");
