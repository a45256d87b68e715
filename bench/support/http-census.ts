import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

/** What the HTTP clients of this process did while a census ran. */
export interface HttpCensusResult {
  /** HTTP requests started (node:http and node:https, which client-node's fetch uses). */
  readonly requests: number;
  /** Of those, watches (`watch=true` in the query). */
  readonly watches: number;
  /** Requests by method, e.g. `{ POST: 200, PUT: 200, GET: 200, DELETE: 200 }`. */
  readonly byMethod: Readonly<Record<string, number>>;
  /** Distinct sockets the requests went out on: the TCP (and TLS) connections opened. */
  readonly connections: number;
  /** The most of those sockets that were open at the same time. */
  readonly peakOpenConnections: number;
}

/** A running census; `stop` ends it and returns the counts. */
export interface HttpCensus {
  stop(): HttpCensusResult;
}

/**
 * Counts this process's outgoing HTTP requests, watches and connections through node:diagnostics_channel
 * (`http.client.request.start`, and the socket each request goes out on), without touching the client under test.
 */
export function startHttpCensus(): HttpCensus {
  let requests = 0;
  let watches = 0;
  const byMethod: Record<string, number> = {};
  const sockets = new Set<Socket>();
  let open = 0;
  let peak = 0;
  const track = (socket: Socket) => {
    if (sockets.has(socket)) return;
    sockets.add(socket);
    open++;
    peak = Math.max(peak, open);
    socket.once('close', () => open--);
  };
  const onStart = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    requests++;
    byMethod[request.method] = (byMethod[request.method] ?? 0) + 1;
    if (/[?&]watch=true(&|$)/.test(request.path)) watches++;
    // (the channel publishes when the request is sent, which may be after its socket was assigned)
    if (request.socket) track(request.socket);
    else request.once('socket', track);
  };
  diagnosticsChannel.subscribe('http.client.request.start', onStart);
  return {
    stop() {
      diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
      return { requests, watches, byMethod: { ...byMethod }, connections: sockets.size, peakOpenConnections: peak };
    },
  };
}
