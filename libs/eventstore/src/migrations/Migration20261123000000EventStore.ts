import { Migration } from '@mikro-orm/migrations';
import { quoteSchema } from '../schema-name';

/**
 * The event store's tables in the service's own schema: the append-only `event` log, the relay's
 * checkpoint and consumers' checkpoints.
 */
export class Migration20261123000000EventStore extends Migration {
  override async up(): Promise<void> {
    const s = quoteSchema(this.config.get('schema') ?? 'public');
    this.addSql(`create schema if not exists ${s};`);
    this.addSql(`create table ${s}."event" (
      "position" bigserial primary key,
      "id" uuid not null unique,
      "stream_id" text not null,
      "stream_version" integer not null check ("stream_version" > 0),
      "type" text not null,
      "schema_version" integer not null,
      "data" jsonb not null,
      "actor" text not null,
      "correlation_id" text not null,
      "occurred_at" timestamptz not null,
      constraint "event_stream_version_unique" unique ("stream_id", "stream_version")
    );`);
    this.addSql(`create table ${s}."relay_checkpoint" ("name" text primary key, "position" bigint not null);`);
    this.addSql(`insert into ${s}."relay_checkpoint" ("name", "position") values ('outbox', 0);`);
    this.addSql(`create table ${s}."consumer_checkpoint" (
      "consumer" text not null,
      "stream" text not null,
      "position" bigint not null,
      "stream_seq" bigint not null,
      primary key ("consumer", "stream")
    );`);
  }

  override async down(): Promise<void> {
    const s = quoteSchema(this.config.get('schema') ?? 'public');
    this.addSql(`drop table if exists ${s}."consumer_checkpoint";`);
    this.addSql(`drop table if exists ${s}."relay_checkpoint";`);
    this.addSql(`drop table if exists ${s}."event";`);
  }
}
