import { Migration } from '@mikro-orm/migrations';

/**
 * Login state kept server-side while the browser is at the provider: one row per login in
 * progress, keyed by its `state`, bound to the browser id of the `__Host-gate_login` cookie.
 */
export class Migration20261123100000LoginState extends Migration {
  override async up(): Promise<void> {
    const s = schemaOf(this.config.get('schema'));
    this.addSql(`create table ${s}."login_state" (
      "state" text primary key,
      "browser_id" text not null,
      "nonce" text not null,
      "code_verifier" text not null,
      "provider" text not null,
      "return_url" text not null,
      "created_at" timestamptz not null default now(),
      "expires_at" timestamptz not null
    );`);
    this.addSql(`create index "login_state_browser_idx" on ${s}."login_state" ("browser_id", "created_at");`);
    this.addSql(`create index "login_state_expires_idx" on ${s}."login_state" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists ${schemaOf(this.config.get('schema'))}."login_state";`);
  }
}

function schemaOf(schema: unknown): string {
  const name = typeof schema === 'string' ? schema : 'login';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}
