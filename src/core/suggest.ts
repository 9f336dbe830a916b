/**
 * Returns the candidate closest to `word` by edit distance, if it is close enough to be a likely
 * typo. `except` is never suggested: the item the word was written in (a task that names an
 * unknown dependency cannot have meant itself).
 */
export function suggest(
  word: string,
  candidates: Iterable<string>,
  except?: string,
): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === except || Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions counted as one edit ("biuld" → "build"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        at(d, (i - 1) * cols + j) + 1,
        at(d, i * cols + j - 1) + 1,
        at(d, (i - 1) * cols + j - 1) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(d, (i - 2) * cols + j - 2) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return at(d, rows * cols - 1);
}

function at(values: readonly number[], index: number): number {
  return values[index] ?? 0;
}

/** What {@link unknownNameHint} says about the names there are. */
export interface NameHintOptions {
  /** Names them when no close one is found: `Known ${what}: a, b.` (the first 20). */
  readonly what: string;
  /** Said instead when there are no names at all; empty says nothing. */
  readonly none: string;
}

/**
 * The closing sentence of an "unknown name" error, with its leading space: the likely typo as a
 * question, else the names there are, else `none`.
 */
export function unknownNameHint(
  word: string,
  names: readonly string[],
  options: NameHintOptions,
): string {
  const guess = suggest(word, names);
  if (guess !== undefined) return ` Did you mean "${guess}"?`;
  if (names.length === 0) return options.none === "" ? "" : ` ${options.none}`;
  const more = names.length > shownNames ? `, … (${names.length - shownNames} more)` : "";
  return ` Known ${options.what}: ${names.slice(0, shownNames).join(", ")}${more}.`;
}

const shownNames = 20;
