import { Observable, type ConfigurationOptions, type ObservableMiddleware } from '@kubernetes/client-node';

/**
 * Per-call options of a client-node API method that make the HTTP request end when `signal` aborts; undefined when
 * there is no signal (the API's own configuration is used unchanged). The aborted call rejects with the AbortError.
 */
export function callOptions(signal: AbortSignal | undefined): ConfigurationOptions | undefined {
  if (!signal) return undefined;
  const abortable: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (context) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [abortable], middlewareMergeStrategy: 'append' };
}
