/**
 * Every value of the cookie `name` in a Cookie header, in order (a browser may send several: a
 * parent-domain copy, a stale one). Never throws; a value is not URL-decoded (tokens need not be).
 */
export function cookieValues(header: string | string[] | undefined, name: string): string[] {
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  if (text.length > 16_384) return [];
  const values: string[] = [];
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
  }
  return values.slice(0, 8);
}
