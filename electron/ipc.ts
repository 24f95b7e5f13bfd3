import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import type { Console } from '../core/console.js';
import type { BridgeChannels } from '../core/contract/bridge.js';
import type { CallResult } from '../core/contract/errors.js';
import { isAppUrl } from './window.js';

/**
 * Electron main's side of the bridge: calls go to `dispatch`, each window's stream channel
 * (one MessagePort) gets its own stream session. Only our own page may use either.
 */

export const channels: BridgeChannels = { call: 'cantareira:call', streams: 'cantareira:streams' };

/** The parts of an IPC event the trust check reads (both IpcMainEvent and IpcMainInvokeEvent have them). */
export interface IpcSender {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * A message is ours when it comes from the top frame of a window we opened, showing our
 * renderer. `senderFrame` is null once the frame navigated away or died; a subframe or any
 * other origin could be content we never meant to trust with the console.
 */
export function trustedSender(event: IpcSender, windows: ReadonlySet<number>): boolean {
  try {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppUrl(frame.url) && windows.has(event.sender.id);
  } catch {
    // A disposed frame throws on access; it is no sender to trust.
    return false;
  }
}

/**
 * The answer to an untrusted caller. The contract has no "forbidden" code, and none is added:
 * our own page never sees this, so reaching it means our navigation guards failed, which is a
 * bug of the console, i.e. INTERNAL.
 */
export const refusedCall: CallResult<never> = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: 'Refused: call from an untrusted frame.',
    hint: 'This is a bug in the console; the refusal is in its log.',
  },
};

type Core = Pick<Console, 'dispatch' | 'openStreamSession'>;
type Log = (msg: string, err?: unknown) => void;

function describe(event: IpcSender): string {
  let url = '(no frame)';
  try {
    url = event.senderFrame?.url.slice(0, 200) ?? url;
  } catch {
    // keep the placeholder
  }
  return `web contents ${event.sender.id}, frame ${url}`;
}

/** Registers both channels; returns what undoes it (and ends every open stream). */
export function registerIpc(core: Core, windows: ReadonlySet<number>, log: Log): () => void {
  const sessions = new Map<number, () => void>();

  ipcMain.handle(channels.call, (event: IpcMainInvokeEvent, envelope: unknown) => {
    if (!trustedSender(event, windows)) {
      log(`refused a call from ${describe(event)}`);
      return refusedCall;
    }
    return core.dispatch(envelope);
  });

  const onStreams = (event: IpcMainEvent) => {
    const [port, ...extra] = event.ports;
    for (const p of extra) p.close();
    if (!trustedSender(event, windows)) {
      port?.close();
      log(`refused a stream channel from ${describe(event)}`);
      return;
    }
    if (!port) return;

    const contents = event.sender;
    const id = contents.id;
    // A reload sends a new port before the old one reports closed; the window keeps one channel.
    sessions.get(id)?.();

    let open = true;
    const session = core.openStreamSession((msg) => {
      if (open) port.postMessage(msg);
    });
    const end = () => {
      if (!open) return;
      open = false;
      if (sessions.get(id) === end) sessions.delete(id);
      contents.off('destroyed', end);
      session.closeAll();
      port.close();
    };
    sessions.set(id, end);
    port.on('message', (message) => session.handle(message.data));
    port.on('close', end);
    contents.once('destroyed', end);
    port.start();
  };
  ipcMain.on(channels.streams, onStreams);

  return () => {
    ipcMain.removeHandler(channels.call);
    ipcMain.removeListener(channels.streams, onStreams);
    for (const end of [...sessions.values()]) end();
  };
}
