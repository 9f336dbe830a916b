import { once } from "node:events";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import type { RunEvent } from "../core/index.js";
import { gapFrame, sseFrame } from "../server/index.js";

type Json = Readonly<Record<string, unknown>>;

/** A run the stand-in API knows. */
export interface StubRun {
  /** `GET /api/v1/runs/:id` (runId, status, startedAt, and summary once it ended). */
  info: Json & { readonly runId: string; readonly status: string; readonly startedAt: string };
  /** `GET /api/v1/runs/:id/graph`; a 404 GRAPH_UNKNOWN without it. */
  readonly graph?: Json;
  /** A task's log text (`attempt` undefined: the last); a 404 LOG_UNKNOWN when undefined. */
  readonly log?: (taskId: string, attempt: number | undefined) => string | undefined;
}

/** What the stand-in API answers. */
export interface StubApi {
  readonly runs: StubRun[];
  /** `GET /api/v1/stats`; a 404 without it. */
  readonly stats?: Json;
  /** `GET /api/v1/services`; a 404 without it, as in a local dashboard. */
  readonly services?: Json;
  /** `GET /api/v1/system`; a 404 without it. */
  readonly system?: () => Json;
}

/** A running stand-in of the dashboard's server. */
export interface DashboardServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request's method and URL, in order. */
  readonly requests: string[];
  /** Sends an event to the run's SSE clients (and to later ones, from the start). */
  publish(runId: string, event: RunEvent): void;
  /** Ends the run's event stream: its clients are disconnected, later ones get the kept events. */
  endStream(runId: string): void;
  /**
   * Cuts the run's clients off without ending the stream, as a proxy or a restart would: a
   * browser reconnects, sending the id of the last event it had (Last-Event-ID).
   */
  disconnect(runId: string): void;
  /** Tells the run's clients that `missed` events were dropped before they could be sent. */
  gap(runId: string, missed: number): void;
  close(): Promise<void>;
}

const types: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

interface Stream {
  readonly events: RunEvent[];
  readonly clients: Set<ServerResponse>;
  ended: boolean;
}

/**
 * Serves a built dashboard (`assets`, at /dashboard/) and the read API's JSON from `api`, on
 * 127.0.0.1: the dashboard's browser tests and benchmarks, without the real server.
 */
export async function startDashboardServer(assets: string, api: StubApi): Promise<DashboardServer> {
  const requests: string[] = [];
  const streams = new Map<string, Stream>();
  const stream = (runId: string): Stream => {
    let found = streams.get(runId);
    if (found === undefined) {
      found = { events: [], clients: new Set(), ended: false };
      streams.set(runId, found);
    }
    return found;
  };
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? "GET"} ${request.url ?? ""}`);
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname.startsWith("/dashboard/")) serveAsset(assets, url.pathname, response);
    else if (url.pathname.startsWith("/api/v1/")) answer(api, url, request, response, stream);
    else send(response, 404, { error: { code: "NOT_FOUND", message: "Nothing here." } });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    publish(runId, event) {
      const s = stream(runId);
      s.events.push(event);
      for (const client of s.clients) client.write(sseFrame({ id: s.events.length, event }));
    },
    endStream(runId) {
      const s = stream(runId);
      s.ended = true;
      for (const client of s.clients) client.end();
      s.clients.clear();
    },
    disconnect(runId) {
      const s = stream(runId);
      for (const client of s.clients) client.destroy();
      s.clients.clear();
    },
    gap(runId, missed) {
      for (const client of stream(runId).clients) client.write(gapFrame(missed));
    },
    async close() {
      for (const s of streams.values()) for (const client of s.clients) client.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

function notFound(response: ServerResponse, code: string, message: string): void {
  send(response, 404, { error: { code, message }, requestId: "stub" });
}

function serveAsset(assets: string, pathname: string, response: ServerResponse): void {
  const relative = normalize(pathname.slice("/dashboard/".length) || "index.html");
  const file = join(assets, relative);
  if (relative.startsWith("..") || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
  response.end(readFileSync(file));
}

function answer(
  api: StubApi,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
  stream: (runId: string) => Stream,
): void {
  const parts = url.pathname.split("/").slice(3).map(decodeURIComponent);
  const [first, id, what, taskId, tail] = parts;
  if (first === "runs" && id === undefined) {
    const status = url.searchParams.get("status");
    const limit = Number(url.searchParams.get("limit") ?? 20);
    const runs = api.runs
      .map((run) => run.info)
      .filter((info) => status === null || info.status === status)
      .map((info) => Object.fromEntries(Object.entries(info).filter(([key]) => key !== "summary")))
      .slice(0, limit);
    send(response, 200, { runs });
    return;
  }
  const run = first === "runs" ? api.runs.find((r) => r.info.runId === id) : undefined;
  if (first === "runs" && run === undefined) {
    notFound(response, "RUN_NOT_FOUND", `No run "${id ?? ""}".`);
  } else if (run !== undefined && what === undefined) {
    send(response, 200, run.info);
  } else if (run !== undefined && what === "graph") {
    if (run.graph === undefined) notFound(response, "GRAPH_UNKNOWN", "The run predates graphs.");
    else send(response, 200, run.graph);
  } else if (run !== undefined && what === "tasks" && taskId !== undefined && tail === "log") {
    const attempt = url.searchParams.get("attempt");
    const text = run.log?.(taskId, attempt === null ? undefined : Number(attempt));
    if (text === undefined) notFound(response, "LOG_UNKNOWN", `No log of task "${taskId}".`);
    else response.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(text);
  } else if (run !== undefined && what === "events") {
    follow(stream(run.info.runId), request, response);
  } else {
    const body =
      first === "stats"
        ? api.stats
        : first === "services"
          ? api.services
          : first === "system"
            ? api.system?.()
            : undefined;
    if (body === undefined) notFound(response, "NOT_FOUND", `No ${url.pathname} here.`);
    else send(response, 200, body);
  }
}

/** SSE: the kept events after Last-Event-ID, then each new one until the stream ends. */
function follow(s: Stream, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  });
  const last = Number(request.headers["last-event-id"] ?? 0);
  s.events.forEach((event, i) => {
    if (i + 1 > last) response.write(sseFrame({ id: i + 1, event }));
  });
  if (s.ended) {
    response.end();
    return;
  }
  s.clients.add(response);
  response.on("close", () => s.clients.delete(response));
}
