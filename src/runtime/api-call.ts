import type { ConfigurationOptions, Middleware } from '@kubernetes/client-node';

/**
 * Per-call options of a client-node API method that make the HTTP request end when `signal` aborts; undefined when
 * there is no signal (the API's own configuration is used unchanged).
 */
export function callOptions(signal: AbortSignal | undefined): ConfigurationOptions | undefined {
  if (!signal) return undefined;
  const abortable: Middleware = {
    pre: (context) => {
      context.setSignal(signal);
      return Promise.resolve(context);
    },
    post: (context) => Promise.resolve(context),
  };
  // The object-parameter API declares observable middleware but wraps what it is given as promise middleware.
  return { middleware: [abortable], middlewareMergeStrategy: 'append' } as unknown as ConfigurationOptions;
}

/**
 * Whether a failed call failed because `signal` aborted it: such errors are passed through as they are (an
 * AbortError), for the caller to word as its own abort.
 */
export function abortedBy(signal: AbortSignal | undefined): boolean {
  return signal?.aborted ?? false;
}
