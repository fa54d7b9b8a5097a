import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/api/envelope';
import type { MethodName } from '../../shared/api/contract';
import type { TestApp } from '../support/app';
import { importFile } from '../support/import-flow';
import { tempDir } from '../support/temp';
import { demoBranch } from '../support/visit-flow';
import { deflateBomb, SHEET_CLOSE, SHEET_OPEN, sheetRow, workbookEntries, writeZip, zipBytes } from '../support/zip-writer';

/**
 * Hostile files through the contract, as a person at the desk would send them: upload in chunks,
 * import.probe, import.preview. Each must end in {ok:false} with a Chinese message naming the file,
 * within 20 s and 300 MB, with nothing saved and the app still importing a normal list afterwards.
 */
const TIME_LIMIT_MS = 20_000;
const RSS_LIMIT = 300 * 1024 * 1024;
const HEADER = ['保单号', '投保人姓名', '联系电话', '承保日期'];

let app: TestApp;
let staff: string;
const tmp = tempDir('hostile-');
const file = (name: string) => path.join(tmp.dir, name);

interface Outcome {
  /** The first refusal, with the step that gave it; null when every step was answered ok. */
  error: (ApiError & { step: string }) | null;
  answers: unknown[];
  ms: number;
  rssGrowth: number;
}

class Refused extends Error {
  constructor(readonly step: string, readonly error: ApiError) {
    super(error.message);
  }
}

/** Whatever is still running when the time is up is reported, not waited for. */
function within<T>(p: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Refused(step, { code: 'internal', message: `超时：${step} 超过 ${ms / 1000} 秒仍未回答` })), ms);
    }),
  ]);
}

async function tryImport(filePath: string, fileName = path.basename(filePath)): Promise<Outcome> {
  const answers: unknown[] = [];
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = Date.now();
  const deadline = started + TIME_LIMIT_MS;
  const call = async <T>(step: MethodName, input: unknown): Promise<T> => {
    const r = await within(app.call(step, input, { sessionToken: staff }), Math.max(1, deadline - Date.now()), step);
    answers.push(r);
    if (!r.ok) throw new Refused(step, r.error);
    return r.value as T;
  };
  let error: Outcome['error'] = null;
  try {
    const bytes = fs.readFileSync(filePath);
    const { uploadId, chunkSize } = await call<{ uploadId: string; chunkSize: number }>('uploads.begin', { fileName, size: bytes.length });
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      await call('uploads.chunk', { uploadId, offset, dataBase64: bytes.subarray(offset, offset + chunkSize).toString('base64') });
    }
    await call('uploads.finish', { uploadId });
    const probe = await call<{ mapping: object; defaultKind: string | null }>('import.probe', { uploadId });
    const { jobId } = await call<{ jobId: string }>('import.preview', { uploadId, mapping: probe.mapping, defaultKind: probe.defaultKind ?? 'new_policy' });
    for (;;) {
      const job = await call<{ state: string; error: ApiError | null }>('jobs.get', { jobId });
      if (job.state === 'failed' && job.error) throw new Refused('import.preview（后台任务）', job.error);
      if (job.state !== 'running') break;
      if (Date.now() > deadline) {
        await app.call('jobs.cancel', { jobId }, { sessionToken: staff });
        throw new Refused('import.preview（后台任务）', { code: 'internal', message: `超时：预览超过 ${TIME_LIMIT_MS / 1000} 秒仍未结束` });
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    await call('import.previewResult', { jobId });
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    error = { ...e.error, step: e.step };
  } finally {
    clearInterval(sampler);
  }
  return { error, answers, ms: Date.now() - started, rssGrowth: peak - rss0 };
}

const countTasks = () => app.db.prepare('SELECT COUNT(*) FROM visit_tasks').pluck().get() as number;
const countBatches = () => app.db.prepare('SELECT COUNT(*) FROM import_batches').pluck().get() as number;

/** The checks every hostile file must pass; `more` adds the case's own. */
async function expectRefused(filePath: string, more: (error: NonNullable<Outcome['error']>, o: Outcome) => void = () => {}): Promise<void> {
  const name = path.basename(filePath);
  const tasks = countTasks();
  const batches = countBatches();
  const o = await tryImport(filePath);
  expect(o.error, `「${name}」must be refused, but every step answered ok`).not.toBeNull();
  const error = o.error!;
  const where = `${name} at ${error.step}: ${error.code} ${error.message}`;
  expect(error.code, where).not.toBe('internal');
  expect(error.code, where).toBe('invalid_input');
  expect(error.message, where).toMatch(/[\u4e00-\u9fff]/);
  expect(error.message, `${where} — the message must name the file`).toContain(name);
  expect(o.ms, where).toBeLessThan(TIME_LIMIT_MS);
  expect(o.rssGrowth, `${where} — memory grew by ${Math.round(o.rssGrowth / 1048576)} MB`).toBeLessThan(RSS_LIMIT);
  expect(countTasks(), 'nothing saved').toBe(tasks);
  expect(countBatches(), 'no import batch recorded').toBe(batches);
  // Nothing from the machine's files leaks into any answer (an external entity resolved).
  expect(JSON.stringify(o.answers)).not.toMatch(/root:x?:0:0|\/bin\/(ba)?sh/);
  more(error, o);
  await expectStillWorking();
}

let normalRound = 0;
/** A normal list right after: the app must still read, check and save. */
async function expectStillWorking(): Promise<void> {
  normalRound++;
  const csv = file(`正常清单-${normalRound}.csv`);
  fs.writeFileSync(csv, `${HEADER.join(',')}\nP88${String(normalRound).padStart(8, '0')},赵六,13900139000,2026-11-20\n`);
  const { preview, summary } = await importFile(app, staff, csv, 'new_policy');
  expect(preview.valid).toBe(1);
  expect(summary.created + summary.updated + summary.unchanged).toBe(1);
}

/** A deterministic byte generator, so a failing random file is the same on every run. */
function randomBytes(count: number, seed: number): Buffer {
  const out = Buffer.alloc(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** Encodes text in a legacy two-byte encoding by inverting the platform's decoder for it. */
function encodeLegacy(text: string, label: 'big5' | 'shift_jis'): Buffer {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder(label);
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      const ch = decoder.decode(Uint8Array.of(hi, lo));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else bytes.push(...(table.get(ch) ?? [0x3f]));
  }
  return Buffer.from(bytes);
}

const ROWS = [HEADER, ['P2026000001', '张三', '13800138000', '2026-11-20']];

beforeAll(async () => {
  const b = await demoBranch();
  app = b.app;
  staff = b.staff;
}, 60_000);
afterAll(() => {
  app?.cleanup();
  tmp.cleanup();
});

describe('hostile workbooks', () => {
  it('a zip bomb: a sheet that inflates to 3.7 GB, declared honestly', async () => {
    const bomb = deflateBomb(SHEET_OPEN + sheetRow(1, HEADER).replace('</row>', ''), '<c><v>1</v></c>', 3700, `</row>${SHEET_CLOSE}`);
    expect(bomb.size).toBeGreaterThan(3.5e9);
    await writeZip(file('炸弹.xlsx'), workbookEntries({ sheet: { raw: bomb } }));
    await expectRefused(file('炸弹.xlsx'));
  });

  it('a zip bomb whose local and central headers both claim 64 KB', async () => {
    const bomb = deflateBomb(SHEET_OPEN + sheetRow(1, HEADER) + '<row r="2">', '<c><v>1</v></c>', 3700, `</row>${SHEET_CLOSE}`);
    const lie = { size: 64 * 1024 };
    await writeZip(file('炸弹-谎报大小.xlsx'), workbookEntries({ sheet: { raw: bomb, lie: { central: lie, local: lie } } }));
    await expectRefused(file('炸弹-谎报大小.xlsx'));
  });

  it('a zip bomb whose central directory and local header disagree about its size', async () => {
    const bomb = deflateBomb(SHEET_OPEN + sheetRow(1, HEADER) + '<row r="2">', '<c><v>1</v></c>', 3700, `</row>${SHEET_CLOSE}`);
    await writeZip(file('炸弹-头不一致.xlsx'), workbookEntries({ sheet: { raw: bomb, lie: { central: { size: 64 * 1024 } } } }));
    await expectRefused(file('炸弹-头不一致.xlsx'));
  });

  const LAUGHS_DTD =
    '<!DOCTYPE lolz [<!ENTITY lol "lol">' +
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
    ']>';
  const XXE_DTD = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
  const sst = (dtd: string, text: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>${dtd}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>${text}</t></si></sst>`;
  // The header row in plain inline strings, then a data row whose name comes from shared string 0.
  const sheetUsingShared = (dtd = '') =>
    `<?xml version="1.0" encoding="UTF-8"?>${dtd}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRow(1, HEADER)}<row r="2"><c r="A2" t="inlineStr"><is><t>P2026000001</t></is></c><c r="B2" t="s"><v>0</v></c></row>${SHEET_CLOSE}`;
  const sheetWithEntity = (dtd: string, ref: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>${dtd}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRow(1, HEADER)}<row r="2"><c r="A2" t="inlineStr"><is><t>P2026000001</t></is></c><c r="B2" t="inlineStr"><is><t>${ref}</t></is></c></row>${SHEET_CLOSE}`;

  it('XML entity expansion ("billion laughs") in sharedStrings.xml', async () => {
    await writeZip(file('实体膨胀-共享字符串.xlsx'), workbookEntries({ sheet: { data: sheetUsingShared() }, sharedStrings: { data: sst(LAUGHS_DTD, '&lol9;') } }));
    await expectRefused(file('实体膨胀-共享字符串.xlsx'));
  });

  it('XML entity expansion ("billion laughs") in the sheet', async () => {
    await writeZip(file('实体膨胀-工作表.xlsx'), workbookEntries({ sheet: { data: sheetWithEntity(LAUGHS_DTD, '&lol9;') } }));
    await expectRefused(file('实体膨胀-工作表.xlsx'));
  });

  it('an external entity (XXE, file:///etc/passwd) in sharedStrings.xml', async () => {
    await writeZip(file('外部实体-共享字符串.xlsx'), workbookEntries({ sheet: { data: sheetUsingShared() }, sharedStrings: { data: sst(XXE_DTD, '&xxe;') } }));
    await expectRefused(file('外部实体-共享字符串.xlsx'));
  });

  it('an external entity (XXE, file:///etc/passwd) in the sheet', async () => {
    await writeZip(file('外部实体-工作表.xlsx'), workbookEntries({ sheet: { data: sheetWithEntity(XXE_DTD, '&xxe;') } }));
    await expectRefused(file('外部实体-工作表.xlsx'));
  });

  it('a sheet with 1,048,576 rows is refused, naming the 200,000-row limit', async () => {
    await writeZip(file('一百万行.xlsx'), workbookEntries({
      sheet: {
        chunks: () => (function* () {
          yield SHEET_OPEN + sheetRow(1, HEADER);
          for (let r = 2; r <= 1_048_576; r++) yield sheetRow(r, [`P${String(r).padStart(11, '0')}`, '钱七', '13800138000', '2026-11-20']);
          yield SHEET_CLOSE;
        })(),
      },
    }));
    await expectRefused(file('一百万行.xlsx'), (error) => expect(error.message).toMatch(/200,000|20 万/));
  }, 120_000);

  it('a truncated workbook', async () => {
    const whole = await zipBytes(workbookEntries({ rows: ROWS }));
    fs.writeFileSync(file('截断.xlsx'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expectRefused(file('截断.xlsx'));
  });

  it('random bytes named .xlsx', async () => {
    fs.writeFileSync(file('乱码.xlsx'), randomBytes(200_000, 20261125));
    await expectRefused(file('乱码.xlsx'));
  });

  it('a zip without xl/workbook.xml', async () => {
    await writeZip(file('没有工作簿.xlsx'), workbookEntries({ rows: ROWS, omit: ['xl/workbook.xml'] }));
    await expectRefused(file('没有工作簿.xlsx'));
  });

  it('a password-protected workbook (an OLE compound file, D0 CF 11 E0)', async () => {
    const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const body = Buffer.concat([Buffer.from('EncryptionInfo\0EncryptedPackage\0', 'utf16le'), randomBytes(40_000, 7)]);
    fs.writeFileSync(file('加密.xlsx'), Buffer.concat([header, Buffer.alloc(504), body]));
    await expectRefused(file('加密.xlsx'), (error) => expect(error.message).toMatch(/密码/));
  });
});

describe('CSVs in unexpected encodings', () => {
  const table = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
  const many = (n: number, name: string) => [HEADER, ...Array.from({ length: n }, (_, i) => [`P2026${String(i).padStart(6, '0')}`, name, '13800138000', '2026-11-20'])];

  it('UTF-16BE without a BOM', async () => {
    const le = Buffer.from(table(many(20, '张三')), 'utf16le');
    fs.writeFileSync(file('utf16be.csv'), le.swap16());
    await expectRefused(file('utf16be.csv'));
  });

  it('Big5 (a Traditional Chinese list)', async () => {
    fs.writeFileSync(file('big5.csv'), encodeLegacy(table([['保單號', '投保人姓名', '聯絡電話', '承保日期'], ...many(20, '陳大文').slice(1)]), 'big5'));
    await expectRefused(file('big5.csv'), (error) => expect(error.message).toMatch(/编码|乱码|字符/));
  });

  it('Shift_JIS', async () => {
    fs.writeFileSync(file('shift_jis.csv'), encodeLegacy(table([['証券番号', '契約者氏名', '電話番号', '契約日'], ...many(20, '山田太郎').slice(1)]), 'shift_jis'));
    await expectRefused(file('shift_jis.csv'), (error) => expect(error.message).toMatch(/编码|乱码|字符/));
  });

  it('NUL bytes near the top', async () => {
    fs.writeFileSync(file('nul-开头.csv'), Buffer.from(table(many(5, '张\0三')), 'utf8'));
    await expectRefused(file('nul-开头.csv'));
  });

  it('NUL bytes in a cell far down the file, named by row and column', async () => {
    const rows = many(3000, '李四');
    rows[2500]![1] = '李\0四';
    fs.writeFileSync(file('nul-中间.csv'), Buffer.from(table(rows), 'utf8'));
    await expectRefused(file('nul-中间.csv'), (error) => expect(`${error.message} ${JSON.stringify(error.issues ?? [])}`).toMatch(/第 2501 行/)); // rows[0] is the header, so rows[2500] is line 2501
  });

  it('a binary file named .csv', async () => {
    fs.writeFileSync(file('二进制.csv'), randomBytes(100_000, 42));
    await expectRefused(file('二进制.csv'));
  });
});
