/** The Mesos clients' HTTP is the shared transport (core/net/http.ts); its names stay importable from here. */
export {
  createTransport,
  TransportError,
  type BodyHead,
  type HttpAnswer,
  type HttpRequest,
  type HttpStream,
  type StreamRequest,
  type Transport,
  type TransportFailure,
  type TransportOptions,
} from '../net/http.js';
