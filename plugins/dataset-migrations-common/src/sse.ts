import { ResponseError } from '@backstage/errors';
import {
  EventStreamContentType,
  fetchEventSource,
} from '@microsoft/fetch-event-source';

/** One connection to a `text/event-stream` endpoint. @public */
export type EventStreamRequest = {
  url: string;
  /** Backstage's `fetchApi.fetch`, so the request carries the user's token. */
  fetch: typeof fetch;
  /** Sent as `Last-Event-ID`: the server replays what came after it. */
  lastEventId?: string;
  signal?: AbortSignal;
  /** The `data` of each event; keep-alive comments never reach it. */
  onData: (data: string) => void;
};

/**
 * Reads one server-sent event stream with fetch-event-source, as Backstage's scaffolder
 * client does. Resolves when the server ends the stream or `signal` aborts; rejects when
 * the server refuses (a `ResponseError` carrying its reason), the body is no event
 * stream, an event cannot be handled, or the connection drops.
 *
 * It never reconnects by itself: the caller knows which events it has shown and
 * reconnects from the last of them. Nor does it close while the tab is hidden
 * (`openWhenHidden`): a migration keeps running when the user looks elsewhere.
 *
 * fetch-event-source reads `window` (timers) and `document` (visibility) whenever a
 * connection ends, so this runs where those exist: the browser, and jest's jsdom
 * environment, in which Backstage runs the tests of common libraries.
 *
 * @public
 */
export async function readEventStream(
  request: EventStreamRequest,
): Promise<void> {
  const { signal } = request;
  // fetch-event-source only listens for an abort that happens after it starts.
  if (signal?.aborted) return;
  await fetchEventSource(request.url, {
    fetch: request.fetch,
    signal,
    openWhenHidden: true,
    headers:
      request.lastEventId === undefined
        ? {}
        : { 'Last-Event-ID': request.lastEventId },
    async onopen(response) {
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith(EventStreamContentType)) {
        throw new Error(
          `Expected an event stream from ${request.url}, got ${
            type || 'no content type'
          }`,
        );
      }
    },
    onmessage(message) {
      // A keep-alive comment ends in a blank line too, which the library dispatches
      // as a message without data; the SSE standard drops those.
      if (message.data === '') return;
      request.onData(message.data);
    },
    onerror(error) {
      // Thrown from here, the error ends fetchEventSource instead of a retry.
      throw error;
    },
  });
}
