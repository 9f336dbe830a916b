import { useEffect, useState } from "preact/hooks";
import { errorText, getJson } from "./api.js";

/** A GET's state: loading, its body, or why it failed. */
export type Fetched<T> =
  | { readonly state: "loading" }
  | { readonly state: "ok"; readonly body: T }
  | { readonly state: "error"; readonly message: string };

/** GETs `path` (again when it changes, and every `everyMs` when given); aborted on unmount. */
export function useApi<T>(path: string, everyMs?: number): Fetched<T> {
  const [fetched, setFetched] = useState<Fetched<T>>({ state: "loading" });
  useEffect(() => {
    const abort = new AbortController();
    setFetched({ state: "loading" });
    const load = (): void => {
      getJson<T>(path, abort.signal).then(
        (body) => setFetched({ state: "ok", body }),
        (error: unknown) => {
          if (!abort.signal.aborted) setFetched({ state: "error", message: errorText(error) });
        },
      );
    };
    load();
    const timer = everyMs === undefined ? undefined : setInterval(load, everyMs);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [path, everyMs]);
  return fetched;
}
