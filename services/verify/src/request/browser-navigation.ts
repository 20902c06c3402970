import type { IncomingHttpHeaders } from 'node:http';

/**
 * True for a browser navigation, which is sent to log in (302) rather than refused (401): a GET or
 * HEAD whose `Accept` lists `text/html` with q > 0, with no `Authorization` header and no
 * `X-Requested-With: XMLHttpRequest`.
 */
export function isBrowserNavigation(method: string, headers: IncomingHttpHeaders): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (headers.authorization !== undefined) return false;
  const xrw = headers['x-requested-with'];
  if (typeof xrw === 'string' && xrw.toLowerCase() === 'xmlhttprequest') return false;
  const accept = headers.accept;
  return typeof accept === 'string' && acceptsHtml(accept);
}

/** True when an `Accept` value lists `text/html` with a q-value above 0. */
export function acceptsHtml(accept: string): boolean {
  if (!accept.toLowerCase().includes('text/html')) return false;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';');
    if (type.trim().toLowerCase() !== 'text/html') continue;
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}
