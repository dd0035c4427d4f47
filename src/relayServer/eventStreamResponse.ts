import type { SchedulerLike, Subscription } from 'rxjs';
import type { HelloEvent } from '../engine/relay/protocol.js';

const encoder = new TextEncoder();

/** One open HTTP response carrying a stream. */
export interface Connection {
  write(text: string): void;
  close(): void;
}

/** One Server-Sent Events message. */
export const sseMessage = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** What a stream's response runs on: the relay's options. */
export interface EventStreamSettings {
  readonly heartbeat: number;
  readonly maxStreamDuration: number;
  readonly maxBufferedBytes: number;
  readonly scheduler: SchedulerLike;
}

/** What the relay does as the response's connection comes and goes. */
export interface EventStreamHooks {
  /** The connection is open and has had its `hello`: start sending it jobs. */
  attach(connection: Connection): void;
  /** The connection ended, whatever ended it (the reader, a slow reader, `maxStreamDuration`, the relay): called once. */
  detach(connection: Connection): void;
  /** At each heartbeat, while the connection lives. */
  beat(): void;
}

/**
 * The event-stream response of one stream: `hello` first, a heartbeat
 * comment every `heartbeat` ms, an end after `maxStreamDuration` (serverless
 * platforms cut longer responses; the browser resumes), and a reader that
 * lets more than `maxBufferedBytes` wait is cut off (its browser resumes).
 */
export function eventStreamResponse(settings: EventStreamSettings, hello: HelloEvent, hooks: EventStreamHooks, signal?: AbortSignal): Response {
  const { heartbeat, maxStreamDuration, maxBufferedBytes, scheduler } = settings;
  let attached: Connection | undefined;
  let timers: Subscription[] = [];
  const end = () => {
    for (const timer of timers) timer.unsubscribe();
    timers = [];
    if (!attached) return;
    const connection = attached;
    attached = undefined;
    hooks.detach(connection);
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let open = true;
        const connection: Connection = {
          write: (text) => {
            if (!open) return;
            controller.enqueue(encoder.encode(text));
            // A reader that does not read: its queue is dropped and the stream closed; its browser resumes it.
            if ((controller.desiredSize ?? 0) < 0) {
              open = false;
              controller.error(new Error('the reader fell behind'));
              end();
            }
          },
          close: () => {
            if (!open) return;
            open = false;
            try {
              controller.close();
            } catch {
              /* already closed by the reader */
            }
            end();
          },
        };
        attached = connection;
        connection.write(`retry: 1000\n${sseMessage('hello', hello)}`);
        hooks.attach(connection);
        timers.push(
          scheduler.schedule(function beat(this: { schedule(state?: unknown, delay?: number): void }) {
            connection.write(': heartbeat\n\n');
            hooks.beat();
            this.schedule(undefined, heartbeat);
          }, heartbeat),
          scheduler.schedule(() => connection.close(), maxStreamDuration),
        );
      },
      cancel() {
        end();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: maxBufferedBytes }),
  );
  signal?.addEventListener('abort', end);
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: a proxy that compresses or rewrites would hold events back.
      'cache-control': 'no-store, no-transform',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
