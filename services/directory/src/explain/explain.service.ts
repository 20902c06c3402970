import { Inject, Injectable } from '@nestjs/common';
import { compileRules, explain, normalizeHost, normalizePath, type Explanation } from '@gate/access-rules';
import { z } from 'zod';
import { DirectoryError } from '../directory-error';
import { parseInput } from '../input';
import { DirectoryReadModel } from '../read-model/directory-read-model';

const explainQuery = z.object({
  /** A user id (e-mail) or `svc:` id; absent for an anonymous visitor. */
  principal: z.string().trim().toLowerCase().optional(),
  method: z.string().trim().toUpperCase().regex(/^[A-Z]{1,20}$/, 'a method is 1-20 letters').default('GET'),
  url: z.string().url('an absolute URL such as https://wiki.example.com/admin'),
});

/** An explanation of one decision, with the request and principal it was made for. */
export interface ExplainedDecision extends Explanation {
  request: { host: string; path: string; method: string };
  principal: { id: string; exists: boolean; disabled: boolean; groups: string[] } | null;
}

/**
 * "Would alice@example.com get GET https://wiki.example.com/admin, and which rule decided?"
 * Answered by the same engine verify uses (`@gate/access-rules`), over the rules and groups in
 * the read model. A disabled principal is reported as such (verify refuses them before any rule).
 */
@Injectable()
export class ExplainService {
  constructor(@Inject(DirectoryReadModel) private readonly read: DirectoryReadModel) {}

  async explain(query: unknown): Promise<ExplainedDecision> {
    const input = parseInput(explainQuery, query);
    const url = new URL(input.url);
    const host = normalizeHost(url.host);
    if (host === null) throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', `url: ${JSON.stringify(url.host)} is not a host`);
    const path = normalizePath(url.pathname + url.search);
    if (!path.ok) throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', `url: the path is refused (${path.reason})`);
    const request = { host, path: path.path, method: input.method };
    const compiled = compileRules(await this.read.allRules().then((rules) => rules.map(({ version, updatedAt, ...rule }) => rule)));
    if (input.principal === undefined) return { ...explain(compiled, request, null), request, principal: null };
    const [state, groups] = await Promise.all([this.read.principal(input.principal), this.read.groupsOf(input.principal)]);
    const explanation = explain(compiled, request, { id: input.principal, groups: new Set(groups) });
    return { ...explanation, request, principal: { id: input.principal, ...state, groups } };
  }
}
