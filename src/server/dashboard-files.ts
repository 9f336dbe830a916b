import { readFile } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Access } from "./access.js";
import { hasSession } from "./access.js";
import { ApiError } from "./api-error.js";
import { page } from "./page.js";

const types: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * The default security headers, but for `upgrade-insecure-requests`: a local server is plain
 * http on 127.0.0.1, where a browser that took it up would ask for the page's scripts over
 * https, from nobody.
 */
const helmet = { contentSecurityPolicy: { directives: { "upgrade-insecure-requests": null } } };

/** Vite names what it builds into `assets/` by a hash of the content: it never changes. */
const forEver = "public, max-age=31536000, immutable";

/**
 * The built dashboard (`dist/dashboard/`, from `npm run build`) at `/dashboard/`, to people
 * with a session only. Its files are read from `dir` on each request, so a rebuild shows at
 * once; there are a handful of them, and the assets are cached by the browser for good. The
 * page itself is never cached: it names the assets of the build.
 */
export function dashboardFiles(
  app: FastifyInstance,
  { dir, access }: { readonly dir: string | undefined; readonly access: Access },
): void {
  const root = dir === undefined ? undefined : resolve(dir);
  app.get("/dashboard", { schema: { hide: true } }, (_request, reply) =>
    reply.redirect("/dashboard/", 308),
  );
  app.get<{ Params: { "*": string } }>(
    "/dashboard/*",
    { schema: { hide: true }, helmet },
    async (request, reply) => {
      if (!hasSession(request, access)) {
        return html(reply, 401, page("Sign in to the parex dashboard", access.signIn));
      }
      const index = root === undefined ? undefined : await read(join(root, "index.html"));
      if (root === undefined || index === undefined) {
        const text =
          "The dashboard has not been built: run `npm run build` in the parex checkout (it writes dist/dashboard/), then reload this page.";
        return html(reply, 503, page("The dashboard is not built", text));
      }
      const path = request.params["*"];
      if (path === "" || path === "index.html") return html(reply, 200, index);
      const file = inside(root, path);
      const content = file === undefined ? undefined : await read(file);
      if (file === undefined || content === undefined) {
        throw new ApiError(404, "NOT_FOUND", `No file /dashboard/${path} in the dashboard.`);
      }
      return reply
        .type(types[extname(file)] ?? "application/octet-stream")
        .header("cache-control", path.startsWith("assets/") ? forEver : "no-cache")
        .send(content);
    },
  );
}

function html(reply: FastifyReply, status: number, content: Buffer | string): FastifyReply {
  return reply
    .status(status)
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-cache")
    .send(content);
}

/** `path` under `root`, or undefined when it would leave it (`..`) or is not a plain path. */
function inside(root: string, path: string): string | undefined {
  if (path.includes("\0") || path.split("/").some((part) => part === ".." || part === ".")) {
    return undefined;
  }
  const file = resolve(root, path);
  return file.startsWith(root + sep) ? file : undefined;
}

/** The file's bytes, or undefined when it is missing or not a file. */
async function read(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}
