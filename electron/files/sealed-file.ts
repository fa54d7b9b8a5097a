import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';

const MAGIC = Buffer.from('VDA1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Attachments on disk (photos, scans, recordings) are encrypted with a key derived from the
 * database key (AES-256-GCM, so a changed byte fails to open rather than showing altered content).
 * A separate derived key keeps the database key itself out of any second use.
 */
export function createSealer(databaseKey: Buffer) {
  const key = Buffer.from(hkdfSync('sha256', databaseKey, Buffer.alloc(0), 'visitdesk/attachments/v1', 32));

  return {
    seal(plain: Buffer): Buffer {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
    },

    /** Null when the bytes were altered or sealed with another key. */
    open(sealed: Buffer): Buffer | null {
      if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) return null;
      const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
      const tag = sealed.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch {
        return null;
      }
    },

    /** Writes beside the target and renames, so a crash never leaves half a file under the real name. */
    writeFile(target: string, plain: Buffer): void {
      const tmp = `${target}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, this.seal(plain));
        fs.renameSync(tmp, target);
      } catch (err) {
        // A disk that filled part-way leaves no half-written file behind.
        fs.rmSync(tmp, { force: true });
        throw err;
      }
    },
  };
}
export type Sealer = ReturnType<typeof createSealer>;
