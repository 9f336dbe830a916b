/** What alerts look at: the parts of a run's summary they need. */
export interface AlertInput {
  readonly makespanMs: number;
  readonly efficiency: number;
  /** False when the run stopped early: its efficiency covers only what ran, and is not judged. */
  readonly complete?: boolean;
  readonly tasks: readonly {
    readonly id: string;
    readonly status: string;
    readonly durationMs?: number;
  }[];
}

/**
 * A rule on a run's numbers:
 * - `makespanMs`, `efficiency`, `failureRate` (share of tasks that failed): compared with
 *   `above` / `below`;
 * - `taskSlowdown`: a task took more than `above` times its usual duration (the history's
 *   p95 of that task, as the caller gives it).
 */
export interface AlertRule {
  readonly name?: string;
  readonly metric: "makespanMs" | "efficiency" | "failureRate" | "taskSlowdown";
  readonly above?: number;
  readonly below?: number;
}

/** A rule that fired. */
export interface Alert {
  readonly name: string;
  readonly metric: AlertRule["metric"];
  readonly value: number;
  readonly message: string;
}

/** The alerts a finished run raises; `usual` is each task's usual duration from before it. */
export function evaluateAlerts(
  rules: readonly AlertRule[],
  summary: AlertInput,
  usual: ReadonlyMap<string, number>,
): Alert[] {
  const alerts: Alert[] = [];
  for (const rule of rules) {
    const name = rule.name ?? rule.metric;
    if (rule.metric === "taskSlowdown") {
      for (const task of summary.tasks) {
        const before = usual.get(task.id);
        if (before === undefined || before <= 0 || task.durationMs === undefined) continue;
        if (rule.above === undefined) continue;
        const factor = task.durationMs / before;
        if (factor > rule.above) {
          const message = `${name}: ${task.id} took ${Math.round(task.durationMs)} ms, ${factor.toFixed(1)}× its usual ${Math.round(before)} ms`;
          alerts.push({ name, metric: rule.metric, value: factor, message });
        }
      }
      continue;
    }
    if (rule.metric === "efficiency" && summary.complete === false) continue;
    const value = metric(rule.metric, summary);
    if (rule.above !== undefined && value > rule.above) {
      alerts.push({
        name,
        metric: rule.metric,
        value,
        message: `${name}: ${round(value)} > ${rule.above}`,
      });
    } else if (rule.below !== undefined && value < rule.below) {
      alerts.push({
        name,
        metric: rule.metric,
        value,
        message: `${name}: ${round(value)} < ${rule.below}`,
      });
    }
  }
  return alerts;
}

function metric(name: "makespanMs" | "efficiency" | "failureRate", summary: AlertInput): number {
  switch (name) {
    case "makespanMs":
      return summary.makespanMs;
    case "efficiency":
      return summary.efficiency;
    case "failureRate":
      return summary.tasks.length === 0
        ? 0
        : summary.tasks.filter((t) => t.status === "failed").length / summary.tasks.length;
    default:
      return name satisfies never;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
