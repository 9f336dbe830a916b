import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRoute, routeHash } from "./route.js";
import type { Route } from "./route.js";

describe("hash routes", () => {
  it("reads each page from the hash, and writes it back the same", () => {
    const cases: [string, Route][] = [
      ["#/", { page: "home" }],
      ["#/runs", { page: "runs" }],
      ["#/runs?status=failed", { page: "runs", status: "failed" }],
      ["#/runs/run_mx%2Fy", { page: "run", runId: "run_mx/y" }],
      ["#/trends", { page: "trends", by: "week" }],
      ["#/trends?by=day", { page: "trends", by: "day" }],
      ["#/services", { page: "services" }],
    ];
    for (const [hash, route] of cases) {
      assert.deepEqual(parseRoute(hash), route, hash);
      assert.equal(routeHash(route), hash);
    }
  });

  it("opens the home page without a hash, lists every run for an unknown status, and names unknown pages", () => {
    assert.deepEqual(parseRoute(""), { page: "home" });
    assert.deepEqual(parseRoute("#/runs?status=bogus"), { page: "runs" });
    assert.deepEqual(parseRoute("#/nope/x"), { page: "unknown", hash: "#/nope/x" });
  });
});
