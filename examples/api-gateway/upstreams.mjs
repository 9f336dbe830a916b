// Three small services for the api-gateway example, on 127.0.0.1 from port UPSTREAM_PORT
// (default 4101): users answers at once, orders needs the user (POST), and recommendations
// fails every other call, so its breaker and fallback have something to do.
import { createServer } from "node:http";

const base = Number(process.env.UPSTREAM_PORT ?? 4101);
let recommendationCalls = 0;

function serve(port, handle) {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const [status, answer] = handle(body === "" ? undefined : JSON.parse(body));
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) => {
    server.once("error", (error) => {
      console.error(
        `upstreams: cannot listen on 127.0.0.1:${port} (${error.code}); set UPSTREAM_PORT to a base with three free ports`,
      );
      process.exit(1);
    });
    server.listen(port, "127.0.0.1", resolve);
  });
}

await Promise.all([
  serve(base, () => [200, { id: 7, name: "Ada" }]),
  serve(base + 1, (body) => [200, { user: body?.user, orders: [{ id: 1, total: 42 }] }]),
  serve(base + 2, () =>
    ++recommendationCalls % 2 === 0 ? [503, { down: true }] : [200, ["book"]],
  ),
]);
console.log(`upstreams listening on 127.0.0.1:${base}-${base + 2}`);
