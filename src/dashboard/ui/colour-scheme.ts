import { useEffect, useState } from "preact/hooks";

const query = "(prefers-color-scheme: dark)";

/** The system's colour scheme, followed as it changes: charts drawn on canvas redraw in it. */
export function useColourScheme(): "light" | "dark" {
  const [dark, setDark] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const media = matchMedia(query);
    const onChange = (): void => setDark(media.matches);
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, []);
  return dark ? "dark" : "light";
}
