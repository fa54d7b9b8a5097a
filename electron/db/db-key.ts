import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hasPlainSqliteHeader } from './database';
import { StorageError } from './storage-error';

/** 256-bit key, used raw (no passphrase KDF: it is random, and opening stays instant). */
export const KEY_BYTES = 32;
const KEY_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * The operating system's key store (Electron safeStorage: DPAPI on Windows, libsecret/kwallet on
 * Linux). Only the desktop shell provides one; it is the only place that imports electron.
 */
export interface KeyVault {
  available(): boolean;
  wrap(secret: string): Buffer;
  unwrap(wrapped: Buffer): string;
}

export interface KeyOptions {
  dataDir: string;
  /** The database file the key is for: a key is only ever created for a database that does not exist yet. */
  databaseFile: string;
  env?: NodeJS.ProcessEnv;
  vault?: KeyVault;
}

export interface ResolvedKey {
  key: Buffer;
  /** Where it came from, for messages (never the key itself). */
  source: string;
}

/** Browser mode and tests: a key file beside the data folder (`<folder>.key`), not inside it. */
export function keyFileBeside(dataDir: string): string {
  const abs = path.resolve(dataDir);
  return path.join(path.dirname(abs), `${path.basename(abs)}.key`);
}

/** Desktop: the key wrapped by the OS key store, inside the data folder (useless without the user's OS account). */
export const WRAPPED_KEY_FILE = 'visitdesk.key.wrapped';

function parseHex(text: string, where: string): Buffer {
  const hex = text.trim();
  if (!KEY_HEX.test(hex)) {
    throw new StorageError('bad_key', `${where}中的数据库密钥格式不正确：应为 64 位十六进制字符。未打开数据库，文件未做任何改动。`, where);
  }
  return Buffer.from(hex, 'hex');
}

/** A database that already holds data, encrypted: creating a new key for it would only hide it. */
const holdsEncryptedData = (file: string) => hasPlainSqliteHeader(file) === false;

function missing(databaseFile: string, looked: string): StorageError {
  return new StorageError(
    'key_missing',
    `数据库文件 ${databaseFile} 已加密，但找不到它的密钥（${looked}）。没有密钥无法打开，也不会新建空数据库；文件未做任何改动。请把原来的密钥放回原处（或设置环境变量 VISITDESK_DB_KEY），或联系管理员。`,
    databaseFile,
  );
}

/**
 * Finds the database key, creating one only for a database that does not exist yet (or an old
 * unencrypted one about to be encrypted). Order: VISITDESK_DB_KEY, then the OS-wrapped key file
 * (desktop), then the key file beside the data folder (browser mode; VISITDESK_KEY_FILE overrides).
 */
export function resolveDatabaseKey(options: KeyOptions): ResolvedKey {
  const env = options.env ?? process.env;
  const fromEnv = env.VISITDESK_DB_KEY;
  if (fromEnv) return { key: parseHex(fromEnv, '环境变量 VISITDESK_DB_KEY '), source: 'VISITDESK_DB_KEY' };

  if (options.vault) {
    const file = path.join(options.dataDir, WRAPPED_KEY_FILE);
    if (fs.existsSync(file)) {
      let hex: string;
      try {
        hex = options.vault.unwrap(fs.readFileSync(file));
      } catch {
        throw new StorageError(
          'key_missing',
          `无法用本机系统账户解开数据库密钥 ${file}（可能换了 Windows 账户或重装了系统）。数据库未打开，文件未做任何改动；请用原来的账户登录，或联系管理员。`,
          file,
        );
      }
      return { key: parseHex(hex, `密钥文件 ${file} `), source: file };
    }
    if (holdsEncryptedData(options.databaseFile)) throw missing(options.databaseFile, file);
    if (!options.vault.available()) {
      throw new StorageError('key_missing', '本机系统密钥库不可用，无法安全保存数据库密钥。请联系管理员。', file);
    }
    const key = randomBytes(KEY_BYTES);
    writeNew(file, options.vault.wrap(key.toString('hex')));
    return { key, source: file };
  }

  const file = env.VISITDESK_KEY_FILE ? path.resolve(env.VISITDESK_KEY_FILE) : keyFileBeside(options.dataDir);
  if (fs.existsSync(file)) return { key: parseHex(fs.readFileSync(file, 'utf8'), `密钥文件 ${file} `), source: file };
  if (holdsEncryptedData(options.databaseFile)) throw missing(options.databaseFile, file);
  const key = randomBytes(KEY_BYTES);
  writeNew(file, `${key.toString('hex')}\n`);
  return { key, source: file };
}

/** Written once, readable by the owner only, and never over an existing key. */
function writeNew(file: string, content: string | Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    throw new StorageError('not_writable', `无法保存数据库密钥文件 ${file}（${code}）。请检查该文件夹的权限。`, file);
  }
}
