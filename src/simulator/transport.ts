import { Observable } from 'rxjs';
import type { Transport } from '../transport/Transport.js';
import { TransportError } from '../transport/TransportError.js';
import type { Simulation } from './simulation.js';

/**
 * A {@link Transport} that hands requests straight to a simulation: no
 * sockets, and with the simulation on a virtual scheduler (TestScheduler),
 * every long-poll, timeout and fault happens in virtual time. Drops and
 * bodies cut short error as a socket would (`TransportError` `connection` or
 * `truncated`); unsubscribing is the client closing the connection.
 */
export function simulatedTransport(simulation: Simulation): Transport {
  return {
    request: (request) =>
      new Observable((subscriber) => {
        let done = false;
        const exchange = simulation.handle(
          {
            method: request.method,
            url: request.url.replace(/^[a-z]+:\/\/[^/]+/i, ''),
            authorization: request.headers.Authorization ?? request.headers.authorization,
            readBody: () => Promise.resolve(request.body ?? ''),
          },
          {
            send(status, headers, body) {
              if (done) return;
              done = true;
              subscriber.next({ status, headers, body: typeof body === 'string' ? body : new TextDecoder().decode(body) });
              subscriber.complete();
            },
            truncate() {
              if (done) return;
              done = true;
              subscriber.error(new TransportError('truncated', 'the body broke off before its end (simulated)'));
            },
            drop() {
              if (done) return;
              done = true;
              subscriber.error(new TransportError('connection', 'the connection closed without an answer (simulated)'));
            },
          },
        );
        return () => {
          if (done) return;
          done = true;
          exchange.clientClosed();
        };
      }),
  };
}
