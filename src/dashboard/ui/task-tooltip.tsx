import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { TaskTable } from "../model/task-table.js";
import { barTitle } from "../model/task-words.js";

/** The hovered or focused task, and where its tooltip goes (viewport px). */
interface Tip {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

/** What a chart of tasks spreads on its SVG: one set of handlers for all its bars or nodes. */
export interface TaskHandlers {
  readonly onClick: (event: MouseEvent) => void;
  readonly onKeyDown: (event: KeyboardEvent) => void;
  readonly onPointerOver: (event: PointerEvent) => void;
  readonly onPointerLeave: () => void;
  readonly onFocusIn: (event: FocusEvent) => void;
  readonly onFocusOut: () => void;
}

const taskOf = (target: EventTarget | null): Element | null =>
  target instanceof Element ? target.closest("[data-task]") : null;

/**
 * Handlers for a chart whose elements carry `data-task` (delegated: a few listeners for
 * thousands of bars), and the tooltip they show on hover and on keyboard focus: the task's
 * times, attempts, CPU and memory. Click, Enter or Space selects the task.
 */
export function useTaskPointer(
  table: TaskTable,
  onSelect: (taskId: string) => void,
): { readonly handlers: TaskHandlers; readonly tooltip: JSX.Element | null } {
  const [tip, setTip] = useState<Tip | undefined>(undefined);
  const show = (element: Element | null, x?: number, y?: number): void => {
    const id = element?.getAttribute("data-task");
    if (element === null || id === null || id === undefined) return;
    // Over the same task again (another of its shapes): nothing to redraw.
    setTip((before) => {
      if (before?.id === id) return before;
      const box = element.getBoundingClientRect();
      return { id, x: x ?? box.left, y: y ?? box.bottom };
    });
  };
  const handlers: TaskHandlers = {
    onClick: (event) => {
      const id = taskOf(event.target)?.getAttribute("data-task");
      if (id !== null && id !== undefined) onSelect(id);
    },
    onKeyDown: (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      const id = taskOf(event.target)?.getAttribute("data-task");
      if (id === null || id === undefined) return;
      event.preventDefault();
      onSelect(id);
    },
    onPointerOver: (event) => show(taskOf(event.target), event.clientX, event.clientY + 16),
    onPointerLeave: () => setTip(undefined),
    onFocusIn: (event) => show(taskOf(event.target)),
    onFocusOut: () => setTip(undefined),
  };
  const row = tip === undefined ? undefined : table.get(tip.id);
  const tooltip =
    tip === undefined || row === undefined ? null : (
      <div
        class="tip"
        role="tooltip"
        data-tip-task={tip.id}
        style={{ left: `${Math.min(tip.x, innerWidth - 320)}px`, top: `${tip.y + 4}px` }}
      >
        {barTitle(row)}
      </div>
    );
  return { handlers, tooltip };
}
