import { createHash, randomUUID, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/api/envelope';
import { guardZipFile } from '../files/zip-guard';

export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

interface Upload {
  id: string;
  userId: number;
  fileName: string;
  size: number;
  received: number;
  file: string;
  /** Hashed as the chunks arrive, so a 100 MB list is never read back whole. */
  hash: Hash;
  sha256: string | null;
  /** Set once the whole file is in and has been checked as a container. */
  checked: Promise<void> | null;
  ready: boolean;
  /** Why the file may not be read; what every reader of it is answered. */
  refusal: AppError | null;
}

export interface FinishedUpload {
  id: string;
  fileName: string;
  file: string;
  size: number;
  sha256: string;
}

/**
 * Files reach main in chunks through the contract (the same over IPC and HTTP), into a folder
 * beside the database. Nothing is imported from an upload until the user confirms a preview.
 */
export function createUploadService(dataDir: string) {
  const dir = path.join(dataDir, 'uploads');
  fs.mkdirSync(dir, { recursive: true });
  // Uploads live only as long as this process (their registry is in memory), so anything left
  // from before is a crash's leftover: removed at once, since it may hold customers' data.
  for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { force: true, recursive: true });
  const uploads = new Map<string, Upload>();

  function own(id: string, userId: number): Upload {
    const u = uploads.get(id);
    if (!u || u.userId !== userId) throw new AppError('not_found', '找不到上传的文件，请重新选择文件');
    return u;
  }

  /**
   * A zip (an .xlsx, whatever its name says) is checked as a container before any reader unpacks
   * it: bombs, lying headers, encrypted entries, DTDs, a sheet past the row limit.
   */
  async function checkContainer(u: Upload): Promise<void> {
    const fh = await fs.promises.open(u.file, 'r');
    const head = Buffer.alloc(4);
    try {
      await fh.read(head, 0, 4, 0);
    } finally {
      await fh.close();
    }
    if (head.readUInt32LE(0) === 0x04034b50) await guardZipFile(u.file, u.fileName);
  }

  return {
    begin(fileName: string, size: number, userId: number): { uploadId: string; chunkSize: number } {
      if (size > MAX_UPLOAD_BYTES) {
        throw new AppError('invalid_input', `文件「${fileName}」有 ${(size / 1048576).toFixed(0)} MB，超过上限 ${MAX_UPLOAD_BYTES / 1048576} MB。请按月份或件类型拆分后分别导入。`, [
          { path: 'file', message: '文件过大' },
        ]);
      }
      if (size === 0) throw new AppError('invalid_input', `文件「${fileName}」是空的`, [{ path: 'file', message: '文件为空' }]);
      const id = randomUUID();
      const file = path.join(dir, `${id}.part`);
      fs.writeFileSync(file, '');
      uploads.set(id, { id, userId, fileName, size, received: 0, file, hash: createHash('sha256'), sha256: null, checked: null, ready: false, refusal: null });
      return { uploadId: id, chunkSize: UPLOAD_CHUNK_BYTES };
    },

    chunk(id: string, offset: number, data: Buffer, userId: number): { received: number } {
      const u = own(id, userId);
      if (u.sha256) throw new AppError('conflict', '文件已上传完毕');
      if (offset !== u.received) throw new AppError('conflict', `上传顺序错误：应从第 ${u.received} 字节继续`);
      if (u.received + data.length > u.size) throw new AppError('invalid_input', '上传的内容超过了声明的文件大小');
      try {
        fs.appendFileSync(u.file, data);
      } catch (err) {
        // A chunk cut short by a full disk is taken back, so the same chunk can be sent again at
        // the same offset once there is room; left in place, it would sit in front of the resent one.
        try {
          fs.truncateSync(u.file, u.received);
        } catch {
          /* the file is unusable either way: finish() never vouches for more than was received */
        }
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT') {
          throw new AppError('storage_error', `磁盘空间已满，文件「${u.fileName}」未能传完（已收到 ${u.received} 字节）。请清理磁盘后重试。`);
        }
        throw err;
      }
      u.hash.update(data);
      u.received += data.length;
      return { received: u.received };
    },

    async finish(id: string, userId: number): Promise<FinishedUpload> {
      const u = own(id, userId);
      if (u.received !== u.size) throw new AppError('conflict', `文件未传完（${u.received}/${u.size} 字节），请重新选择文件`);
      u.sha256 ??= u.hash.digest('hex');
      u.checked ??= checkContainer(u).catch((e: unknown) => {
        if (!(e instanceof AppError)) throw e;
        // The transfer itself succeeded; the file is refused where it is read (import.probe),
        // and a refused file is of no further use and may be large: its bytes go at once.
        u.refusal = e;
        fs.rmSync(u.file, { force: true });
      });
      await u.checked;
      u.ready = true;
      return { id: u.id, fileName: u.fileName, file: u.file, size: u.size, sha256: u.sha256 };
    },

    /** A finished upload; readers never see one that has not passed `finish`'s checks. */
    get(id: string, userId: number): FinishedUpload {
      const u = own(id, userId);
      if (u.refusal) throw u.refusal;
      if (!u.ready || !u.sha256) throw new AppError('conflict', `文件「${u.fileName}」尚未上传完毕，请重新选择文件`);
      return { id: u.id, fileName: u.fileName, file: u.file, size: u.size, sha256: u.sha256 };
    },

    discard(id: string): void {
      const u = uploads.get(id);
      if (!u) return;
      uploads.delete(id);
      fs.rmSync(u.file, { force: true });
    },
  };
}
export type UploadService = ReturnType<typeof createUploadService>;
