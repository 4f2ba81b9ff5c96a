import { describe, expect, test } from 'vitest';
import { ExperimentError } from '../../experiment-error';
import { QueueError } from './queue-error';
import { parseQueueUrl } from './queue-url';

describe('parseQueueUrl', () => {
  test('reads host, port, database and credentials, and hides the password in the shown URL', () => {
    expect(parseQueueUrl('redis://127.0.0.1:6380/2')).toEqual({
      host: '127.0.0.1',
      port: 6380,
      db: 2,
      tls: false,
      display: 'redis://127.0.0.1:6380/2',
    });
    expect(parseQueueUrl('redis://queue.lan')).toMatchObject({ host: 'queue.lan', port: 6379, db: 0 });
    const withPassword = parseQueueUrl('rediss://:s%40cret@10.0.0.5:6379/1');
    expect(withPassword).toMatchObject({ password: 's@cret', tls: true, db: 1 });
    expect(withPassword.display).toBe('rediss://:***@10.0.0.5:6379/1');
    expect(withPassword.display).not.toContain('cret');
  });

  test.each([
    ['127.0.0.1:6379', /is not a URL/],
    ['http://127.0.0.1:6379', /scheme 'http', not redis or rediss/],
    ['redis://127.0.0.1:6379/queue', /path '\/queue', which must be a database number/],
    ['redis://127.0.0.1:6379/0?timeout=5', /query or fragment/],
    ['redis://127.0.0.1:99999', /not a URL|port/],
  ])('refuses %s with a QueueError naming it and the expected form', (text, why) => {
    let error: unknown;
    try {
      parseQueueUrl(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(QueueError);
    expect(ExperimentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toContain(`'${text}'`);
    expect((error as Error).message).toContain('redis://HOST:PORT[/DB]');
  });
});
