import { checkTimerMs, describeValue } from "../core/index.js";
import { isRecord, unknownKeys } from "./config-checks.js";
import type { Fail } from "./config-checks.js";

const metrics = ["makespanMs", "efficiency", "failureRate", "taskSlowdown"];
const ruleFields = ["name", "metric", "above", "below"];

/** `alerts: { rules: [{ metric, above?, below?, name? }], webhook?: { url, timeoutMs? } }`. */
export function checkAlerts(alerts: unknown, fail: Fail): void {
  if (!isRecord(alerts) || !Array.isArray(alerts["rules"])) {
    fail(
      "alerts",
      `Invalid alerts @: expected { "rules": [...], "webhook"?: { "url": ... } }, got ${describeValue(alerts)}.`,
    );
    return;
  }
  unknownKeys(alerts, ["rules", "webhook"], "alerts", fail);
  (alerts["rules"] as unknown[]).forEach((rule, i) => checkRule(rule, `alerts.rules[${i}]`, fail));
  if (alerts["webhook"] !== undefined) checkWebhook(alerts["webhook"], fail);
}

function checkRule(rule: unknown, path: string, fail: Fail): void {
  if (!isRecord(rule) || !metrics.includes(String(rule["metric"]))) {
    fail(
      path,
      `Invalid alert rule @: expected a metric among ${metrics.join(", ")}, got ${describeValue(rule)}.`,
    );
    return;
  }
  unknownKeys(rule, ruleFields, path, fail);
  const { above, below, name } = rule;
  const numeric = (value: unknown): boolean => value === undefined || typeof value === "number";
  if (!numeric(above) || !numeric(below) || (above === undefined && below === undefined)) {
    fail(path, `Invalid alert rule @: give \`above\` and/or \`below\` as numbers.`);
  }
  if (name !== undefined && typeof name !== "string") {
    fail(`${path}.name`, `Invalid alert rule @: expected a name, got ${describeValue(name)}.`);
  }
}

function checkWebhook(webhook: unknown, fail: Fail): void {
  const valid =
    isRecord(webhook) && typeof webhook["url"] === "string" && /^https?:\/\//.test(webhook["url"]);
  if (!valid) {
    fail(
      "alerts.webhook",
      `Invalid alerts webhook @: expected { "url": "https://...", "timeoutMs"?: 5000 }, got ${describeValue(webhook)}.`,
    );
  }
  unknownKeys(webhook, ["url", "timeoutMs"], "alerts.webhook", fail);
  const timeoutMs = webhook["timeoutMs"];
  if (timeoutMs === undefined) return;
  // AbortSignal.timeout takes whole milliseconds only.
  const expected = Number.isInteger(timeoutMs)
    ? checkTimerMs(timeoutMs)
    : "a whole number of ms > 0";
  if (expected !== undefined) {
    fail(
      "alerts.webhook.timeoutMs",
      `Invalid alerts.webhook.timeoutMs @: expected ${expected}, got ${describeValue(timeoutMs)}.`,
    );
  }
}
