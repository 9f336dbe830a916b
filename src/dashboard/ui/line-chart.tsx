import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useColourScheme } from "./colour-scheme.js";

/** A line of a chart. */
export interface Line {
  readonly label: string;
  /** A CSS custom property of the dashboard's palette, e.g. `--succeeded`. */
  readonly colour: string;
  readonly values: readonly (number | null)[];
  readonly dash?: readonly number[];
  /** Draw only the points (a measurement), no line. */
  readonly pointsOnly?: boolean;
}

/** What a line chart draws. */
export interface LineChartProps {
  /** Said to screen readers. */
  readonly label: string;
  readonly x: readonly number[];
  readonly lines: readonly Line[];
  /** x is a time in seconds since the epoch. */
  readonly time?: boolean;
  readonly formatY?: (value: number) => string;
  readonly formatX?: (value: number) => string;
  /** The legend's name of x. Default "time", or "x". */
  readonly xLabel?: string;
  /** Half the x range around a single value. Default: a day for times, else 1. */
  readonly xPad?: number;
  /** x takes whole values only (slots): ticks at 1, 2, 5, 10, ... */
  readonly wholeX?: boolean;
  readonly height?: number;
}

const day = 86_400;

/**
 * x's range: the data's, widened around a single value, which has no width of its own (uPlot
 * widens a single time by 86,400 / ms: 2.7 years for times in seconds).
 */
function xRange(pad: number) {
  return (plot: uPlot, min: number, max: number): uPlot.Range.MinMax => {
    const xs = plot.data[0];
    if (xs.length !== 1) return [min, max];
    const x = xs[0] ?? 0;
    return [x - pad, x + pad];
  };
}

const css = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";

/** A uPlot line chart that fills its container's width, in the dashboard's colours. */
export function LineChart(props: LineChartProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const scheme = useColourScheme();
  const shape = `${props.lines.map((l) => l.label).join("|")}|${scheme}|${props.time === true}`;
  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const plot = new uPlot(options(props, element.clientWidth), data(props), element);
    chart.current = plot;
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: element.clientWidth, height: props.height ?? 220 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = undefined;
    };
    // Rebuilt only when the lines or the colours change; new data goes through setData below.
  }, [shape]);
  useEffect(() => chart.current?.setData(data(props)), [props.x, props.lines]);
  return <div ref={box} role="img" aria-label={props.label} data-points={props.x.length} />;
}

function data(props: LineChartProps): uPlot.AlignedData {
  return [props.x as number[], ...props.lines.map((line) => line.values as (number | null)[])];
}

function options(props: LineChartProps, width: number): uPlot.Options {
  const muted = css("--muted");
  const grid = { stroke: css("--line"), width: 1 };
  const formatY = props.formatY;
  const formatX = props.formatX;
  return {
    width: Math.max(200, width),
    height: props.height ?? 220,
    scales: {
      x: {
        time: props.time === true,
        range: xRange(props.xPad ?? (props.time === true ? day : 1)),
      },
    },
    axes: [
      {
        stroke: muted,
        grid,
        ticks: grid,
        ...(props.wholeX === true ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] } : {}),
        ...(formatX ? { values: (_: uPlot, ticks: number[]) => ticks.map(formatX) } : {}),
      },
      {
        stroke: muted,
        grid,
        ticks: grid,
        size: 64,
        ...(formatY ? { values: (_: uPlot, ticks: number[]) => ticks.map(formatY) } : {}),
      },
    ],
    series: [
      {
        label: props.xLabel ?? (props.time === true ? "time" : "x"),
        ...(formatX
          ? { value: (_: uPlot, v: number | null) => (v === null ? "-" : formatX(v)) }
          : {}),
      },
      ...props.lines.map((line): uPlot.Series => ({
        label: line.label,
        stroke: css(line.colour),
        width: 2,
        ...(line.dash ? { dash: [...line.dash] } : {}),
        ...(formatY
          ? { value: (_: uPlot, v: number | null) => (v === null ? "-" : formatY(v)) }
          : {}),
        ...(line.pointsOnly
          ? { paths: () => null, points: { show: true, size: 10, fill: css(line.colour) } }
          : { points: { show: true, size: 5 } }),
      })),
    ],
  };
}
