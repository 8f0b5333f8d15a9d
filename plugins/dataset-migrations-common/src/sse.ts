/** One server-sent event. @public */
export type ServerSentEvent = { id?: string; event?: string; data: string };

/**
 * Incremental parser of a `text/event-stream` body: feed it chunks as they arrive and
 * it calls `onEvent` for every complete event. Comments (keep-alives) are skipped.
 *
 * @public
 */
export function createSseParser(onEvent: (event: ServerSentEvent) => void) {
  let buffer = '';
  let current: { id?: string; event?: string; data: string[] } = { data: [] };
  const dispatch = () => {
    if (current.data.length > 0) {
      onEvent({
        id: current.id,
        event: current.event,
        data: current.data.join('\n'),
      });
    }
    current = { data: [] };
  };
  return (chunk: string) => {
    buffer += chunk;
    let newline = buffer.search(/\r?\n/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(
        buffer[newline] === '\r' ? newline + 2 : newline + 1,
      );
      if (line === '') {
        dispatch();
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value =
          colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') current.data.push(value);
        else if (field === 'id') current.id = value;
        else if (field === 'event') current.event = value;
      }
      newline = buffer.search(/\r?\n/);
    }
  };
}
