/**
 * README with the generated block between `start` and `end` (both markers kept) replaced by
 * `block`, which must itself begin with `start` and end with `end`. Throws when the markers are
 * missing, so a renamed heading cannot silently stop the docs from being checked.
 */
export function replaceBlock(readme: string, start: string, end: string, block: string): string {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no "${start}" … "${end}" markers`);
  return readme.slice(0, a) + block + readme.slice(b + end.length);
}
