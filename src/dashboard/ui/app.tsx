import { signal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { RunsBody } from "../model/api-types.js";
import { parseRoute, routeHash } from "../model/route.js";
import type { Route } from "../model/route.js";
import { ApiFailure, getJson } from "./api.js";
import { RunPage } from "./run-page.js";
import { RunsPage } from "./runs-page.js";
import { ServicesPage } from "./services-page.js";
import { TrendsPage } from "./trends-page.js";

const route = signal<Route>(parseRoute(location.hash));
addEventListener("hashchange", () => (route.value = parseRoute(location.hash)));

/** Whether the server has the services route (parex serve; not a local dashboard). */
const hasServices = signal(false);

/** The dashboard: a top bar, then the page the hash names. */
export function App(): JSX.Element {
  useEffect(() => {
    getJson("/api/v1/services").then(
      () => (hasServices.value = true),
      (error: unknown) => {
        if (!(error instanceof ApiFailure)) throw error;
      },
    );
  }, []);
  const current = route.value;
  const links: [string, Route][] = [
    ["Runs", { page: "runs" }],
    ["Trends", { page: "trends", by: "week" }],
    ...(hasServices.value ? [["Services", { page: "services" }] as [string, Route]] : []),
  ];
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          parex
        </a>
        <nav aria-label="Pages">
          {links.map(([name, target]) => (
            <a
              key={name}
              href={routeHash(target)}
              aria-current={target.page === current.page ? "page" : undefined}
            >
              {name}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <Page route={current} />
      </main>
    </>
  );
}

function Page(props: { readonly route: Route }): JSX.Element {
  const { route: current } = props;
  switch (current.page) {
    case "home":
      return <Home />;
    case "runs":
      return <RunsPage {...(current.status === undefined ? {} : { status: current.status })} />;
    case "run":
      return <RunPage key={current.runId} runId={current.runId} />;
    case "trends":
      return <TrendsPage by={current.by} />;
    case "services":
      return <ServicesPage />;
    case "unknown":
      return (
        <p>
          No page at <code>{current.hash}</code>. <a href="#/runs">See the runs.</a>
        </p>
      );
    default:
      return current satisfies never;
  }
}

/** The live run when one is running, else the runs list. */
function Home(): JSX.Element {
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    getJson<RunsBody>("/api/v1/runs?status=running&limit=1", abort.signal).then(
      (body) => {
        const live = body.runs[0];
        if (live !== undefined) location.replace(routeHash({ page: "run", runId: live.runId }));
        else setChecked(true);
      },
      () => setChecked(true),
    );
    return () => abort.abort();
  }, []);
  return checked ? <RunsPage /> : <p class="muted">Looking for a live run…</p>;
}
