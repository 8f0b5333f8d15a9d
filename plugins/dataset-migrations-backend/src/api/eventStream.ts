import type { Request, Response } from 'express';
import type { MigrationEventSource } from '../execute/MigrationHistory';

const POLL_MS = 500;
const KEEP_ALIVE_MS = 15_000;

/**
 * Serves a migration's events as server-sent events: replays from `Last-Event-ID` (or
 * `?after=`), then follows new ones, sends keep-alive comments, and ends once the
 * migration reached a final status and every event was sent. With `?follow=false` it
 * ends once the replay is sent: pages that hear of new events through signals fetch
 * them this way, and only pages without signals keep a followed stream (which polls).
 */
export async function streamMigrationEvents(
  source: MigrationEventSource,
  req: Request,
  res: Response,
): Promise<void> {
  let after = Number(req.header('last-event-id') ?? req.query.after ?? 0);
  if (!Number.isFinite(after) || after < 0) after = 0;
  const isFollowing = req.query.follow !== 'false';
  let isClosed = false;
  req.on('close', () => {
    isClosed = true;
  });

  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  let lastWrite = Date.now();

  while (!isClosed) {
    const events = await source.eventsAfter(after);
    for (const event of events) {
      res.write(
        `id: ${event.id}\nevent: migration\ndata: ${JSON.stringify(event)}\n\n`,
      );
      after = event.id;
      lastWrite = Date.now();
    }
    (res as Response & { flush?: () => void }).flush?.();
    if (events.length === 0) {
      if (!isFollowing || (await source.isFinished())) break;
      if (Date.now() - lastWrite > KEEP_ALIVE_MS) {
        res.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await new Promise(resolve => setTimeout(resolve, POLL_MS));
    }
  }
  res.end();
}
