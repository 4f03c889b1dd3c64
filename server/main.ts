/**
 * startServer: what `sipscope serve` runs. Opens the database read-only, starts the live
 * change feed and listens. Binds to 127.0.0.1 unless told otherwise; on any other address
 * it refuses to start without an access token (given, or in SIPSCOPE_TOKEN).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabaseReadOnly } from './db/open.js';
import { createApp } from './app.js';
import { PollingLiveFeed } from './live/live-feed.js';

export interface ServeOptions {
  dbPath: string;
  port: number;
  host: string;
  token?: string;
  aliases?: Record<string, string>;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Shortest access token accepted: a guessable token is no protection. */
export const MIN_TOKEN_LENGTH = 16;

/** Environment variable read when no token is passed. */
export const TOKEN_ENV = 'SIPSCOPE_TOKEN';

export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare === 'localhost' || bare === '::1' || bare.startsWith('127.');
}

/** The token to require, or an explanation of why the server must not start. */
export function resolveToken(host: string, given: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const token = given ?? env[TOKEN_ENV];
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`the access token must be at least ${MIN_TOKEN_LENGTH} characters long`);
  }
  if (token === undefined && !isLoopbackHost(host)) {
    throw new Error(
      `refusing to serve on ${host} without an access token: pass --token or set ${TOKEN_ENV} (or bind to 127.0.0.1)`,
    );
  }
  return token;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlFor(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = resolveToken(opts.host, opts.token, process.env);
  const db = openDatabaseReadOnly(opts.dbPath);
  const live = new PollingLiveFeed(db);
  const app = createApp({ db, aliases: opts.aliases ?? {}, token, live });
  const server = createServer(app);
  try {
    const address = await listen(server, opts.port, opts.host);
    live.start();
    return {
      url: urlFor(address),
      close: () =>
        new Promise<void>((resolve) => {
          live.stop();
          server.close(() => {
            db.close();
            resolve();
          });
          server.closeAllConnections();
        }),
    };
  } catch (err) {
    live.stop();
    db.close();
    throw err;
  }
}
