import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { fail } from '../../shared/api/envelope';
import type { Call } from '../api/dispatcher';
import { IPC_CHANNEL, isTrustedSenderUrl } from './window-options';

/**
 * The IPC transport of the contract. Every call is checked for its sender (our own top frame on
 * app://) before the dispatcher validates the payload.
 */
export function registerContractIpc(ipcMain: IpcMain, call: Call): void {
  ipcMain.handle(IPC_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, input: unknown, sessionToken: unknown) => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !isTrustedSenderUrl(frame.url)) {
      return fail('forbidden', '拒绝：调用来自不受信任的页面');
    }
    return call(method, input, { sessionToken, caller: event.sender });
  });
}
