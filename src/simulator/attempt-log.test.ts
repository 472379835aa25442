import { describe, expect, it } from 'vitest';
import { AttemptLog, describeAttempt, maskAuthorization, maskHeaders } from './attempt-log.ts';

describe('attempt log', () => {
  it('masks the bearer token down to its last four characters', () => {
    expect(maskAuthorization('Bearer eyJhbGciOi.payload.signatureabcd')).toBe('Bearer ****abcd');
    expect(maskAuthorization('Bearer short')).toBe('Bearer ****');
    expect(maskHeaders({ authorization: 'Bearer 0123456789wxyz', cookie: 'a=b', 'x-api-key': 'id' })).toEqual({
      authorization: 'Bearer ****wxyz',
      cookie: '****',
      'x-api-key': 'id',
    });
  });

  it('logs one line per answered attempt without the token, and stays bounded', () => {
    const lines: string[] = [];
    const log = new AttemptLog({ limit: 2, log: (line) => lines.push(line) });
    const base = {
      kind: 'stream' as const,
      at: 0,
      port: 1,
      method: 'GET',
      httpVersion: '1.1',
      path: '/api/1/stream/demo',
      query: { maxConnections: '2' },
      headers: maskHeaders({ authorization: 'Bearer secret-token-value-1234' }),
    };
    const first = log.begin(base);
    log.answer(first, 200, { slot: 1, maxConnections: 2 });
    log.begin(base);
    log.begin(base);
    expect(log.list().map((a) => a.id)).toEqual([2, 3]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('→ 200');
    expect(lines[0]).toContain('slot 1/2');
    expect(lines[0]).toContain('Bearer ****1234');
    expect(lines[0]).not.toContain('secret-token');
    expect(describeAttempt({ ...first, status: 0 })).toContain('no answer');
  });
});
