/** One option of a command: what parseArgs reads, and what `--help` and docs/cli.md say of it. */
export interface OptionDoc {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  /** The value's name in the help (`FILE`, `N`, `[RUN]`); none for a flag. */
  readonly value?: string;
  /**
   * For a string option whose value may be left out (`--resume [RUN]`): the next argument is its
   * value only when `takes` accepts it (else it stays a task's name), and the option alone means
   * `alone`. `--name=value` is always its value.
   */
  readonly optional?: { readonly takes: RegExp; readonly alone: string };
  /** What it does, with its default; each further line continues under the first. */
  readonly help: readonly string[];
}

/** A command's options by long name (without `--`). */
export type OptionDocs = Readonly<Record<string, OptionDoc>>;

/** Everything `parex COMMAND --help` prints. */
export interface CommandDoc {
  /** `parex plan [TASK...] [options]` */
  readonly usage: string;
  /** What the command does, as lines. */
  readonly about: readonly string[];
  readonly options: OptionDocs;
  /** Lines after the options (environment, exit codes). Default: none. */
  readonly footer?: readonly string[];
}

const helpOption: OptionDoc = { type: "boolean", short: "h", help: ["show this help"] };

/** The option as the help's first column shows it: `  -c, --config FILE`. */
export function optionLabel(name: string, option: OptionDoc): string {
  const short = option.short === undefined ? "    " : `-${option.short}, `;
  return `  ${short}--${name}${option.value === undefined ? "" : ` ${option.value}`}`;
}

/** `parex COMMAND --help`: every option in one aligned column, `-h, --help` last. */
export function helpText(doc: CommandDoc): string {
  const options: [string, OptionDoc][] = [...Object.entries(doc.options), ["help", helpOption]];
  const labels = options.map(([name, option]) => optionLabel(name, option));
  const width = Math.max(...labels.map((label) => label.length)) + 2;
  const rows = options.flatMap(([, option], i) =>
    option.help.map((line, j) => `${(j === 0 ? (labels[i] ?? "") : "").padEnd(width)}${line}`),
  );
  const footer = doc.footer === undefined ? [] : ["", ...doc.footer];
  return [`Usage: ${doc.usage}`, "", ...doc.about, "", "Options:", ...rows, ...footer].join("\n");
}
