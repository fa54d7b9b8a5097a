import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3-multiple-ciphers';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';
import { StorageError } from './storage-error';

export type { Database } from 'better-sqlite3-multiple-ciphers';

export interface OpenOptions {
  file: string;
  /** Path to a better_sqlite3.node built for the current runtime (Electron uses its own build). */
  nativeBinding?: string;
  /**
   * The 256-bit database key (SQLCipher-compatible encryption of the file and its WAL); null only
   * for databases that hold no personal data (the reference head-office server's tests).
   */
  key: Buffer | null;
  /** For migration tests: stop after this version. */
  migrateTo?: number;
  migrations?: readonly Migration[];
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export const DATABASE_FILE_NAME = 'visitdesk.sqlite';

/** Whether a database file starts with stock SQLite's header; null when it is missing or empty. */
export function hasPlainSqliteHeader(file: string): boolean | null {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return null;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.equals(SQLITE_HEADER);
}

/** Makes sure the folder exists and can be written, by really writing to it (root ignores modes). */
export function ensureWritableFolder(dir: string): void {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    const elsewhere = '（浏览器模式可设置环境变量 VISITDESK_DATA）';
    // A full disk is cleared, not moved away from: the data already there is fine.
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new StorageError('disk_full', `数据文件夹 ${dir} 所在的磁盘空间已满，无法写入。请清理磁盘后重试，或换一个空间充足的文件夹${elsewhere}。`, dir);
    }
    const why = code === 'EROFS' ? '位于只读磁盘，无法写入' : `无法创建或写入（${code}）`;
    throw new StorageError(
      'not_writable',
      `数据文件夹 ${dir} ${why}。请换一个可写的文件夹${elsewhere}，或请管理员检查磁盘与权限。`,
      dir,
    );
  }
}

function corrupt(file: string, detail: string): StorageError {
  return new StorageError(
    'corrupt',
    `数据库文件 ${file} 已损坏或不是回访台的数据库（${detail}）。文件未做任何改动：请勿删除，请联系管理员从备份恢复，或将其移走后再启动。`,
    file,
  );
}

/**
 * Opens (creating if needed) the branch database: WAL, synchronous=FULL, foreign keys,
 * ordered migrations tracked by PRAGMA user_version. Refuses corrupt files and files written by
 * a newer version, without touching them.
 */
export function openDatabase(options: OpenOptions): Database {
  const { file } = options;
  const migrations = options.migrations ?? MIGRATIONS;
  ensureWritableFolder(path.dirname(file));

  let plaintext = false;
  if (fs.existsSync(file)) {
    if (!fs.statSync(file).isFile()) throw corrupt(file, '不是普通文件');
    const plain = hasPlainSqliteHeader(file);
    if (plain !== null) {
      plaintext = plain;
      // Without a key only a plain SQLite file can be ours; with one, a foreign header is what
      // encryption looks like, and the key check below tells a wrong key from a good one.
      if (!plaintext && !options.key) throw corrupt(file, '文件头不正确');
    }
  }

  let db: Database;
  try {
    db = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (err) {
    throw corrupt(file, (err as Error).message);
  }

  if (options.key) {
    try {
      applyKey(db, options.key, plaintext);
    } catch (err) {
      db.close();
      const code = (err as { code?: string }).code ?? '';
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new StorageError(
          'wrong_key',
          `无法用当前密钥打开数据库文件 ${file}：密钥不正确，或文件已损坏。文件未做任何改动；没有新建空数据库。请使用本机原来的密钥，或联系管理员从备份恢复。`,
          file,
        );
      }
      throw err;
    }
  }

  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = migrations.length;
    if (version > latest) {
      throw new StorageError(
        'too_new',
        `数据库文件 ${file} 由更新版本的回访台写入（数据版本 ${version}，本程序最高支持 ${latest}）。请安装最新版本后再打开；文件未做任何改动。`,
        file,
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Every page read from disk is decrypted and authenticated, so a page evicted and read again
    // costs far more than in plain SQLite: a 100,000-row import touched its indexes' pages over and
    // over with the 2 MB default. 64 MB holds a large branch's hot indexes.
    db.pragma('cache_size = -65536');
    migrate(db, migrations, options.migrateTo ?? latest);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StorageError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw corrupt(file, code);
    if (code === 'SQLITE_FULL') {
      throw new StorageError('disk_full', `磁盘空间已满，无法打开数据库文件 ${file}。请清理磁盘后重试；已保存的数据不受影响。`, file);
    }
    throw err;
  }
}

const CIPHER_PRAGMAS = ["cipher = 'sqlcipher'", 'legacy = 4'];
const keyLiteral = (key: Buffer) => `"x'${key.toString('hex')}'"`;

/** The pragmas that open an encrypted branch database with this key (also for a second connection). */
export function keyPragmas(key: Buffer): string[] {
  return [...CIPHER_PRAGMAS, `key = ${keyLiteral(key)}`];
}

/**
 * Keys the connection (SQLCipher 4 format, raw 256-bit key) and proves the key by reading the
 * schema. A plain file from before encryption is encrypted in place first; SQLite3MultipleCiphers
 * cannot rekey in WAL mode, hence the switch to a rollback journal for that one step.
 */
function applyKey(db: Database, key: Buffer, plaintext: boolean): void {
  if (plaintext) {
    for (const p of CIPHER_PRAGMAS) db.pragma(p);
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey = ${keyLiteral(key)}`);
  } else {
    for (const p of keyPragmas(key)) db.pragma(p);
  }
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

/** Applies pending migrations, each in its own transaction together with its user_version bump. */
export function migrate(db: Database, migrations: readonly Migration[], target: number): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export { LATEST_VERSION };
