import type { CantareiraBridge } from '../../core/contract/bridge';
import { asContractError } from './errors';
import type { Transport } from './transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser on the headless host. */
    cantareira?: CantareiraBridge;
  }
}

export function electronBridge(): CantareiraBridge | null {
  const bridge = window.cantareira;
  return bridge && bridge.host === 'electron' ? bridge : null;
}

/** The preload bridge as a transport: the window's IPC does not drop, so it is always open. */
export function bridgeTransport(bridge: CantareiraBridge): Transport {
  return {
    kind: 'electron',
    call: (name, input) => bridge.call(name, input),
    subscribe: (name, input, onBatch, onError) => bridge.subscribe(name, input, onBatch, (e) => onError(asContractError(e))),
    watchConnection(listener) {
      listener({ kind: 'open' });
      return () => {};
    },
  };
}
