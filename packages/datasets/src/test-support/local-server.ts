// Test support: an HTTP server on 127.0.0.1 (random port) with per-path behaviours.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface LocalServer {
  url: string;
  /** Requests seen, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route>): Promise<LocalServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route) route(req, res);
    else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** Serves `body` whole with its Content-Length. */
export function serveBytes(body: Uint8Array): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    res.end(Buffer.from(body));
  };
}

/** Announces `body.length` bytes, sends the first `sent`, then destroys the socket. */
export function serveThenDrop(body: Uint8Array, sent: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.write(Buffer.from(body.subarray(0, sent)), () => setTimeout(() => res.socket?.destroy(), 20));
  };
}

/**
 * A TCP server on 127.0.0.1 that accepts connections and never sends a byte: an HTTP client
 * waits for response headers that never come.
 */
export async function startSilentServer(): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: new Map(),
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolveClose());
      }),
  };
}

/** Announces `body.length` bytes, sends the first `sent`, then keeps the connection open and silent. */
export function serveThenStall(body: Uint8Array, sent: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.write(Buffer.from(body.subarray(0, sent)));
  };
}

/** What a Range-capable route saw and sent. */
export interface RangeLog {
  /** The Range header of each request (undefined when absent). */
  ranges: (string | undefined)[];
  /** Body bytes written per request. */
  sent: number[];
}

/**
 * Serves `body` with Range support (`bytes=N-` answered 206 with Content-Range, N past the end 416).
 * The first response is cut after `dropFirstAfter` bytes (the socket destroyed), when given.
 */
export function serveRanges(body: Uint8Array, options: { dropFirstAfter?: number } = {}): { route: Route; log: RangeLog } {
  const log: RangeLog = { ranges: [], sent: [] };
  const route: Route = (req, res) => {
    const range = req.headers.range;
    const first = log.ranges.length === 0;
    log.ranges.push(range);
    const match = /^bytes=(\d+)-$/.exec(range ?? '');
    const start = match ? Number(match[1]) : 0;
    if (start >= body.length && match) {
      log.sent.push(0);
      res.writeHead(416, { 'content-range': `bytes */${body.length}` });
      res.end();
      return;
    }
    const slice = body.subarray(start);
    if (match) res.writeHead(206, { 'content-length': slice.length, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, { 'content-length': body.length });
    if (first && options.dropFirstAfter !== undefined) {
      log.sent.push(options.dropFirstAfter);
      res.write(Buffer.from(slice.subarray(0, options.dropFirstAfter)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    log.sent.push(slice.length);
    res.end(Buffer.from(slice));
  };
  return { route, log };
}
