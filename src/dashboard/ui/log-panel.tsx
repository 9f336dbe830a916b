import type { JSX } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { count } from "../model/format.js";
import { hasEnded } from "../model/task-table.js";
import { errorText, getText } from "./api.js";
import type { RunSession } from "./run-session.js";

/** What the log panel shows. */
export interface LogPanelProps {
  readonly session: RunSession;
  readonly taskId: string;
  readonly onClose: () => void;
}

/**
 * A task's log in a drawer: while the task runs, its output as it streams in (`task.output`
 * events); once it has ended, its log file from the log route, attempt by attempt.
 */
export function LogPanel(props: LogPanelProps): JSX.Element {
  const { session, taskId, onClose } = props;
  const version = session.version.value;
  const feed = session.feed.value;
  const row = feed.table.get(taskId);
  const live = row !== undefined && !hasEnded(row.status) && session.connection.value !== "ended";
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      before?.focus();
    };
  }, [taskId, onClose]);
  return (
    <aside
      class="log"
      aria-label={`Log of ${taskId}`}
      data-log-task={taskId}
      data-version={version}
    >
      <header>
        <h2>
          {taskId}{" "}
          <span class="status" data-status={row?.status ?? "waiting"}>
            {row?.status ?? "unknown"}
          </span>
        </h2>
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </header>
      {session.source.kind === "report" ? (
        <ReportedLines
          runId={session.runId}
          lines={session.summary.value?.tasks.find((t) => t.id === taskId)?.lastLines}
        />
      ) : live ? (
        <LiveOutput session={session} taskId={taskId} />
      ) : (
        <LogFile runId={session.runId} taskId={taskId} attempts={row?.attempts ?? 0} />
      )}
    </aside>
  );
}

function LiveOutput(props: { readonly session: RunSession; readonly taskId: string }): JSX.Element {
  const { session, taskId } = props;
  // Read for its subscription: the panel follows every batch of events.
  const version = session.version.value;
  const tail = session.feed.value.tails.get(taskId);
  const pre = useRef<HTMLPreElement>(null);
  const text = tail?.text ?? "";
  useLayoutEffect(() => {
    const element = pre.current;
    if (element !== null) element.scrollTop = element.scrollHeight;
  }, [text]);
  return (
    <>
      <p class="muted" style={{ margin: "6px 14px" }}>
        Streaming{tail === undefined ? "" : ` attempt ${tail.attempt}`}
        {tail !== undefined && tail.cut > 0
          ? ` (the first ${count(tail.cut)} characters dropped)`
          : ""}
      </p>
      <pre ref={pre} data-log="live" data-version={version}>
        {text || "(no output yet)"}
      </pre>
    </>
  );
}

/** In the HTML report: the last lines the summary kept (of failed tasks), and where the logs are. */
function ReportedLines(props: {
  readonly runId: string;
  readonly lines: readonly string[] | undefined;
}): JSX.Element {
  const { runId, lines } = props;
  return (
    <>
      <p class="muted" style={{ margin: "6px 14px" }} data-log="report">
        {lines === undefined
          ? "The report keeps the last lines of failed tasks only."
          : "The last lines of its output."}{" "}
        Every task&apos;s log is in <code>.parex/logs/{runId}/</code> where the run ran (
        <code>parex history {runId}</code> lists them).
      </p>
      {lines !== undefined && <pre data-log="lines">{lines.join("\n")}</pre>}
    </>
  );
}

type Loaded = { readonly text: string } | { readonly error: string } | undefined;

function LogFile(props: {
  readonly runId: string;
  readonly taskId: string;
  readonly attempts: number;
}): JSX.Element {
  const { runId, taskId, attempts } = props;
  const [attempt, setAttempt] = useState(attempts);
  const [loaded, setLoaded] = useState<Loaded>(undefined);
  useEffect(() => setAttempt(attempts), [taskId, attempts]);
  useEffect(() => {
    const abort = new AbortController();
    setLoaded(undefined);
    const which = attempt > 0 ? `?attempt=${attempt}` : "";
    const path = `/api/v1/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(taskId)}/log${which}`;
    getText(path, abort.signal).then(
      (text) => setLoaded({ text }),
      (error: unknown) => {
        if (!abort.signal.aborted) setLoaded({ error: errorText(error) });
      },
    );
    return () => abort.abort();
  }, [runId, taskId, attempt]);
  return (
    <>
      {attempts > 1 && (
        <p style={{ margin: "6px 14px" }}>
          <label>
            Attempt{" "}
            <select value={attempt} onChange={(e) => setAttempt(Number(e.currentTarget.value))}>
              {Array.from({ length: attempts }, (_, i) => (
                <option key={i} value={i + 1}>
                  {i + 1}
                </option>
              ))}
            </select>
          </label>
        </p>
      )}
      {loaded === undefined ? (
        <p class="muted" style={{ margin: "6px 14px" }}>
          Loading the log…
        </p>
      ) : "error" in loaded ? (
        <p class="error" style={{ margin: "6px 14px" }} data-log="error">
          {loaded.error}
        </p>
      ) : (
        <pre data-log="file">{loaded.text || "(the task printed nothing)"}</pre>
      )}
    </>
  );
}
