import { ResponseError } from '@backstage/errors';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatasetMigrationsClient } from './client';
import type { MigrationEvent } from './migration';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler;
const requests: http.IncomingMessage[] = [];
let server: http.Server;
let client: DatasetMigrationsClient;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new DatasetMigrationsClient({
    discoveryApi: {
      getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
    },
    fetchApi: { fetch },
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

afterEach(() => {
  // Back to a visible tab (jsdom's own `hidden` is a getter on the prototype).
  delete (document as { hidden?: boolean }).hidden;
});

function event(id: number): MigrationEvent {
  return {
    id,
    migrationId: 'm 1',
    createdAt: '2025-01-01T00:00:00.000Z',
    type: 'step.started',
    step: 'copy',
    actor: null,
    message: `event ${id}`,
    data: { rows: id },
  };
}

const frame = (e: MigrationEvent) =>
  `id: ${e.id}\nevent: migration\ndata: ${JSON.stringify(e)}\n\n`;

function openStream(res: http.ServerResponse) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.flushHeaders();
}

const tick = () => new Promise(resolve => setTimeout(resolve, 20));

describe('DatasetMigrationsClient.streamEvents', () => {
  it('delivers the events after Last-Event-ID, split or not, without keep-alives, and resolves when the server ends', async () => {
    handler = async (_req, res) => {
      openStream(res);
      res.write(': keep-alive\n\n');
      const split = frame(event(4));
      res.write(split.slice(0, 20));
      await tick();
      res.write(split.slice(20));
      res.write(frame(event(5)).replace(/\n/g, '\r\n'));
      res.end();
    };
    const events: MigrationEvent[] = [];
    await client.streamEvents('m 1', {
      lastEventId: 3,
      follow: false,
      onEvent: e => events.push(e),
    });
    expect(events).toEqual([event(4), event(5)]);
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe(
      '/api/dataset-migrations/migrations/m%201/events?follow=false',
    );
    expect(requests[0].headers['last-event-id']).toBe('3');
    expect(requests[0].headers.accept).toBe('text/event-stream');
  });

  it('rejects with the backend reason when it refuses, without retrying', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'No migration m 1' },
          request: { method: 'GET', url: '/migrations/m%201/events' },
          response: { statusCode: 404 },
        }),
      );
    };
    const error = await client
      .streamEvents('m 1', { onEvent: () => {} })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe('No migration m 1');
    expect(requests).toHaveLength(1);
  });

  it('rejects when the connection drops, after delivering the events before it, so the caller resumes from them', async () => {
    handler = async (_req, res) => {
      openStream(res);
      res.write(frame(event(1)));
      await tick();
      res.socket?.destroy();
    };
    const events: MigrationEvent[] = [];
    await expect(
      client.streamEvents('m 1', { onEvent: e => events.push(e) }),
    ).rejects.toThrow();
    expect(events).toEqual([event(1)]);
    expect(requests).toHaveLength(1);
  });

  it('rejects a response that is no event stream', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html></html>');
    };
    await expect(
      client.streamEvents('m 1', { onEvent: () => {} }),
    ).rejects.toThrow(/Expected an event stream from .* got text\/html/);
  });

  it('resolves when the signal aborts, closing the connection', async () => {
    const closed = new Promise<void>(resolve => {
      handler = (req, res) => {
        req.on('close', () => resolve());
        openStream(res);
        res.write(frame(event(1)));
      };
    });
    const controller = new AbortController();
    const events: MigrationEvent[] = [];
    await client.streamEvents('m 1', {
      signal: controller.signal,
      onEvent: e => {
        events.push(e);
        controller.abort();
      },
    });
    await closed;
    expect(events).toEqual([event(1)]);
  });

  it('makes no request once the signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await client.streamEvents('m 1', {
      signal: controller.signal,
      onEvent: () => {},
    });
    expect(requests).toHaveLength(0);
  });

  it('keeps the connection while the tab is hidden', async () => {
    let resume: () => void = () => {};
    handler = async (_req, res) => {
      openStream(res);
      res.write(frame(event(1)));
      await new Promise<void>(resolve => {
        resume = resolve;
      });
      res.end(frame(event(2)));
    };
    const events: MigrationEvent[] = [];
    await client.streamEvents('m 1', {
      onEvent: e => {
        events.push(e);
        if (e.id === 1) {
          Object.defineProperty(document, 'hidden', {
            value: true,
            configurable: true,
          });
          document.dispatchEvent(new Event('visibilitychange'));
          setTimeout(() => resume(), 50);
        }
      },
    });
    expect(events).toEqual([event(1), event(2)]);
    expect(requests).toHaveLength(1);
  });
});
