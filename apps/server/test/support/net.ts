import { createServer, type Server, type Socket } from 'node:net';

/** A TCP listener on 127.0.0.1 and an OS-chosen port; `onConnection` gets each socket. */
export async function listenOnFreePort(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    server,
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A port nothing listens on: bound by the OS, then released. */
export async function unusedPort(): Promise<number> {
  const l = await listenOnFreePort(() => {});
  await l.close();
  return l.port;
}

/** Answers one four-letter word with `reply` and closes, like ZooKeeper. Records the words received. */
export async function fakeFourLetterServer(reply: string): Promise<{ port: number; words: string[]; close(): Promise<void> }> {
  const words: string[] = [];
  const l = await listenOnFreePort((socket) => {
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      if (buffered.length >= 4) {
        words.push(buffered.slice(0, 4));
        socket.end(reply);
      }
    });
  });
  return { port: l.port, words, close: l.close };
}
