// Test support: an HTTP server on 127.0.0.1 (random port) with per-path behaviours.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
