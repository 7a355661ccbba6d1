// Real local HTTP(S) servers on 127.0.0.1 for JWKS and OpenID discovery tests.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;

export interface TestServer {
  base: string;
  close(): Promise<void>;
}

export async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  let base = '';
  const server: Server = tls ? createHttps(tls, (req, res) => handler(req, res, base)) : createHttp((req, res) => handler(req, res, base));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
