import { evaluateAlerts } from "../core/index.js";
import type { Alert, RunSummary } from "../core/index.js";
import type { AlertsConfig } from "../config/index.js";
import type { Io } from "./io.js";

/**
 * The alerts a run raised, printed, and POSTed once to the webhook when there is one: one try
 * bounded by its timeout (no retry storm), and a failure to deliver is a warning, never a
 * change to the run's outcome.
 */
export async function raiseAlerts(
  config: AlertsConfig | undefined,
  summary: RunSummary,
  context: {
    /** Each task's usual duration (its p95 in the history). */
    readonly usual: ReadonlyMap<string, number>;
    readonly io: Io;
    readonly write: (text: string) => void;
  },
): Promise<Alert[]> {
  if (config === undefined) return [];
  const alerts = evaluateAlerts(config.rules, summary, context.usual);
  if (alerts.length === 0) return alerts;
  context.write(`\n  alerts:\n${alerts.map((a) => `    ! ${a.message}\n`).join("")}`);
  const webhook = config.webhook;
  if (webhook === undefined) return alerts;
  const body = {
    runId: summary.runId,
    status: summary.status,
    startedAt: summary.startedAt,
    makespanMs: summary.makespanMs,
    alerts,
  };
  try {
    const response = await fetch(webhook.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(webhook.timeoutMs ?? 5_000),
      redirect: "error",
    });
    await response.body?.cancel();
    if (!response.ok)
      context.io.stderr(
        `parex: alerts webhook answered ${response.status}; alerts not delivered\n`,
      );
  } catch (error) {
    context.io.stderr(
      `parex: alerts not delivered to ${webhook.url}: ${(error as Error).message}\n`,
    );
  }
  return alerts;
}
