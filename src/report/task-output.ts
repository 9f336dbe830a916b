import { LineSplitter } from "../core/index.js";
import { size } from "./format.js";

/** How much of a task's output a terminal shows; the log file keeps all of it. */
export interface OutputLimits {
  /** Characters of one line shown; the rest of the line is counted. Default 4,096. */
  readonly lineLimit?: number;
  /** Characters of a task's output kept until it ends, for grouped mode. Default 1 MiB. */
  readonly groupLimit?: number;
  /** Whether log files keep the whole output (the note on a cut says where the rest is). Default false. */
  readonly logged?: boolean;
}

const defaultLineLimit = 4096;
const defaultGroupLimit = 1 << 20;

/** What replaces the part of a line or of an output that is not shown. */
function cutNote(cut: number, what: string, logged: boolean): string {
  return `… (${size(cut)} more${what}${logged ? ", in the log file" : " not shown"})`;
}

/**
 * Each task's output, split into lines as it arrives (a long line cut after `lineLimit`
 * characters), for stream mode: a line is handed on the moment its newline arrives.
 */
export class StreamedLines {
  readonly #splitters = new Map<string, LineSplitter>();
  readonly #limit: number;
  readonly #logged: boolean;
  readonly #onLine: (taskId: string, line: string) => void;

  constructor(limits: OutputLimits, onLine: (taskId: string, line: string) => void) {
    this.#limit = limits.lineLimit ?? defaultLineLimit;
    this.#logged = limits.logged === true;
    this.#onLine = onLine;
  }

  /** Takes a chunk of a task's output. */
  push(taskId: string, chunk: string): void {
    let splitter = this.#splitters.get(taskId);
    if (splitter === undefined) {
      splitter = new LineSplitter(this.#limit, (line, cut) =>
        this.#onLine(taskId, cut === 0 ? line : `${line}${cutNote(cut, "", this.#logged)}`),
      );
      this.#splitters.set(taskId, splitter);
    }
    splitter.push(chunk);
  }

  /** Ends a task's output: its unfinished last line, if any, is handed on. */
  end(taskId: string): void {
    this.#splitters.get(taskId)?.end();
    this.#splitters.delete(taskId);
  }
}

interface Group {
  readonly chunks: string[];
  kept: number;
  cut: number;
}

/**
 * Each task's output kept until the task ends, for grouped mode: the first `groupLimit`
 * characters, the rest only counted.
 */
export class GroupedOutput {
  readonly #groups = new Map<string, Group>();
  readonly #limits: OutputLimits;
  readonly #groupLimit: number;

  constructor(limits: OutputLimits) {
    this.#limits = limits;
    this.#groupLimit = limits.groupLimit ?? defaultGroupLimit;
  }

  /** Takes a chunk of a task's output. */
  push(taskId: string, chunk: string): void {
    let group = this.#groups.get(taskId);
    if (group === undefined) {
      group = { chunks: [], kept: 0, cut: 0 };
      this.#groups.set(taskId, group);
    }
    const room = this.#groupLimit - group.kept;
    const take = Math.min(room, chunk.length);
    if (take > 0) group.chunks.push(take === chunk.length ? chunk : chunk.slice(0, take));
    group.kept += take;
    group.cut += chunk.length - take;
  }

  /** The task's output as lines (long ones cut), with a note when some was left out; then forgets it. */
  take(taskId: string): string[] {
    const group = this.#groups.get(taskId);
    this.#groups.delete(taskId);
    if (group === undefined) return [];
    const lines: string[] = [];
    const split = new StreamedLines(this.#limits, (_, line) => lines.push(line));
    for (const chunk of group.chunks) split.push(taskId, chunk);
    split.end(taskId);
    if (group.cut > 0) lines.push(cutNote(group.cut, " output", this.#limits.logged === true));
    return lines;
  }
}
