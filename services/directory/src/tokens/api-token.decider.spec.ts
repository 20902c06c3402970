import { hashApiToken, type DirectoryEvent } from '@gate/events';
import { apiTokenDecider, type ApiTokenCommand } from './api-token.decider';
import { generateApiToken } from './token-secret';

const given = (...history: DirectoryEvent[]) => ({
  when: (command: ApiTokenCommand) => apiTokenDecider.decide(command, history.reduce(apiTokenDecider.evolve, apiTokenDecider.initialState())),
});
const hash = hashApiToken('gat_example');
const issued: DirectoryEvent = { type: 'ApiTokenIssued', data: { tokenId: 't1', principal: 'svc:ci', name: 'ci', tokenHash: hash, expiresAt: null } };

describe('api token decider', () => {
  it('issues a token with its hash, revokes it once', () => {
    expect(given().when({ type: 'IssueApiToken', tokenId: 't1', principal: 'svc:ci', name: 'ci', tokenHash: hash, expiresAt: null })).toEqual([issued]);
    const revoked: DirectoryEvent = { type: 'ApiTokenRevoked', data: { tokenId: 't1' } };
    expect(given(issued).when({ type: 'RevokeApiToken', tokenId: 't1' })).toEqual([revoked]);
    expect(() => given(issued, revoked).when({ type: 'RevokeApiToken', tokenId: 't1' })).toThrow(expect.objectContaining({ code: 'DIRECTORY.TOKEN_REVOKED' }));
    expect(() => given().when({ type: 'RevokeApiToken', tokenId: 't1' })).toThrow(expect.objectContaining({ code: 'DIRECTORY.TOKEN_NOT_FOUND' }));
  });
});

describe('token secrets', () => {
  it('are gat_ + 43 base64url characters, random, hashed to 43 base64url characters', () => {
    const a = generateApiToken();
    expect(a).toMatch(/^gat_[A-Za-z0-9_-]{43}$/);
    expect(generateApiToken()).not.toBe(a);
    expect(hashApiToken(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashApiToken(a)).toBe(hashApiToken(a));
    // sha256("abc"), a known vector, base64url
    expect(hashApiToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});
