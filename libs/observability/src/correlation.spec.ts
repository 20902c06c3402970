import { correlationIdFrom, currentCorrelationId, runWithCorrelationId } from './correlation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlationIdFrom', () => {
  it.each(['abc', 'req-1.2_3:x', 'A'.repeat(128)])('keeps a valid id %j', (id) => {
    expect(correlationIdFrom(id)).toBe(id);
  });

  it.each([
    ['too long', 'A'.repeat(129)],
    ['empty', ''],
    ['a space', 'a b'],
    ['a newline', 'a\nb'],
    ['a slash', 'a/b'],
    ['a repeated header joined by a comma', 'a, b'],
    ['not a string', ['a', 'b']],
    ['missing', undefined],
  ])('replaces an id that is %s with a new uuid', (_why, incoming) => {
    expect(correlationIdFrom(incoming)).toMatch(UUID);
  });

  it('makes a different id each time', () => {
    expect(correlationIdFrom(undefined)).not.toBe(correlationIdFrom(undefined));
  });
});

describe('currentCorrelationId', () => {
  it('is undefined outside a request or message', () => {
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('follows runWithCorrelationId across awaits, and nests', async () => {
    const seen = await runWithCorrelationId('outer', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const inner = runWithCorrelationId('inner', () => currentCorrelationId());
      return [currentCorrelationId(), inner];
    });
    expect(seen).toEqual(['outer', 'inner']);
    expect(currentCorrelationId()).toBeUndefined();
  });
});
