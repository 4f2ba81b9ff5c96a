// One HTTP(S) GET with redirects and a connect timeout. The caller reads the body.
import { type ClientRequest, get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { DatasetError } from '../errors.js';

const MAX_REDIRECTS = 10;

/** A failure worth another attempt (a timeout, a dropped connection, a 5xx); anything else is final. */
export class TransientDownloadError extends DatasetError {}

export interface GetOptions {
  /** Ask for the bytes from this offset on (`Range: bytes=<offset>-`); 0 asks for the whole file. */
  rangeStart: number;
  /** Time from sending the request to the response headers (DNS, connect, TLS and a server that accepts but never answers). */
  connectTimeoutMs: number;
}

/**
 * GETs `url`, following redirects, and resolves with the first response that is not a redirect,
 * whatever its status (the caller decides what 200, 206 or 416 mean). A timeout or a socket error
 * before the headers rejects with a TransientDownloadError (or the socket error itself, whose code
 * tells "offline" from the rest).
 */
export function httpGetResponse(url: string, options: GetOptions, redirects = 0): Promise<IncomingMessage> {
  return new Promise((resolveResponse, reject) => {
    const getter = url.startsWith('https:') ? httpsGet : url.startsWith('http:') ? httpGet : undefined;
    if (getter === undefined) {
      reject(new DatasetError(`${url}: only http and https URLs can be fetched.`, { path: url }));
      return;
    }
    const headers: Record<string, string> = { 'user-agent': '@curvad/datasets' };
    if (options.rangeStart > 0) headers.range = `bytes=${options.rangeStart}-`;
    let settled = false;
    let req: ClientRequest | undefined;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      req?.destroy();
      reject(
        new TransientDownloadError(
          `${url}: no answer within ${options.connectTimeoutMs} ms (connectTimeoutMs); the host is unreachable or accepted the connection and never answered.`,
          { path: url },
        ),
      );
    }, options.connectTimeoutMs);
    req = getter(url, { headers }, (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location !== undefined) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) {
          reject(
            new DatasetError(
              `${url}: more than ${MAX_REDIRECTS} redirects; the URL is wrong or the server misconfigured. Download the file by hand.`,
              { path: url },
            ),
          );
          return;
        }
        httpGetResponse(new URL(res.headers.location, url).toString(), options, redirects + 1).then(resolveResponse, reject);
        return;
      }
      resolveResponse(res);
    });
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
  });
}
