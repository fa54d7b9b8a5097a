import { AppError } from '../../shared/api/envelope';

/** What an uploaded file really is, by its first bytes rather than its name. */
export type SniffedKind = 'xlsx' | 'xls' | 'text' | 'unknown';

export function sniffFile(bytes: Uint8Array): SniffedKind {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  // OLE compound document: the old binary .xls (or an encrypted, password-protected .xlsx).
  if (bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  const head = bytes.subarray(0, 512);
  return head.includes(0) ? 'unknown' : 'text';
}

export function refuseOldExcel(fileName: string): never {
  throw new AppError(
    'invalid_input',
    `文件「${fileName}」是旧版 Excel（.xls）格式或受密码保护的工作簿，无法读取。请在 Excel 中去掉密码并“另存为” .xlsx 后再导入。`,
    [{ path: 'file', message: '请另存为 .xlsx（不带密码）' }],
  );
}

export function decodeBase64File(contentBase64: string, fileName: string, maxBytes: number): Buffer {
  const bytes = Buffer.from(contentBase64, 'base64');
  if (bytes.length === 0) throw new AppError('invalid_input', `文件「${fileName}」是空的`, [{ path: 'file', message: '文件为空' }]);
  if (bytes.length > maxBytes) {
    throw new AppError('invalid_input', `文件「${fileName}」过大（${(bytes.length / 1048576).toFixed(1)} MB），上限 ${maxBytes / 1048576} MB`, [
      { path: 'file', message: '文件过大' },
    ]);
  }
  return bytes;
}
