import { useEffect, useState } from "preact/hooks";
import { chunkEnd } from "../model/graph-tiles.js";
import type { GraphTile } from "../model/graph-tiles.js";

/**
 * How many of `tiles` to draw: the first `inView` (what the graph's box shows) at once, then a
 * chunk of `budget` nodes more per animation frame. A graph of thousands of tasks goes into the
 * page over a few frames instead of in one task that freezes it (docs/dashboard.md,
 * "Performance").
 */
export function useChunks(tiles: readonly GraphTile[], budget: number, inView: number): number {
  const [drawn, setDrawn] = useState({ tiles, count: inView });
  const count = drawn.tiles === tiles ? drawn.count : inView;
  useEffect(() => {
    if (count >= tiles.length) return undefined;
    const frame = requestAnimationFrame(() =>
      setDrawn({ tiles, count: chunkEnd(tiles, count, budget) }),
    );
    return () => cancelAnimationFrame(frame);
  }, [tiles, count, budget]);
  return count;
}
