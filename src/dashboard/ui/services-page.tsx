import type { JSX } from "preact";
import type { BreakerState, ServicesBody, ServiceStats } from "../model/api-types.js";
import { count, duration, percent, rate } from "../model/format.js";
import { useApi } from "./use-api.js";

const breakerStatus: Record<BreakerState, string> = {
  closed: "succeeded",
  "half-open": "retrying",
  open: "failed",
};

/** The services parex serve calls: latency, throughput, error rate, circuit breaker. */
export function ServicesPage(): JSX.Element {
  const services = useApi<ServicesBody>("/api/v1/services", 5_000);
  return (
    <>
      <h1>Services</h1>
      {services.state === "loading" ? (
        <p class="muted">Loading…</p>
      ) : services.state === "error" ? (
        <p class="error" role="alert">
          {services.message}
        </p>
      ) : services.body.services.length === 0 ? (
        <p class="muted">This server calls no services.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>service</th>
              <th class="num">calls</th>
              <th class="num">error rate</th>
              <th class="num">throughput</th>
              <th class="num">p50</th>
              <th class="num">p95</th>
              <th class="num">p99</th>
              <th>breaker</th>
            </tr>
          </thead>
          <tbody>
            {services.body.services.map((s) => (
              <tr key={s.name} data-service={s.name}>
                <td>{s.name}</td>
                <td class="num">{count(s.calls)}</td>
                <td class="num">{percent(s.errorRate)}</td>
                <td class="num">{rate(s.throughputPerSec)}</td>
                <td class="num">{latency(s, "p50")}</td>
                <td class="num">{latency(s, "p95")}</td>
                <td class="num">{latency(s, "p99")}</td>
                <td>
                  <span
                    class="status"
                    data-status={breakerStatus[s.breaker]}
                    data-breaker={s.breaker}
                  >
                    {s.breaker}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A latency percentile, or a dash for a service not called yet. */
function latency(service: ServiceStats, which: "p50" | "p95" | "p99"): string {
  const ms = service.latencyMs?.[which];
  return ms === undefined ? "–" : duration(ms);
}
