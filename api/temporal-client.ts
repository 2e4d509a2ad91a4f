/**
 * The API's Temporal client. The SDK's defaults suit a worker, not an HTTP request: its gRPC
 * retry makes 10 attempts over about 20 s on UNAVAILABLE, and an abort signal does not stop the
 * retries already scheduled, so with the server down a bounded 8 s wait took 20 s, and the
 * intake (two such waits) 40 s. Here:
 * - UNAVAILABLE is retried 5 times over about 2 s (a server restart or a dropped connection is
 *   ridden out, a server that is down is reported quickly);
 * - every call without a deadline of its own gets one (TEMPORAL_CALL_DEADLINE_MS), which the
 *   retries inherit, so no call waits longer than that on a server that accepts and never answers;
 * - the channel retries a lost connection every 2 s at most (gRPC's default backs off to 120 s,
 *   so the API would stay cut off for minutes after the server came back).
 */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/** The bound of a Temporal call that sets none itself (bounded waits set theirs: api/temporal-wait.ts). */
export const TEMPORAL_CALL_DEADLINE_MS = 10_000;
/** Attempts of a call the server answers UNAVAILABLE (or cannot be reached for): about 2 s in all. */
export const TEMPORAL_UNAVAILABLE_ATTEMPTS = 5;

/** Gives every call without a deadline one `ms` from its start; retries of the call inherit it. */
export function defaultDeadline(ms: number): Interceptor {
  return (options, nextCall) =>
    // The next call is itself an intercepting call (grpc-js types it as its interface only).
    nextCall(options.deadline === undefined ? { ...options, deadline: Date.now() + ms } : options) as ReturnType<Interceptor>;
}

export function apiConnectionOptions(address: string): ConnectionOptions {
  return {
    address,
    interceptors: [
      defaultDeadline(TEMPORAL_CALL_DEADLINE_MS),
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: TEMPORAL_UNAVAILABLE_ATTEMPTS })),
    ],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
  };
}

/** Connects the API's client (the server must answer now; afterwards outages are ridden out). */
export async function connectApiClient(address: string, namespace: string): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect(apiConnectionOptions(address));
  return { client: new Client({ connection, namespace }), connection };
}

/** gRPC connectivity state READY (grpc-js `connectivityState.READY`). */
const READY = 2;

/**
 * Whether the client holds a live connection to the server right now: a call that got no answer
 * in time over a live connection waited for a worker, not for the server.
 */
export function temporalConnected(client: Client): boolean {
  const grpcClient = (client.connection as unknown as { client?: { getChannel(): { getConnectivityState(connect: boolean): number } } })
    .client;
  return grpcClient?.getChannel().getConnectivityState(false) === READY;
}
