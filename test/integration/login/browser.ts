/**
 * A minimal browser for driving logins with fetch: a cookie jar per origin (host and port), no
 * automatic redirects, and a `follow` that walks a redirect chain until told to stop.
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  /** The cookies this browser holds for an origin such as `http://127.0.0.1:4181`. */
  cookies(origin: string): Map<string, string> {
    let c = this.jar.get(origin);
    if (!c) this.jar.set(origin, (c = new Map()));
    return c;
  }

  /** One request; stores the cookies it sets (Max-Age=0 deletes). */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.cookies(origin);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      // The session cookie belongs to the app's domain, not the auth host: tests read it from headers.
      if (attrs.some((a) => /^\s*domain=/i.test(a))) continue;
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1).trim());
    }
    return res;
  }

  /**
   * GETs `url` and follows redirects while `keepGoing(nextUrl)` holds; returns the last response
   * and the URL it was fetched from. Relative Locations are resolved.
   */
  async follow(url: string, keepGoing: (next: URL) => boolean, maxHops = 10): Promise<{ res: Response; url: string }> {
    let current = url;
    for (let i = 0; i < maxHops; i++) {
      const res = await this.request(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      const next = new URL(location, current);
      if (!keepGoing(next)) return { res, url: current };
      current = next.href;
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }
}

/** The Set-Cookie header of `name` in a response, parsed into value and attributes (lower-case names). */
export function setCookieOf(res: Response, name: string): { value: string; attrs: Record<string, string | true> } | undefined {
  const line = res.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attrs] = line.split(';').map((s) => s.trim());
  return {
    value: pair.slice(name.length + 1),
    attrs: Object.fromEntries(attrs.map((a) => {
      const eq = a.indexOf('=');
      return eq < 0 ? [a.toLowerCase(), true] : [a.slice(0, eq).toLowerCase(), a.slice(eq + 1)];
    })),
  };
}
