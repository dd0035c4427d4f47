/** One Server-Sent Event. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream format):
 * feed it text as it arrives; it calls `onEvent` for each complete event.
 * Comments (`: heartbeat`) call `onComment`, so a watchdog can see the
 * stream is alive.
 */
export function sseParser(onEvent: (event: SseEvent) => void, onComment: () => void = () => undefined): (text: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id });
      event = '';
      data = [];
      id = undefined;
      return;
    }
    if (text.startsWith(':')) return onComment();
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\u0000')) id = value;
  };
  return (text) => {
    buffer += text;
    for (let end = buffer.search(/\r\n|\r|\n/); end >= 0; end = buffer.search(/\r\n|\r|\n/)) {
      const breakLength = buffer.startsWith('\r\n', end) ? 2 : 1;
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (buffer[end] === '\r' && end + 1 === buffer.length) break;
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + breakLength);
    }
  };
}
