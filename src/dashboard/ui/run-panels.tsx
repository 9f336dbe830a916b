import type { JSX } from "preact";
import type { RunSummary } from "../../core/index.js";
import { duration, percent, rate } from "../model/format.js";
import { groupTimes, scalabilityColumns, spawnOverhead, throughput } from "../model/panels.js";
import type { PanelRun } from "../model/panels.js";
import type { SoFar } from "../model/panels-so-far.js";
import { LineChart } from "./line-chart.js";

/** A bar of a horizontal bar chart, `share` of the widest. */
function Meter(props: { readonly share: number; readonly colour: string }): JSX.Element {
  const width = `${Math.max(0.5, Math.min(1, props.share) * 100).toFixed(1)}%`;
  return <span class="meter" style={{ width, "--c": `var(${props.colour})` }} />;
}

/** A meter on a track of fixed width, its value beside it. */
function Bar(props: {
  readonly share: number;
  readonly colour: string;
  readonly text: string;
}): JSX.Element {
  return (
    <div class="bars">
      <span class="track">
        <Meter share={props.share} colour={props.colour} />
      </span>
      {props.text}
    </div>
  );
}

/** Tasks per second in this run against one at a time. */
export function ThroughputPanel(props: { readonly summary: PanelRun }): JSX.Element {
  const t = throughput(props.summary);
  const top = Math.max(t.parallelPerSec, t.sequentialPerSec, t.measuredSequentialPerSec ?? 0, 1e-9);
  const rows: [string, number, string][] = [
    ["in parallel (this run)", t.parallelPerSec, "--succeeded"],
    ["one at a time (sum of task times)", t.sequentialPerSec, "--skipped"],
    ...(t.measuredSequentialPerSec === undefined
      ? []
      : [
          ["one at a time (measured)", t.measuredSequentialPerSec, "--cancelled"] as [
            string,
            number,
            string,
          ],
        ]),
  ];
  return (
    <section class="panel" aria-labelledby="h-throughput">
      <h2 id="h-throughput">Throughput: tasks per second</h2>
      <table>
        <tbody>
          {rows.map(([name, value, colour]) => (
            <tr key={name}>
              <td>{name}</td>
              <td class="num">{rate(value)}</td>
              <td style={{ width: "45%" }}>
                <Meter share={value / top} colour={colour} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Speedup and efficiency against the ideal, and what the slots did. */
export function EfficiencyPanel(props: { readonly summary: RunSummary }): JSX.Element {
  const s = props.summary;
  const ideal = Math.min(s.concurrency, s.tasks.length);
  return (
    <section class="panel" aria-labelledby="h-efficiency">
      <h2 id="h-efficiency">Parallel efficiency vs ideal</h2>
      <table>
        <tbody>
          <tr>
            <td>speedup</td>
            <td class="num">{s.speedup.toFixed(2)}×</td>
            <td class="muted">
              ideal {ideal}× on {s.concurrency} slots
            </td>
          </tr>
          <tr>
            <td>efficiency</td>
            <td class="num" data-figure="efficiency">
              {percent(s.efficiency)}
            </td>
            <td style={{ width: "45%" }}>
              <Meter share={s.efficiency} colour="--succeeded" />
            </td>
          </tr>
          <tr>
            <td>makespan / lower bound</td>
            <td class="num">{s.lowerBoundRatio.toFixed(2)}×</td>
            <td class="muted">
              1.00× is the best any schedule can do ({duration(s.lowerBoundMs)})
            </td>
          </tr>
          <tr>
            <td>sum of task times</td>
            <td class="num">{duration(s.sequentialMs)}</td>
            <td class="muted">makespan {duration(s.makespanMs)}</td>
          </tr>
        </tbody>
      </table>
      {s.complete === false && (
        <p class="muted">The run did not run every task to its end: these cover what ran.</p>
      )}
    </section>
  );
}

/** A live run's parallelism so far: how busy its slots have been, the running attempts included. */
export function BusyPanel(props: { readonly soFar: SoFar }): JSX.Element {
  const s = props.soFar;
  const speedup = s.makespanMs > 0 ? s.busyMs / s.makespanMs : 0;
  const busy = s.concurrency > 0 ? speedup / s.concurrency : 0;
  return (
    <section class="panel" aria-labelledby="h-efficiency">
      <h2 id="h-efficiency">Parallel efficiency so far</h2>
      <table>
        <tbody>
          <tr>
            <td>speedup so far</td>
            <td class="num">{speedup.toFixed(2)}×</td>
            <td class="muted">
              task time {duration(s.busyMs)} in {duration(s.makespanMs)}
            </td>
          </tr>
          <tr>
            <td>slots busy</td>
            <td class="num" data-figure="busy-so-far">
              {percent(busy)}
            </td>
            <td style={{ width: "45%" }}>
              <Meter share={busy} colour="--succeeded" />
            </td>
          </tr>
          <tr>
            <td>tasks ended</td>
            <td class="num" data-figure="ended-so-far">
              {s.tasks.length}
            </td>
            <td class="muted">{s.running} running</td>
          </tr>
        </tbody>
      </table>
      <p class="muted">
        The bottlenecks, the lower bound, the scalability curve and the quality gates come when the
        run ends: they need every task&rsquo;s time.
      </p>
    </section>
  );
}

/** Time spent starting processes. */
export function SpawnPanel(props: { readonly summary: PanelRun }): JSX.Element | null {
  const spawn = spawnOverhead(props.summary);
  if (spawn === undefined) return null;
  return (
    <section class="panel" aria-labelledby="h-spawn">
      <h2 id="h-spawn">Spawn overhead</h2>
      <p>
        <b>{duration(spawn.totalMs)}</b> starting {spawn.tasks} processes ({duration(spawn.meanMs)}{" "}
        each), <b>{percent(spawn.shareOfWork)}</b> of the task time.
      </p>
    </section>
  );
}

/** Per group: one at a time against this run. */
export function GroupsPanel(props: { readonly summary: PanelRun }): JSX.Element | null {
  const groups = groupTimes(props.summary);
  if (groups.length === 0) return null;
  const top = Math.max(1, ...groups.map((g) => g.sequentialMs));
  return (
    <section class="panel" aria-labelledby="h-groups">
      <h2 id="h-groups">Per group: sequential vs parallel</h2>
      <table>
        <thead>
          <tr>
            <th>group</th>
            <th class="num">tasks</th>
            <th>one at a time / in this run</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.group} data-group={g.group}>
              <td>{g.group}</td>
              <td class="num">{g.tasks}</td>
              <td>
                <Bar
                  share={g.sequentialMs / top}
                  colour="--skipped"
                  text={duration(g.sequentialMs)}
                />
                <Bar
                  share={g.parallelMs / top}
                  colour="--succeeded"
                  text={duration(g.parallelMs)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Predicted makespans for other slot counts, against wave barriers and the ideal. */
export function ScalabilityPanel(props: { readonly summary: RunSummary }): JSX.Element | null {
  const columns = scalabilityColumns(props.summary);
  if (columns === undefined) return null;
  const [slots = [], parex = [], waves = [], bound = [], measured = [], searched = []] = columns;
  const hasSearch = searched.some((v) => v !== null);
  return (
    <section class="panel" aria-labelledby="h-scalability">
      <h2 id="h-scalability">Scalability: makespan by slots</h2>
      <LineChart
        label="Predicted makespan by number of slots"
        x={slots as number[]}
        formatY={duration}
        formatX={(v) => `${v}`}
        xLabel="slots"
        wholeX
        lines={[
          ...(hasSearch
            ? [{ label: "parex, searched order", colour: "--critical", values: searched }]
            : []),
          {
            label: hasSearch ? "parex, critical-path rule" : "parex (simulated)",
            colour: "--succeeded",
            values: parex,
          },
          { label: "wave barriers", colour: "--failed", values: waves },
          { label: "ideal (lower bound)", colour: "--muted", values: bound, dash: [5, 4] },
          { label: "measured", colour: "--text", values: measured, pointsOnly: true },
        ]}
      />
    </section>
  );
}

/** What held the run back: the critical path's tasks and share, serial time, idle slots. */
export function BottlenecksPanel(props: { readonly summary: RunSummary }): JSX.Element {
  const s = props.summary;
  const share = s.makespanMs > 0 ? s.criticalPathMs / s.makespanMs : 0;
  return (
    <section class="panel" aria-labelledby="h-bottlenecks">
      <h2 id="h-bottlenecks">Bottlenecks</h2>
      <div class="figures" style={{ marginTop: 0 }}>
        <span>
          critical path <b>{duration(s.criticalPathMs)}</b> ({percent(share)} of the makespan)
        </span>
        <span>
          serial fraction <b>{percent(s.serialFraction)}</b>
        </span>
        <span>
          idle slot time <b>{duration(s.idleSlotMs)}</b>
        </span>
      </div>
      {(s.bottlenecks?.length ?? 0) > 0 && (
        <table style={{ marginTop: "8px" }}>
          <thead>
            <tr>
              <th>task on the critical path</th>
              <th class="num">time</th>
              <th>share of the path</th>
            </tr>
          </thead>
          <tbody>
            {(s.bottlenecks ?? []).slice(0, 10).map((b) => (
              <tr key={b.id}>
                <td>{b.id}</td>
                <td class="num">{duration(b.durationMs)}</td>
                <td style={{ width: "45%" }}>
                  <Bar share={b.share} colour="--critical" text={percent(b.share)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
