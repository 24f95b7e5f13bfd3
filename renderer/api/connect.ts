import { bridgeTransport, electronBridge } from './bridge';
import { createApi, type Api } from './client';
import { resumeInput } from './resume';
import { socketTransport, socketUrl } from './socket';
import { socketProtocols, takeToken } from './token';

/**
 * Picks the transport once, at startup: the preload bridge inside the desktop app, otherwise
 * the headless host's WebSocket on the page's own origin.
 */
export function connectApi(): Api {
  const bridge = electronBridge();
  if (bridge) return createApi(bridgeTransport(bridge));
  return createApi(
    socketTransport({
      url: socketUrl(),
      protocols: () => socketProtocols(takeToken({ location: window.location, storage: window.sessionStorage, history: window.history })),
      resume: resumeInput,
    }),
  );
}
