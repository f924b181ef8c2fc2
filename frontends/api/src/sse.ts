/** Server-Sent Events without EventSource (which cannot send an Authorization header): the parser. */

/** One parsed Server-Sent Event. */
export type SseMessage = { event: string; data: string; id: string | null };

export type SseParserHandlers = {
  message: (message: SseMessage) => void;
  /** A comment line (`: text`), e.g. the server's `: listening` and `: heartbeat`. */
  comment?: (text: string) => void;
  /** The server's `retry:` (milliseconds). */
  retry?: (ms: number) => void;
};

/**
 * An incremental `text/event-stream` parser (WHATWG HTML §9.2.6): feed it decoded text as it arrives;
 * lines may end with CRLF, LF or CR and may be split across chunks.
 */
export const createSseParser = (handlers: SseParserHandlers): ((chunk: string) => void) => {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let lastId: string | null = null;

  const dispatch = (): void => {
    if (data.length === 0) {
      event = '';
      return;
    }
    const message: SseMessage = { event: event || 'message', data: data.join('\n'), id: lastId };
    event = '';
    data = [];
    handlers.message(message);
  };

  const line = (text: string): void => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return handlers.comment?.(text.slice(1).trimStart());
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) handlers.retry?.(Number(value));
  };

  /** The last chunk ended with CR: a LF at the start of the next one belongs to it (CRLF). */
  let skipLf = false;

  return (chunk: string): void => {
    if (chunk === '') return;
    buffer += skipLf && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
    skipLf = false;
    let start = 0;
    for (let i = 0; i < buffer.length; i += 1) {
      const char = buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      line(buffer.slice(start, i));
      if (char === '\r') {
        if (i === buffer.length - 1) skipLf = true;
        else if (buffer[i + 1] === '\n') i += 1;
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
  };
};
