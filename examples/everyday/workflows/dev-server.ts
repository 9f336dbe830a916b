/**
 * The dev server of the workflows recipe: a small JSON API on 127.0.0.1:$PORT. Before it
 * listens it prepares its routes from the recipe's files, as a framework's dev server compiles
 * pages first; the test watcher waits for its port.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";

const port = Number(process.env["PORT"] ?? 3000);
const here = new URL(".", import.meta.url).pathname;

// "Compiling": the recipe's sources, their sizes served as /api/files.
const files = readdirSync(here)
  .filter((name) => name.endsWith(".ts"))
  .map((name) => ({ name, lines: readFileSync(here + name, "utf8").split("\n").length }));

const routes: Record<string, (query: URLSearchParams) => unknown> = {
  "/api/health": () => ({ ok: true }),
  "/api/files": () => files,
  "/api/sum": (query) => ({ sum: Number(query.get("a")) + Number(query.get("b")) }),
};

const server = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://localhost");
  const route = routes[url.pathname];
  response.setHeader("content-type", "application/json");
  if (route === undefined) response.writeHead(404).end('{"error":"not found"}');
  else response.end(JSON.stringify(route(url.searchParams)));
});
server.listen(port, "127.0.0.1", () => {
  console.log(`dev server on http://127.0.0.1:${port} (${files.length} files compiled)`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
