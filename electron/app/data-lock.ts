import fs from 'node:fs';
import path from 'node:path';
import { StorageError } from '../db/storage-error';

const LOCK_NAME = 'visitdesk.lock';
/** Folders this process holds: a second app in the same process is refused like another process. */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file so that two instances never write the same data folder (browser mode; the
 * desktop shell also uses Electron's single-instance lock). A lock left by a dead process is
 * taken over. Returns the release function.
 */
export function acquireDataLock(dir: string): () => void {
  const file = path.join(dir, LOCK_NAME);
  if (held.has(file)) {
    throw new StorageError('in_use', `数据文件夹 ${dir} 已被本程序打开，不能重复打开。`, file);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      held.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(file);
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new StorageError(
          'in_use',
          `数据文件夹 ${dir} 正被另一个回访台（进程 ${pid}）使用。请先关闭那个窗口，或为本实例另选数据文件夹。`,
          file,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new StorageError('in_use', `无法取得数据文件夹 ${dir} 的使用权，请稍后重试。`, file);
}
