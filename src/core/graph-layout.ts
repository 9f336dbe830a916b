/** A laid-out task: its box's top-left corner and size, in px. */
export interface NodeBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A laid-out dependency edge, from the dependency to its dependent. */
export interface EdgePath {
  readonly from: string;
  readonly to: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/**
 * A task graph laid out left to right, dependencies first, as the dashboard draws it: by dagre,
 * in the page, or once per graph by the runner and kept beside the history, so that a large
 * run's graph appears without the seconds its layout takes.
 */
export interface GraphLayout {
  readonly nodes: readonly NodeBox[];
  readonly edges: readonly EdgePath[];
  readonly width: number;
  readonly height: number;
}
