import { createSseParser, ServerSentEvent } from './sse';

describe('createSseParser', () => {
  it('parses events split across chunks, skipping keep-alive comments', () => {
    const events: ServerSentEvent[] = [];
    const feed = createSseParser(e => events.push(e));
    feed(': keep-alive\n\nid: 1\nevent: mig');
    feed('ration\ndata: {"a":1}\n\n');
    feed('id: 2\r\ndata: line one\r\ndata: line two\r\n\r\n');
    expect(events).toEqual([
      { id: '1', event: 'migration', data: '{"a":1}' },
      { id: '2', event: undefined, data: 'line one\nline two' },
    ]);
  });

  it('waits for the blank line that ends an event', () => {
    const events: ServerSentEvent[] = [];
    const feed = createSseParser(e => events.push(e));
    feed('id: 3\ndata: x\n');
    expect(events).toHaveLength(0);
    feed('\n');
    expect(events).toHaveLength(1);
  });
});
