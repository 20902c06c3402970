import { z } from 'zod';
import { Context, EventEnvelope, envelopeSchema } from './envelope';

/** A frozen older schema version of an event's data and the function that lifts it one version. */
export interface Upcaster<Old = any, New = unknown> {
  schema: z.ZodType<Old>;
  up(data: Old): New;
}

/** One event type: its latest data schema and version, and how older versions are upcast. */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  version: number;
  schema: S;
  /** `upcasters[n]` lifts data of version n to version n + 1. */
  upcasters?: Record<number, Upcaster>;
}

export type EventDefinitions = Record<string, EventDefinition>;

/** The domain event a decider returns: a type and the latest version's data. */
export type DomainEventOf<D extends EventDefinitions> = {
  [K in keyof D & string]: { type: K; data: z.infer<D[K]['schema']> };
}[keyof D & string];

/** A committed event of this catalog, typed by its discriminant. */
export type EnvelopeOf<D extends EventDefinitions> = {
  [K in keyof D & string]: EventEnvelope<K, z.infer<D[K]['schema']>>;
}[keyof D & string];

/** An event that is not valid for its type and version: never applied, never appended. */
export class InvalidEventError extends Error {
  readonly code = 'EVENTS.INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/**
 * The events of one context: validates data before it is appended, and validates and upcasts
 * events read back from Postgres or JetStream so that consumers only ever see the latest shape.
 */
export class EventCatalog<D extends EventDefinitions> {
  constructor(
    readonly context: Context,
    readonly definitions: D,
  ) {}

  /** True when this catalog defines `type`. */
  has(type: string): type is keyof D & string {
    return Object.prototype.hasOwnProperty.call(this.definitions, type);
  }

  /** The version that new events of `type` are written with. */
  latestVersion(type: keyof D & string): number {
    return this.definitions[type].version;
  }

  /** Checks a domain event's data against its latest schema; returns the parsed data. */
  validate(event: { type: string; data: unknown }): unknown {
    const def = this.definition(event.type);
    const parsed = def.schema.safeParse(event.data);
    if (!parsed.success) throw new InvalidEventError(`${event.type}: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  /**
   * Validates an envelope from storage or the wire, upcasts its data to the latest version and
   * returns it typed. Throws InvalidEventError on anything unknown or malformed.
   */
  parse(raw: unknown): EnvelopeOf<D> {
    const env = envelopeSchema.safeParse(raw);
    if (!env.success) throw new InvalidEventError(`envelope: ${z.prettifyError(env.error)}`);
    const e = env.data;
    if (e.context !== this.context) throw new InvalidEventError(`event of context ${e.context}, expected ${this.context}`);
    const { version, data } = this.upcast(e.type, e.version, e.data);
    return { ...e, version, data: this.validate({ type: e.type, data }) } as EnvelopeOf<D>;
  }

  /** Lifts `data` from `version` to the latest version of `type`, one upcaster at a time. */
  upcast(type: string, version: number, data: unknown): { version: number; data: unknown } {
    const def = this.definition(type);
    if (version > def.version) throw new InvalidEventError(`${type} v${version} is newer than this code (v${def.version})`);
    let current = data;
    for (let v = version; v < def.version; v++) {
      const upcaster = def.upcasters?.[v];
      if (!upcaster) throw new InvalidEventError(`${type} v${v}: no upcaster to v${v + 1}`);
      const old = upcaster.schema.safeParse(current);
      if (!old.success) throw new InvalidEventError(`${type} v${v}: ${z.prettifyError(old.error)}`);
      current = upcaster.up(old.data);
    }
    return { version: def.version, data: current };
  }

  private definition(type: string): EventDefinition {
    if (!this.has(type)) throw new InvalidEventError(`unknown event type ${type} in context ${this.context}`);
    return this.definitions[type];
  }
}
