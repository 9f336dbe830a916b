/**
 * A local HTTP server standing in for a payment provider and a merchant's webhook receiver,
 * with the faults of the real ones on a fixed schedule (by the number ending a payment's id):
 * POST /charges answers in 80 ms, but 503 to the first attempt of payments 1, 5, 9, ...;
 * POST /webhooks answers in 40 ms, but in 1.5 s for payments 7, 17, 27, ...
 */
import { once } from "node:events";
import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";

/** The running stand-in. */
export interface PaymentApi {
  readonly url: string;
  /** Requests whose client closed the connection before the answer. */
  readonly closedEarly: () => number;
  /** Whether `closedEarly()` reached `n` within `withinMs`. */
  readonly waitForClosedEarly: (n: number, withinMs: number) => Promise<boolean>;
  /** Resolves when the next charge request arrives. */
  readonly nextCharge: () => Promise<void>;
  readonly close: () => Promise<void>;
}

const chargeMs = 80;
const webhookMs = 40;
const slowWebhookMs = 1_500;

async function body(request: IncomingMessage): Promise<{ id?: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { id?: string };
}

/** The number that ends a payment id ("par-17" → 17). */
const numberOf = (id: string): number => Number(/(\d+)$/.exec(id)?.[1] ?? 0);

/** Starts the server on 127.0.0.1, on a free port. */
export async function startPaymentApi(): Promise<PaymentApi> {
  const attempts = new Map<string, number>();
  const events = new EventEmitter();
  let closedEarly = 0;
  let charges = 0;

  const answer = (response: ServerResponse, afterMs: number, status: number, json: unknown) => {
    const timer = setTimeout(() => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(json));
    }, afterMs);
    response.once("close", () => {
      clearTimeout(timer);
      if (!response.writableFinished) {
        closedEarly++;
        events.emit("closed-early");
      }
    });
  };

  const server = createServer((request, response) => {
    body(request).then(
      ({ id = "" }) => {
        const n = numberOf(id);
        if (request.url === "/charges") {
          charges++;
          events.emit("charge");
          const attempt = (attempts.get(id) ?? 0) + 1;
          attempts.set(id, attempt);
          if (attempt === 1 && n % 4 === 1) answer(response, chargeMs, 503, { error: "busy" });
          else answer(response, chargeMs, 200, { id: `ch_${charges}` });
        } else if (request.url === "/webhooks") {
          answer(response, n % 10 === 7 ? slowWebhookMs : webhookMs, 200, { received: true });
        } else answer(response, 0, 404, { error: "not found" });
      },
      () => response.writeHead(400).end(),
    );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    closedEarly: () => closedEarly,
    waitForClosedEarly: async (n, withinMs) => {
      const signal = AbortSignal.timeout(withinMs);
      try {
        while (closedEarly < n) await once(events, "closed-early", { signal });
        return true;
      } catch {
        return false;
      }
    },
    nextCharge: async () => {
      await once(events, "charge");
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
