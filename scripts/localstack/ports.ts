/** A free TCP port on 127.0.0.1: the preferred one if nothing uses it, else one the OS picks. */
import { createConnection, createServer } from 'node:net';

const HOST = '127.0.0.1';

export async function pickPort(preferred: number): Promise<number> {
  if (await portFree(preferred)) return preferred;
  return listenOnce(0);
}

/** Nothing answers on the port and it can be bound. */
export async function portFree(port: number): Promise<boolean> {
  if (await answers(port)) return false;
  // The bind also catches listeners a connect cannot see (e.g. one on 0.0.0.0 refusing loopback).
  return listenOnce(port).then(() => true, () => false);
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.setTimeout(1_000);
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Binds the port, closes it again and returns the port bound. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: HOST, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}
