const SLASH = 47;

/**
 * True when a normalised path lies under a normalised prefix, whole segments only: `/admin` covers
 * `/admin`, `/admin/` and `/admin/x` but not `/adminx`; `/admin/` covers `/admin/` and below but
 * not `/admin`; `/` covers every path. With `ignoreCase`, ASCII letters match either case (other
 * characters must match exactly, so no Unicode folding surprises such as the Kelvin sign).
 * Allocates nothing.
 */
export function pathHasPrefix(path: string, prefix: string, ignoreCase: boolean): boolean {
  const length = prefix.length;
  if (path.length < length) return false;
  // The segment boundary first: one comparison that turns most paths away before any string work.
  if (
    path.length !== length &&
    path.charCodeAt(length) !== SLASH &&
    prefix.charCodeAt(length - 1) !== SLASH
  ) {
    return false;
  }
  if (!ignoreCase) return path.startsWith(prefix);
  for (let i = 0; i < length; i++) {
    let a = path.charCodeAt(i);
    let b = prefix.charCodeAt(i);
    if (a === b) continue;
    if (a >= 65 && a <= 90) a |= 0x20;
    if (b >= 65 && b <= 90) b |= 0x20;
    if (a !== b) return false;
  }
  return true;
}
