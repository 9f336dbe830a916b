import { runFilters } from "./api-types.js";
import type { RunState } from "./api-types.js";

/** A page of the dashboard, from the URL's hash (hash routing: the server needs no fallback). */
export type Route =
  | { readonly page: "home" }
  | { readonly page: "runs"; readonly status?: RunState }
  | { readonly page: "run"; readonly runId: string }
  | { readonly page: "trends"; readonly by: "day" | "week" }
  | { readonly page: "services" }
  | { readonly page: "unknown"; readonly hash: string };

/** The route of a hash such as `#/runs/run_x`, `#/runs?status=failed` or `#/trends?by=day`. */
export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#/, "").split("?", 2);
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter((part) => part !== "");
  if (parts.length === 0) return { page: "home" };
  const [first, second] = parts;
  if (first === "runs" && parts.length === 1) {
    const status = runFilters.find((s) => s === params.get("status"));
    return status === undefined ? { page: "runs" } : { page: "runs", status };
  }
  if (first === "runs" && parts.length === 2 && second !== undefined) {
    return { page: "run", runId: decodeURIComponent(second) };
  }
  if (first === "trends" && parts.length === 1) {
    return { page: "trends", by: params.get("by") === "day" ? "day" : "week" };
  }
  if (first === "services" && parts.length === 1) return { page: "services" };
  return { page: "unknown", hash };
}

/** The hash of a route: the inverse of {@link parseRoute}. */
export function routeHash(route: Route): string {
  switch (route.page) {
    case "home":
      return "#/";
    case "runs":
      return route.status === undefined ? "#/runs" : `#/runs?status=${route.status}`;
    case "run":
      return `#/runs/${encodeURIComponent(route.runId)}`;
    case "trends":
      return route.by === "week" ? "#/trends" : "#/trends?by=day";
    case "services":
      return "#/services";
    case "unknown":
      return route.hash;
    default:
      return route satisfies never;
  }
}
