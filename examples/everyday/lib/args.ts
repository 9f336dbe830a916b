/**
 * What a recipe is told on its command line: `--size N` (or `--size=N`, or the RECIPE_SIZE
 * variable) sets how much work it does; other `--name value` options are read by name.
 */
const argv = process.argv.slice(2);

/** The value of `--name value` or `--name=value`, if given. */
export function option(name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  if (at !== -1) return argv[at + 1];
  const joined = argv.find((arg) => arg.startsWith(`--${name}=`));
  return joined?.slice(name.length + 3);
}

/** Whether the flag `--name` is given. */
export function flag(name: string): boolean {
  return argv.includes(`--${name}`);
}

/** A whole number ≥ 0 from `--name` (or `variable`), else `fallback`; anything else exits 2. */
export function count(name: string, fallback: number, variable?: string): number {
  const given = option(name) ?? (variable === undefined ? undefined : process.env[variable]);
  if (given === undefined || given === "") return fallback;
  const value = Number(given);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`Expected \`--${name}\` to be a whole number ≥ 0, got \`${given}\``);
    process.exit(2);
  }
  return value;
}

/** The recipe's size: `--size`, else RECIPE_SIZE, else `fallback` (its real size by hand). */
export function size(fallback: number): number {
  return count("size", fallback, "RECIPE_SIZE");
}
