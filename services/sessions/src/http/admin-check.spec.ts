import type { ClientProxy } from '@nestjs/microservices';
import { of } from 'rxjs';
import { ADMIN_CACHE_MAX, AdminCheck } from './admin-check';

function check(groupsOf: (id: string) => string[]) {
  let now = 0;
  const asked: string[] = [];
  const client = {
    send: (_pattern: string, data: { principalId: string }) => (asked.push(data.principalId), of({ exists: true, disabled: false, groups: groupsOf(data.principalId) })),
  } as unknown as ClientProxy;
  return { admin: new AdminCheck(client, { now: () => new Date(now) }), asked, advance: (ms: number) => (now += ms) };
}

describe('asking the directory whether a principal is an admin', () => {
  it('remembers the answer 10 s, and at most ADMIN_CACHE_MAX answers: expired ones go first, then the oldest', async () => {
    const { admin, asked, advance } = check((id) => (id === 'root@example.com' ? ['admins'] : []));
    expect([await admin.isAdmin('root@example.com'), await admin.isAdmin('root@example.com')]).toEqual([true, true]);
    expect(asked).toEqual(['root@example.com']);
    advance(10_000);
    for (let i = 0; i < ADMIN_CACHE_MAX; i++) await admin.isAdmin(`u${i}@example.com`);
    expect([admin.cache.size, admin.cache.evictions.count]).toEqual([ADMIN_CACHE_MAX, 0]);
    await admin.isAdmin('one-more@example.com');
    expect([admin.cache.size, admin.cache.evictions.count]).toEqual([ADMIN_CACHE_MAX, 1]);
    expect(await admin.isAdmin('u1@example.com')).toBe(false);
    expect(asked.filter((id) => id === 'u1@example.com')).toHaveLength(1);
  });
});
