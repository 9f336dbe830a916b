import type { JSX } from "preact";
import type { RunSummary } from "../../core/index.js";
import { bytes, duration, percent } from "../model/format.js";
import { distributionMatrix, heaviest } from "../model/panels.js";
import type { PanelRun } from "../model/panels.js";
import { LineChart } from "./line-chart.js";
import type { SystemSample } from "./run-session.js";

/** The tasks that used the most CPU and memory. */
export function ResourcesPanel(props: { readonly summary: PanelRun }): JSX.Element | null {
  const cpu = heaviest(props.summary, "cpuMs", 10);
  const memory = heaviest(props.summary, "peakRssBytes", 10);
  if (cpu.length === 0 && memory.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="h-resources">
      <h2 id="h-resources">CPU and memory per task (top 10)</h2>
      <div style={{ display: "flex", gap: "16px", flexWrap: "wrap" }}>
        <table style={{ flex: 1, width: "auto" }}>
          <thead>
            <tr>
              <th>task</th>
              <th class="num">CPU</th>
            </tr>
          </thead>
          <tbody>
            {cpu.map((t) => (
              <tr key={t.id}>
                <td>{t.id}</td>
                <td class="num">{duration(t.cpuMs ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table style={{ flex: 1, width: "auto" }}>
          <thead>
            <tr>
              <th>task</th>
              <th class="num">peak memory</th>
            </tr>
          </thead>
          <tbody>
            {memory.map((t) => (
              <tr key={t.id}>
                <td>{t.id}</td>
                <td class="num">{bytes(t.peakRssBytes ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The runner's machine while the run is live: CPU busy share and memory in use. */
export function SystemPanel(props: {
  readonly samples: readonly SystemSample[];
}): JSX.Element | null {
  const { samples } = props;
  const last = samples.at(-1);
  if (last === undefined) return null;
  return (
    <section class="panel" aria-labelledby="h-system">
      <h2 id="h-system">Runner: CPU and memory</h2>
      <p style={{ margin: "0 0 6px" }}>
        CPU busy <b>{percent(last.cpu)}</b> · memory in use <b>{percent(last.memory)}</b> · runner{" "}
        <b>{bytes(last.rssBytes)}</b>
      </p>
      <LineChart
        label="The runner's CPU busy share and memory in use over time"
        time
        xPad={30}
        height={160}
        x={samples.map((s) => s.t)}
        formatY={(v) => percent(v)}
        lines={[
          { label: "CPU busy", colour: "--running", values: samples.map((s) => s.cpu) },
          { label: "memory", colour: "--fallback", values: samples.map((s) => s.memory) },
        ]}
      />
    </section>
  );
}

/** Busy time per group and slot (or worker): who did what. */
export function MatrixPanel(props: { readonly summary: PanelRun }): JSX.Element | null {
  const matrix = distributionMatrix(props.summary);
  if (matrix === undefined) return null;
  return (
    <section class="panel wide" aria-labelledby="h-matrix">
      <h2 id="h-matrix">{matrix.by === "worker" ? "Worker" : "Slot"} × group: busy time</h2>
      <table style={{ width: "auto" }}>
        <thead>
          <tr>
            <th>group</th>
            {matrix.columns.map((column) => (
              <th class="num" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.groups.map((group, g) => (
            <tr key={group}>
              <td>{group}</td>
              {(matrix.cells[g] ?? []).map((ms, slot) => {
                const share = matrix.max > 0 ? ms / matrix.max : 0;
                const background = `color-mix(in srgb, var(--running) ${Math.round(share * 70)}%, transparent)`;
                return (
                  <td class="num" key={slot} style={{ background }}>
                    {ms > 0 ? duration(ms) : "·"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Quality gates' verdicts and the alerts the run set off. */
export function VerdictsPanel(props: { readonly summary: RunSummary }): JSX.Element {
  const { gates, alerts = [] } = props.summary;
  return (
    <section class="panel" aria-labelledby="h-verdicts">
      <h2 id="h-verdicts">Quality gates and alerts</h2>
      {gates.length === 0 ? (
        <p class="muted">No quality gates configured.</p>
      ) : (
        <table>
          <tbody>
            {gates.map((gate) => (
              <tr key={gate.name} data-gate={gate.name}>
                <td>
                  <span class="status" data-status={gate.status}>
                    {gate.status.toUpperCase()}
                  </span>
                </td>
                <td>{gate.name}</td>
                <td>{gate.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {alerts.length === 0 ? (
        <p class="muted">No alerts.</p>
      ) : (
        <ul>
          {alerts.map((alert) => (
            <li key={alert.name + alert.message} class="error" data-alert={alert.name}>
              {alert.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
