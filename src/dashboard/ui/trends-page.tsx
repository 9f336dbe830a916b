import type { JSX } from "preact";
import type { StatsBody } from "../model/api-types.js";
import { duration, percent, rate } from "../model/format.js";
import { routeHash } from "../model/route.js";
import { trendColumns } from "../model/trends.js";
import { LineChart } from "./line-chart.js";
import { useApi } from "./use-api.js";

/** The history's trends per day or week: makespan spread, failure rate, throughput, efficiency, flaky tasks. */
export function TrendsPage(props: { readonly by: "day" | "week" }): JSX.Element {
  const { by } = props;
  const days = by === "day" ? 30 : 182;
  const stats = useApi<StatsBody>(`/api/v1/stats?by=${by}&days=${days}`);
  return (
    <>
      <h1>Trends</h1>
      <p>
        Per{" "}
        {(["day", "week"] as const).map((choice) => (
          <a
            key={choice}
            href={routeHash({ page: "trends", by: choice })}
            aria-current={choice === by ? "page" : undefined}
            style={{ marginRight: "10px" }}
          >
            {choice}
          </a>
        ))}
        <span class="muted">(the last {days} days)</span>
      </p>
      {stats.state === "loading" ? (
        <p class="muted">Loading…</p>
      ) : stats.state === "error" ? (
        <p class="error" role="alert">
          {stats.message}
        </p>
      ) : stats.body.periods.length === 0 ? (
        <p class="muted">No finished runs in the history yet.</p>
      ) : (
        <Trends stats={stats.body} />
      )}
    </>
  );
}

function Trends(props: { readonly stats: StatsBody }): JSX.Element {
  const c = trendColumns(props.stats);
  return (
    <>
      <div class="grid">
        <section class="panel" aria-labelledby="h-makespan">
          <h2 id="h-makespan">Makespan</h2>
          <LineChart
            label="Makespan per period: mean, p50, p95, p99"
            time
            x={c.x}
            formatY={duration}
            lines={[
              { label: "mean", colour: "--running", values: c.mean },
              { label: "p50", colour: "--succeeded", values: c.p50 },
              { label: "p95", colour: "--retrying", values: c.p95 },
              { label: "p99", colour: "--failed", values: c.p99 },
            ]}
          />
        </section>
        <section class="panel" aria-labelledby="h-failures">
          <h2 id="h-failures">Failure rate and efficiency</h2>
          <LineChart
            label="Failure rate and parallel efficiency per period"
            time
            x={c.x}
            formatY={percent}
            lines={[
              { label: "failure rate", colour: "--failed", values: c.failureRate },
              { label: "efficiency", colour: "--succeeded", values: c.efficiency },
            ]}
          />
        </section>
        <section class="panel" aria-labelledby="h-throughput-trend">
          <h2 id="h-throughput-trend">Throughput</h2>
          <LineChart
            label="Tasks succeeded per second, per period"
            time
            x={c.x}
            formatY={rate}
            lines={[{ label: "tasks/s", colour: "--running", values: c.throughput }]}
          />
        </section>
      </div>
      <section class="panel" aria-labelledby="h-flaky">
        <h2 id="h-flaky">Flaky tasks</h2>
        {props.stats.flaky.length === 0 ? (
          <p class="muted">None: no task failed and then passed on a retry.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>task</th>
                <th class="num">runs</th>
                <th class="num">failures</th>
                <th class="num">flips</th>
              </tr>
            </thead>
            <tbody>
              {props.stats.flaky.map((f) => (
                <tr key={f.id}>
                  <td>{f.id}</td>
                  <td class="num">{f.runs}</td>
                  <td class="num">{f.failures}</td>
                  <td class="num">{f.flips}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
