import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUS_USERS, busPermissions, busPermissionsTable, inboxPrefixOf } from './bus-permissions';

describe('who may say what on the bus', () => {
  it('lets each writer publish only its own context, and verify and reader nothing on auth.>', () => {
    const auth = (user: (typeof BUS_USERS)[number]) => busPermissions(user).publish.filter((s) => s.startsWith('auth.'));
    expect([auth('directory'), auth('sessions'), auth('login'), auth('verify'), auth('reader')]).toEqual([['auth.directory.>'], ['auth.sessions.>'], ['auth.login.>'], [], []]);
  });

  it('lets nobody delete, purge or reconfigure streams but its own, nor subscribe to the inbox of another', () => {
    for (const user of BUS_USERS) {
      const p = busPermissions(user);
      expect(p.publish.filter((s) => /STREAM\.(DELETE|PURGE)|\$JS\.API\.>|^>$/.test(s))).toEqual([]);
      expect(p.subscribe.filter((s) => s.startsWith('_INBOX'))).toEqual([`${inboxPrefixOf(user)}.>`]);
    }
  });

  it('is the table the README shows', () => {
    expect(readFileSync(join(__dirname, '../../../README.md'), 'utf8')).toContain(busPermissionsTable());
  });
});
