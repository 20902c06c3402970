import type { IncomingHttpHeaders } from 'node:http';
import { BoundedMap } from '@gate/bounded-map';

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
  if (typeof accept !== 'string') return false;
  if (accept.length > MAX_REMEMBERED_LENGTH) return acceptsHtml(accept);
  let html = seenAccepts.get(accept);
  if (html === undefined) {
    html = acceptsHtml(accept);
    seenAccepts.set(accept, html);
  }
  return html;
}

const MAX_REMEMBERED_LENGTH = 512;

/**
 * Browsers send a handful of distinct `Accept` values: each is parsed once, not per request. At
 * most 256 values of at most 512 characters are remembered (FIFO: a hit is a plain `Map.get`), so
 * odd clients cannot fill memory. One per process, like the values it holds.
 */
export const seenAccepts = new BoundedMap<string, boolean>(256);

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
