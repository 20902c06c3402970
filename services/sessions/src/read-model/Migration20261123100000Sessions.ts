import { Migration } from '@mikro-orm/migrations';

/** The sessions read model: one row per session, as `sessions.lookup` and the pages see it. */
export class Migration20261123100000Sessions extends Migration {
  override async up(): Promise<void> {
    const s = quote(this.config.get('schema') ?? 'public');
    this.addSql(`create table ${s}."session" (
      "session_id" text primary key,
      "user_id" text not null,
      "email" text not null,
      "name" text not null,
      "groups" jsonb not null,
      "provider" text not null,
      "client_ip" text,
      "user_agent" text,
      "started_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "idle_timeout_ms" bigint,
      "last_seen_at" timestamptz,
      "status" text not null check ("status" in ('active', 'revoked', 'expired')),
      "ended_at" timestamptz,
      "end_reason" text,
      "position" bigint not null
    );`);
    this.addSql(`create index "session_user_idx" on ${s}."session" ("user_id", "started_at");`);
    this.addSql(`create index "session_active_expiry_idx" on ${s}."session" ("expires_at") where "status" = 'active';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists ${quote(this.config.get('schema') ?? 'public')}."session";`);
  }
}

function quote(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`unsafe schema name ${schema}`);
  return `"${schema}"`;
}
