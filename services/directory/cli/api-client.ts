import { readFileSync } from 'node:fs';

/** An error answer of the directory API (or no answer at all), as the CLI reports it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where the API is and who we are: from flags, else GATE_URL / GATE_TOKEN / GATE_TOKEN_FILE. */
export interface Connection {
  url: string;
  token: string;
}

/** Resolves the connection from the global options and the environment; throws a usage error. */
export function connectionOf(options: { url?: string; token?: string; tokenFile?: string }, env: NodeJS.ProcessEnv): Connection {
  const url = (options.url ?? env.GATE_URL ?? 'http://localhost:4182').replace(/\/+$/, '');
  const file = options.tokenFile ?? (options.token ? undefined : env.GATE_TOKEN_FILE);
  let token = options.token ?? (file ? undefined : env.GATE_TOKEN);
  if (file) {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ApiError(`cannot read the token file ${file} (${(error as NodeJS.ErrnoException).code ?? error})`, 0, 'CLI.TOKEN_FILE');
    }
  }
  if (!token) throw new ApiError('no API token: pass --token-file <file> or set GATE_TOKEN_FILE (or GATE_TOKEN)', 0, 'CLI.NO_TOKEN');
  return { url, token };
}

/** A thin client of the admin API at `<url>/api/directory`. */
export class DirectoryApiClient {
  constructor(private readonly connection: Connection) {}

  get<T = any>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    const qs = params.toString();
    return this.call('GET', qs ? `${path}?${qs}` : path);
  }

  post<T = any>(path: string, body: unknown): Promise<T> {
    return this.call('POST', path, body);
  }

  put<T = any>(path: string, body: unknown): Promise<T> {
    return this.call('PUT', path, body);
  }

  patch<T = any>(path: string, body: unknown): Promise<T> {
    return this.call('PATCH', path, body);
  }

  delete<T = any>(path: string): Promise<T> {
    return this.call('DELETE', path);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.connection.url}/api/directory${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.connection.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new ApiError(`cannot reach ${this.connection.url} (${(error as Error).cause ?? (error as Error).message})`, 0, 'CLI.UNREACHABLE');
    }
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(err?.message ?? `HTTP ${res.status}`, res.status, err?.code ?? `HTTP.${res.status}`);
    }
    return json as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `alice@example.com` → `alice%40example.com`, for a path segment. */
export const seg = (s: string) => encodeURIComponent(s);
