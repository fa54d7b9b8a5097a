/**
 * Problems with the data folder or database file, found before any service runs.
 * The message is Chinese, names the file, and says what to do; nothing is overwritten.
 */
export type StorageProblem = 'not_writable' | 'corrupt' | 'too_new' | 'in_use' | 'disk_full' | 'wrong_key' | 'key_missing' | 'bad_key';

export class StorageError extends Error {
  constructor(
    readonly problem: StorageProblem,
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/**
 * The Chinese message for a failure of the disk under the data folder met while working (not at
 * start-up): SQLite's own codes, extended ones included (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…),
 * and Node's file-system codes. Null for anything else. Used by the dispatcher and the job runner,
 * so a full or failing disk reads the same whether a call or a background job met it.
 */
export function storageFailureMessage(err: unknown): string | null {
  if (err instanceof StorageError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return '磁盘空间已满，本次操作未保存；已保存的数据不受影响。请清理磁盘后重试。';
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') {
    return '数据文件夹所在的磁盘已变为只读，本次操作未保存；已保存的数据不受影响。请检查磁盘（或 U 盘、网络盘是否已断开）后重新启动回访台。';
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return '读写数据文件夹所在的磁盘时出错，本次操作未保存。请检查磁盘后重新启动回访台；如仍失败请联系管理员。';
  }
  return null;
}
