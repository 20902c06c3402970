import { z } from 'zod';
import {
  booleanField,
  durationField,
  enumField,
  listField,
  parseDuration,
  parsedWith,
  portField,
  postgresUrlField,
  secretField,
  urlField,
} from './env-fields';

function messageOf(schema: z.ZodType, input: string): string | undefined {
  const result = schema.safeParse(input);
  return result.success ? undefined : result.error.issues.map((i) => i.message).join('; ');
}

describe('portField', () => {
  it.each([
    ['1', 1],
    ['4180', 4180],
    ['65535', 65535],
  ])('reads %s as %d', (raw, port) => {
    expect(portField().parse(raw)).toBe(port);
  });

  it.each(['0', '65536', 'abc', '80.5', '-1', ' 80', '0x50', ''])('refuses %j', (raw) => {
    expect(messageOf(portField(), raw)).toBe(`expected an integer 1-65535, got ${JSON.stringify(raw)}`);
  });

  it('cuts a long value short in the message', () => {
    expect(messageOf(portField(), 'x'.repeat(100))).toBe(`expected an integer 1-65535, got "${'x'.repeat(40)}..."`);
  });
});

describe('urlField', () => {
  it('keeps an accepted URL as written', () => {
    expect(urlField(['nats']).parse('nats://user:pw@nats:4222')).toBe('nats://user:pw@nats:4222');
  });

  it('names the expected schemes and never echoes the value', () => {
    const message = messageOf(postgresUrlField(), 'mysql://root:hunter2@db/app');
    expect(message).toBe('expected a postgres:// or postgresql:// URL, got a mysql:// URL');
    expect(messageOf(postgresUrlField(), 'hunter2 not a url')).toBe(
      'expected a postgres:// or postgresql:// URL, got something that is not a URL',
    );
  });

  it('accepts both postgres spellings', () => {
    expect(postgresUrlField().parse('postgresql://db/app')).toBe('postgresql://db/app');
    expect(postgresUrlField().parse('postgres://db/app')).toBe('postgres://db/app');
  });
});

describe('durationField', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['10m', 600_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['0s', 0],
  ])('reads %s as %d ms', (raw, ms) => {
    expect(durationField().parse(raw)).toBe(ms);
  });

  it.each(['10', '10 m', '1h30m', '-5s', '1.5h', '10M', 'soon'])('refuses %j', (raw) => {
    expect(messageOf(durationField(), raw)).toBe(`expected a duration such as 30s, 10m or 24h, got ${JSON.stringify(raw)}`);
  });

  it('refuses a duration too large to count exactly', () => {
    expect(parseDuration('99999999999999999d')).toBeUndefined();
  });
});

describe('listField', () => {
  it('splits on commas, trims and drops empty items', () => {
    expect(listField().parse(' a.example.com, b.example.com,,c ')).toEqual(['a.example.com', 'b.example.com', 'c']);
    expect(listField().parse(',')).toEqual([]);
  });
});

describe('booleanField', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['0', false],
  ])('reads %s as %s', (raw, value) => {
    expect(booleanField().parse(raw)).toBe(value);
  });

  it.each(['yes', 'no', '2', 'on'])('refuses %j', (raw) => {
    expect(messageOf(booleanField(), raw)).toBe(`expected true, false, 1 or 0, got ${JSON.stringify(raw)}`);
  });
});

describe('secretField', () => {
  it('accepts a long enough secret', () => {
    expect(secretField(8).parse('12345678')).toBe('12345678');
  });

  it('refuses a short one without echoing it', () => {
    const message = messageOf(secretField(), 'hunter2');
    expect(message).toBe('expected a secret of at least 32 characters, got 7');
    expect(message).not.toContain('hunter2');
  });
});

describe('enumField', () => {
  it('accepts a listed word and refuses others', () => {
    const level = enumField(['debug', 'info']);
    expect(level.parse('info')).toBe('info');
    expect(messageOf(level, 'loud')).toBe('expected one of debug, info, got "loud"');
  });
});

describe('parsedWith', () => {
  const field = parsedWith((raw) => {
    if (!raw.startsWith('ok:')) throw new Error(`bad entry "${raw}": expected ok:<value>`);
    return raw.slice(3);
  });

  it('returns what the parser returns', () => {
    expect(field.parse('ok:x')).toBe('x');
  });

  it("makes the parser's message the problem, with quoted values masked", () => {
    const result = field.safeParse('s3cret-key-material');
    expect(result.success).toBe(false);
    const message = result.error?.issues[0].message ?? '';
    expect(message).toBe('bad entry "…": expected ok:<value>');
    expect(message).not.toContain('s3cret');
  });
});
