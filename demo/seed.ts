/** What the demo seeds through the directory's admin API (so a restart changes nothing). */
export async function seedDemo(directoryUrl: string, token: string, domain: string): Promise<void> {
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${directoryUrl}/api/directory${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // 409: already there from an earlier start.
    if (!res.ok && res.status !== 409) throw new Error(`seeding ${path}: ${res.status} ${await res.text()}`);
  };
  await call('/groups', { id: 'staff', name: 'Staff' });
  await call('/groups/staff/members', { member: `bob@${domain}` });
  await call('/rules', { id: 'demo-app', priority: 100, host: `app.${domain}`, effect: 'allow', subjects: { groups: ['staff', 'admins'] } });
  await call('/rules', { id: 'demo-app-public', priority: 50, host: `app.${domain}`, paths: ['/public'], effect: 'public' });
  await call('/rules', { id: 'demo-admin', priority: 100, host: `admin.${domain}`, effect: 'allow', subjects: { groups: ['admins'] } });
}
