import type { JSX } from "preact";
import { runFilters } from "../model/api-types.js";
import type { RunsBody, RunState } from "../model/api-types.js";
import { routeHash } from "../model/route.js";
import { useApi } from "./use-api.js";

/** Recent runs, newest first, filtered by status. */
export function RunsPage(props: { readonly status?: RunState }): JSX.Element {
  const { status } = props;
  const query = status === undefined ? "" : `&status=${status}`;
  const runs = useApi<RunsBody>(`/api/v1/runs?limit=100${query}`, 5_000);
  return (
    <>
      <h1>Runs</h1>
      <p>
        <label>
          Status{" "}
          <select
            value={status ?? ""}
            onChange={(event) => {
              const value = event.currentTarget.value as RunState | "";
              location.hash = routeHash(
                value === "" ? { page: "runs" } : { page: "runs", status: value },
              );
            }}
          >
            <option value="">all</option>
            {runFilters.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </p>
      {runs.state === "loading" ? (
        <p class="muted">Loading…</p>
      ) : runs.state === "error" ? (
        <p class="error" role="alert">
          {runs.message}
        </p>
      ) : runs.body.runs.length === 0 ? (
        <p class="muted">No {status ?? ""} runs yet.</p>
      ) : (
        <table data-runs={runs.body.runs.length}>
          <thead>
            <tr>
              <th>run</th>
              <th>status</th>
              <th>started</th>
              <th>finished</th>
              <th>pipeline</th>
            </tr>
          </thead>
          <tbody>
            {runs.body.runs.map((run) => (
              <tr key={run.runId} data-run={run.runId}>
                <td>
                  <a href={routeHash({ page: "run", runId: run.runId })}>{run.runId}</a>
                </td>
                <td>
                  <span class="status" data-status={run.status}>
                    {run.status}
                  </span>
                </td>
                <td>{new Date(run.startedAt).toLocaleString()}</td>
                <td>
                  {run.finishedAt === undefined ? "" : new Date(run.finishedAt).toLocaleString()}
                </td>
                <td>{run.pipeline ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
