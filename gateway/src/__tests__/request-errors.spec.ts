import { MAX_VARIABLES_DEPTH, tooDeepVariable } from '../request-errors';
import { SubgraphDataSource } from '../subgraph-data-source';

describe('tooDeepVariable', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i += 1) value = [value];
    return value;
  };

  it('names the first variable nested beyond the limit, without recursion', () => {
    expect(tooDeepVariable({ a: nested(MAX_VARIABLES_DEPTH), b: 'x' })).toBeNull();
    expect(tooDeepVariable({ a: nested(3), b: nested(MAX_VARIABLES_DEPTH + 1) })).toBe('b');
    expect(tooDeepVariable({ deep: nested(300_000) })).toBe('deep');
  });
});

describe('SubgraphDataSource.errorFromResponse', () => {
  const source = new SubgraphDataSource({ name: 'deals', url: 'http://127.0.0.1:1/graphql', secret: 's', timeoutMs: 1000 });
  const response = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('passes a subgraph\'s typed 4xx refusal on as it is', async () => {
    const error = await source.errorFromResponse(response(400, { errors: [{ message: 'Enter a whole number', extensions: { code: 'BAD_USER_INPUT', field: 'amountMinor', stacktrace: ['x'] } }] }) as never);
    expect({ message: error.message, extensions: error.extensions }).toEqual({ message: 'Enter a whole number', extensions: { code: 'BAD_USER_INPUT', field: 'amountMinor' } });
  });

  it('keeps the untyped error for 5xx and for bodies without a typed error', async () => {
    expect((await source.errorFromResponse(response(500, { errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }) as never)).extensions.code ?? null).toBeNull();
    expect((await source.errorFromResponse(response(500, {}) as never)).message).toMatch(/^500: /);
    expect((await source.errorFromResponse(response(400, { nope: true }) as never)).message).toMatch(/^400: /);
  });
});
