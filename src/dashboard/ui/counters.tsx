import type { JSX } from "preact";
import { duration } from "../model/format.js";
import type { Forecast } from "../model/forecast.js";
import { liveStatuses } from "../model/task-table.js";
import type { TaskTable } from "../model/task-table.js";

/** One counter per status, each with `data-count="<status>"`. */
export function Counters(props: { readonly table: TaskTable }): JSX.Element {
  return (
    <div class="counters" role="list" aria-label="Tasks by status">
      {liveStatuses.map((status) => (
        <div class="counter" role="listitem" data-status={status} key={status}>
          <b data-count={status}>{props.table.count(status)}</b>
          <span class="status" data-status={status}>
            {status}
          </span>
        </div>
      ))}
    </div>
  );
}

/** What the figures line compares: time so far against the prediction. */
export interface TimingProps {
  readonly elapsedMs: number;
  readonly ended: boolean;
  /** `none`: no learned durations to predict from; `pending`: not simulated yet. */
  readonly forecast: Forecast | "none" | "pending";
}

/** Elapsed (or the makespan) against the predicted makespan, and the ETA while it runs. */
export function Timing(props: TimingProps): JSX.Element {
  const { elapsedMs, ended, forecast } = props;
  return (
    <div class="figures">
      <span>
        {ended ? "makespan" : "elapsed"} <b data-figure="elapsed">{duration(elapsedMs)}</b>
      </span>
      {forecast === "pending" ? (
        <span class="muted">predicting…</span>
      ) : forecast === "none" ? (
        <span class="muted">no learned durations yet: no prediction</span>
      ) : (
        <>
          <span>
            predicted <b data-figure="predicted">{duration(forecast.predictedMs)}</b>
          </span>
          {!ended && (
            <span>
              ETA <b data-figure="eta">{duration(forecast.remainingMs)}</b> left
            </span>
          )}
          {ended && forecast.predictedMs > 0 && (
            <span>
              actual / predicted <b>{(elapsedMs / forecast.predictedMs).toFixed(2)}×</b>
            </span>
          )}
        </>
      )}
    </div>
  );
}
