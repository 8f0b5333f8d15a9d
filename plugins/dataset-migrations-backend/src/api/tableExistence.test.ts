import net from 'node:net';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { tableExistence } from './tableExistence';

describe('tableExistence', () => {
  it('answers unknown, naming the wait, when the connection accepts but never answers', async () => {
    // A server on loopback that takes the connection and says nothing: PostgreSQL's
    // handshake waits for it until the check's own timeout.
    const sockets: net.Socket[] = [];
    const silent = net.createServer(socket => sockets.push(socket));
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const registry = new ConnectionRegistry(
      new Map([
        [
          'slow',
          {
            name: 'slow',
            client: 'pg' as const,
            connection: { host: '127.0.0.1', port, user: 'postgres' },
          },
        ],
      ]),
    );
    try {
      await expect(
        tableExistence(registry, 'slow:public.orders', 300),
      ).resolves.toEqual({
        location: 'slow:public.orders',
        existence: 'unknown',
        reason: 'connection slow did not answer within 0.3 s',
      });
    } finally {
      sockets.forEach(s => s.destroy());
      silent.close();
      await registry.destroy();
    }
  });
});
