import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../../shared/api/contract';
import { IPC_CHANNEL } from './window-options';

// The page gets one function per contract method and nothing else: no ipcRenderer, no channels.
const api = Object.freeze(
  Object.fromEntries(
    METHOD_NAMES.map((name) => [name, (input: unknown, sessionToken: unknown) => ipcRenderer.invoke(IPC_CHANNEL, name, input, sessionToken)]),
  ),
);
contextBridge.exposeInMainWorld('visitdesk', api);
