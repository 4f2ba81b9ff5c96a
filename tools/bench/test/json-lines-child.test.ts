import { expect, it } from 'vitest';
import { startJsonLinesChild } from '../bench-args.js';

// A child that says hello, then answers each request line with its number doubled, in order.
const ECHO = `
process.stdout.write(JSON.stringify({ hello: 'ready' }) + '\\n');
let buffer = '';
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i = buffer.indexOf('\\n'); i >= 0; i = buffer.indexOf('\\n')) {
    const request = JSON.parse(buffer.slice(0, i));
    buffer = buffer.slice(i + 1);
    process.stdout.write(JSON.stringify({ doubled: request.n * 2 }) + '\\n');
  }
});
`;

it('startJsonLinesChild resolves with the hello and pairs each reply with its request', async () => {
  const child = await startJsonLinesChild(process.execPath, ['-e', ECHO], process.env);
  expect(child.hello).toEqual({ hello: 'ready' });
  const replies = await Promise.all([1, 2, 3].map((n) => child.request({ n })));
  expect(replies).toEqual([{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }]);
  child.close();
});
