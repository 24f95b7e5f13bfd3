import { createTransport as createHttp, type HttpAnswer } from '../net/http.js';

/**
 * HTTP for the Aurora client: the shared transport (core/net/http.ts), POST only. Redirects are
 * never followed behind our back (the caller re-POSTs the body to the leader itself), every
 * request is bounded by a timeout from connecting to the last byte (longer on the next call
 * after a scheduler timed out), and bodies are capped so a runaway answer cannot fill memory.
 */

export { TransportError, seconds, type HttpAnswer, type TransportFailure } from '../net/http.js';

export interface Transport {
  post(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer>;
  close(): void;
}

/** A task list of a big cluster with configs is tens of MB (AURORA-458); past this, something is wrong. */
const MAX_BODY = 256 * 1024 * 1024;

export function createTransport(timeoutMs: number): Transport {
  const http = createHttp({ timeoutMs });
  return {
    post: (url, body, headers) => http.send({ url, method: 'POST', body, headers, maxBytes: MAX_BODY }),
    close: () => http.close(),
  };
}
