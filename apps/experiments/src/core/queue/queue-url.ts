// `--queue redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` (rediss:// for TLS), checked before anything connects.
import { QueueError } from './queue-error';

export const DEFAULT_REDIS_PORT = 6379;
const MAX_PORT = 65_535;
const URL_FORM =
  'redis://HOST:PORT[/DB] (e.g. redis://127.0.0.1:6379/0; redis://:PASSWORD@HOST:PORT/DB with a password; rediss:// for TLS)';

/** Where the queue lives: a Redis server and database. */
export interface QueueTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL as logs and messages show it: the password replaced by ***. */
  display: string;
}

function refuse(text: string, why: string): never {
  throw new QueueError(`queue URL '${text}' ${why}; write ${URL_FORM}.`);
}

/** Parses a queue URL; a malformed one is a QueueError naming the URL, what is wrong and the form expected. */
export function parseQueueUrl(text: string): QueueTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    refuse(text, 'is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    refuse(text, `has the scheme '${url.protocol.slice(0, -1)}', not redis or rediss`);
  if (url.hostname === '') refuse(text, 'names no host');
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) refuse(text, `has the port ${url.port}, not 1-${MAX_PORT}`);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) refuse(text, `has the path '/${path}', which must be a database number`);
  if (url.search !== '' || url.hash !== '') refuse(text, 'has a query or fragment, which curvad does not read');
  const db = path === '' ? 0 : Number(path);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const display = `${url.protocol}//${username}${password ? ':***' : ''}${username || password ? '@' : ''}${url.host}/${db}`;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    db,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    tls: url.protocol === 'rediss:',
    display,
  };
}
