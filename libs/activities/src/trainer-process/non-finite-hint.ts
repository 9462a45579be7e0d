/**
 * Python's json.dumps writes NaN and Infinity, which are not JSON: name the likely cause (a
 * diverged run) and the fix instead of only "not JSON".
 */
export function nonFiniteHint(line: string): string {
  return /(^|[^\w"])-?(NaN|Infinity)([^\w"]|$)/.test(line)
    ? ' — NaN/Infinity are not JSON: the loss probably diverged (try a lower learning rate); drop non-finite values before printing (Python: json.dumps(..., allow_nan=False) finds them)'
    : '';
}
