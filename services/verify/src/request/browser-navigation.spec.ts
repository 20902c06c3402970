import { acceptsHtml, isBrowserNavigation, seenAccepts } from './browser-navigation';

const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('telling a browser navigation (302) from an API client (401)', () => {
  it('is a GET or HEAD that accepts HTML', () => {
    expect(isBrowserNavigation('GET', { accept: html })).toBe(true);
    expect(isBrowserNavigation('HEAD', { accept: html })).toBe(true);
  });

  it('is not a POST, an OPTIONS preflight, curl, fetch/XHR or a bearer client', () => {
    expect(isBrowserNavigation('POST', { accept: html })).toBe(false);
    expect(isBrowserNavigation('OPTIONS', { accept: html })).toBe(false);
    expect(isBrowserNavigation('GET', { accept: '*/*' })).toBe(false);
    expect(isBrowserNavigation('GET', {})).toBe(false);
    expect(isBrowserNavigation('GET', { accept: html, 'x-requested-with': 'XMLHttpRequest' })).toBe(false);
    expect(isBrowserNavigation('GET', { accept: html, authorization: 'Bearer x' })).toBe(false);
  });

  it('reads q-values: text/html;q=0 is a refusal', () => {
    expect(acceptsHtml('text/html;q=0, */*')).toBe(false);
    expect(acceptsHtml('text/html; q=0.1')).toBe(true);
    expect(acceptsHtml('TEXT/HTML')).toBe(true);
    expect(acceptsHtml('text/htmlx, application/json')).toBe(false);
    expect(acceptsHtml('application/json, text/html ;q=0.5')).toBe(true);
  });

  it('gives the same answer for an Accept value it has seen, including past the values it remembers', () => {
    for (let i = 0; i < 600; i++) {
      const accept = i % 2 === 0 ? `text/html;q=0.${(i % 9) + 1}, x/${i}` : `text/html;q=0, x/${i}`;
      expect(isBrowserNavigation('GET', { accept })).toBe(i % 2 === 0);
      expect(isBrowserNavigation('GET', { accept })).toBe(i % 2 === 0);
    }
    const long = `${'x/y;a=b, '.repeat(100)}text/html`;
    expect([isBrowserNavigation('GET', { accept: long }), isBrowserNavigation('GET', { accept: long })]).toEqual([true, true]);
  });

  it('remembers at most 256 Accept values, the oldest going first, and still answers right for every one', () => {
    const values = Array.from({ length: 300 }, (_, i) => `text/html;level=${i}`);
    const evicted = seenAccepts.evictions.count;
    expect(values.every((accept) => isBrowserNavigation('GET', { accept }))).toBe(true);
    expect(seenAccepts.size).toBe(256);
    expect(seenAccepts.has(values[299]) && !seenAccepts.has(values[0])).toBe(true);
    expect(seenAccepts.evictions.count - evicted).toBeGreaterThanOrEqual(44);
    expect(isBrowserNavigation('GET', { accept: values[0] })).toBe(true);
  });
});
