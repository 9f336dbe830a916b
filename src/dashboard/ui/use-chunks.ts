import { useEffect, useState } from "preact/hooks";
import { chunkEnd } from "../model/graph-tiles.js";
import type { GraphTile } from "../model/graph-tiles.js";

/**
 * How many of `tiles` to draw: the first chunk of `budget` nodes at once, then one more chunk
 * per animation frame, so that a graph of thousands of tasks goes into the page over a few
 * frames instead of in one task that freezes it (docs/dashboard.md, "Performance").
 */
export function useChunks(tiles: readonly GraphTile[], budget: number): number {
  const [drawn, setDrawn] = useState({ tiles, count: chunkEnd(tiles, 0, budget) });
  const count = drawn.tiles === tiles ? drawn.count : chunkEnd(tiles, 0, budget);
  useEffect(() => {
    if (count >= tiles.length) return undefined;
    const frame = requestAnimationFrame(() =>
      setDrawn({ tiles, count: chunkEnd(tiles, count, budget) }),
    );
    return () => cancelAnimationFrame(frame);
  }, [tiles, count, budget]);
  return count;
}
