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
