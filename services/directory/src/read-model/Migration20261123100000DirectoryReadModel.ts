import { Migration } from '@mikro-orm/migrations';

/**
 * The directory's read models, in the service's schema beside the event log: users, service
 * accounts, groups, members, rules and API tokens. Each resource row keeps its stream version
 * (the `ETag` of the API). Filled by `DirectoryProjection` in the append's transaction, except
 * `dir_api_token_use` (last use of a token), which is not derived from events.
 */
export class Migration20261123100000DirectoryReadModel extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema') ?? 'public'}"`;
    this.addSql(`create table ${s}."dir_user" (
      "id" text primary key, "email" text not null, "name" text not null, "disabled" boolean not null default false,
      "version" integer not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create table ${s}."dir_service_account" (
      "id" text primary key, "name" text not null, "version" integer not null, "created_at" timestamptz not null);`);
    this.addSql(`create table ${s}."dir_group" (
      "id" text primary key, "name" text not null, "version" integer not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create table ${s}."dir_member" (
      "group_id" text not null, "member" text not null, "added_at" timestamptz not null, primary key ("group_id", "member"));`);
    this.addSql(`create index "dir_member_member_idx" on ${s}."dir_member" ("member");`);
    this.addSql(`create table ${s}."dir_rule" (
      "id" text primary key, "priority" integer not null, "host" text not null, "effect" text not null, "rule" jsonb not null,
      "version" integer not null, "updated_at" timestamptz not null);`);
    this.addSql(`create table ${s}."dir_api_token" (
      "id" text primary key, "principal" text not null, "name" text not null, "token_hash" text not null unique,
      "expires_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null,
      "version" integer not null);`);
    // Last use is not an event (too chatty): kept apart, so that a projection rebuild keeps it.
    this.addSql(`create table ${s}."dir_api_token_use" ("token_id" text primary key, "last_used_at" timestamptz not null);`);
    this.addSql(`create index "dir_api_token_principal_idx" on ${s}."dir_api_token" ("principal");`);
  }

  override async down(): Promise<void> {
    const s = `"${this.config.get('schema') ?? 'public'}"`;
    for (const table of ['dir_api_token_use', 'dir_api_token', 'dir_rule', 'dir_member', 'dir_group', 'dir_service_account', 'dir_user']) {
      this.addSql(`drop table if exists ${s}."${table}";`);
    }
  }
}
