import { createSseParser, type SseMessage } from '../../../frontends/api/src/sse';

/** The portal reads the live stream with fetch (for the Authorization header), so it parses SSE itself. */

function parse(chunks: string[]): { messages: SseMessage[]; comments: string[]; retries: number[] } {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const feed = createSseParser({ message: (m) => messages.push(m), comment: (c) => comments.push(c), retry: (ms) => retries.push(ms) });
  for (const chunk of chunks) feed(chunk);
  return { messages, comments, retries };
}

describe('the portal SSE parser', () => {
  it('reads the documents stream: retry, comments, typed events with JSON data', () => {
    const { messages, comments, retries } = parse([
      'retry: 5000\n\n: listening\n\n',
      'event: notification\ndata: {"id":"n1","documentId":"d1","kind":"DECISION_MADE"}\n\n',
      ': heartbeat\n\nevent: document\ndata: {"documentId":"d1"}\n\n',
    ]);
    expect(retries).toEqual([5000]);
    expect(comments).toEqual(['listening', 'heartbeat']);
    expect(messages.map((m) => m.event)).toEqual(['notification', 'document']);
    expect(JSON.parse(messages[1].data)).toEqual({ documentId: 'd1' });
  });

  it('joins lines split anywhere across chunks, including a CRLF split between its two bytes', () => {
    const text = 'event: document\r\ndata: {"documentId":"d2"}\r\n\r\nevent: notification\rdata: {"documentId":"d3"}\r\r';
    for (let size = 1; size <= 7; size += 1) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      const { messages } = parse(chunks);
      expect(messages).toEqual([
        { event: 'document', data: '{"documentId":"d2"}', id: null },
        { event: 'notification', data: '{"documentId":"d3"}', id: null },
      ]);
    }
  });

  it('follows the spec for multi-line data, the default event type, ids and events without data', () => {
    const { messages } = parse(['id: 7\ndata: first\ndata:second\n\n', 'event: ping\n\n', 'data\n\n', 'data: incomplete']);
    expect(messages).toEqual([
      { event: 'message', data: 'first\nsecond', id: '7' },
      { event: 'message', data: '', id: '7' },
    ]);
  });
});
