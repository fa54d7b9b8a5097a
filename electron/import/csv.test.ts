import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp';
import { encodeGb18030 } from '../../test/fixtures/generate-import-fixtures.mjs';
import { AppError } from '../../shared/api/envelope';
import { CsvParser, detectDelimiter, detectEncoding, looksLikeHtml, readCsvRecords, unwrapExcelText } from './csv';

function parseAll(text: string, chunkSize = text.length, delimiter = ','): { row: number; cells: string[] }[] {
  const p = new CsvParser(delimiter);
  const out: { row: number; cells: string[] }[] = [];
  for (let i = 0; i < text.length; i += Math.max(1, chunkSize)) out.push(...p.push(text.slice(i, i + Math.max(1, chunkSize))));
  out.push(...p.finish());
  return out;
}

const TRICKY = 'a,"b,c","d\r\ne","f""g"""\r\n,,\r\n"",x\n"only"\rlast,"""quoted"""';
const TRICKY_RECORDS = [
  { row: 1, cells: ['a', 'b,c', 'd\r\ne', 'f"g"'] },
  { row: 2, cells: ['', '', ''] },
  { row: 3, cells: ['', 'x'] },
  { row: 4, cells: ['only'] },
  { row: 5, cells: ['last', '"quoted"'] },
];

describe('CsvParser (RFC 4180)', () => {
  it('reads quoted fields with delimiters, line breaks and "" escapes; CRLF, LF and CR endings', () => {
    expect(parseAll(TRICKY)).toEqual(TRICKY_RECORDS);
  });

  it('gives the same records however the text is cut into chunks', () => {
    for (const size of [1, 2, 3, 5, 7, 11]) expect(parseAll(TRICKY, size), `chunks of ${size}`).toEqual(TRICKY_RECORDS);
  });

  it('does not make an empty record of a final line break, but keeps a last line without one', () => {
    expect(parseAll('a,b\r\n')).toEqual([{ row: 1, cells: ['a', 'b'] }]);
    expect(parseAll('a,b\r\nc')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['c'] },
    ]);
    expect(parseAll('a,\n')).toEqual([{ row: 1, cells: ['a', ''] }]);
  });

  it('counts a blank line as a row, as Excel shows it', () => {
    expect(parseAll('a\n\nb\n')).toEqual([
      { row: 1, cells: ['a'] },
      { row: 2, cells: [''] },
      { row: 3, cells: ['b'] },
    ]);
  });

  it('keeps a stray quote inside an unquoted field as text, like Excel', () => {
    expect(parseAll('张"三,1\n')).toEqual([{ row: 1, cells: ['张"三', '1'] }]);
    expect(parseAll('"ab"c,1\n')).toEqual([{ row: 1, cells: ['abc', '1'] }]);
  });

  it('reads tab-separated text', () => {
    expect(parseAll('a\t"b\tc"\r\nd\te\r\n', 4, '\t')).toEqual([
      { row: 1, cells: ['a', 'b\tc'] },
      { row: 2, cells: ['d', 'e'] },
    ]);
  });

  it('refuses an unclosed quote, naming the row it starts on', () => {
    const p = new CsvParser();
    p.push('a,b\nc,"d\ne,f\n');
    expect(() => p.finish()).toThrow(expect.objectContaining({ code: 'invalid_input', message: '第 2 行开始的引号没有闭合，文件可能不完整或已损坏' }));
  });

  it('unwraps Excel\'s ="00123" text cells', () => {
    expect(unwrapExcelText('="0012345"')).toBe('0012345');
    expect(unwrapExcelText('=SUM(A1)')).toBe('=SUM(A1)');
  });
});

describe('encoding and delimiter detection', () => {
  it('tells UTF-8 (with and without BOM), UTF-16LE and GB18030 apart', () => {
    expect(detectEncoding(Buffer.from('\ufeff保单号,投保人', 'utf8'))).toBe('utf-8-bom');
    expect(detectEncoding(Buffer.from('保单号,投保人', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('policy,name', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('保单号', 'utf16le')]))).toBe('utf-16le');
    expect(detectEncoding(encodeGb18030('保单号,投保人'))).toBe('gb18030');
  });

  it('does not count a UTF-8 character cut off at the end of the sample against UTF-8', () => {
    const bytes = Buffer.from('保单号', 'utf8');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1))).toBe('utf-8');
  });

  it('encodes the GB18030 fixtures with the real GBK codes', () => {
    // 保 B1A3 单 B5A5 号 BAC5: GB2312 codes, independent of the generator's table.
    expect([...encodeGb18030('保单号')]).toEqual([0xb1, 0xa3, 0xb5, 0xa5, 0xba, 0xc5]);
  });

  it('picks tabs only when they outnumber commas outside quotes', () => {
    expect(detectDelimiter('保单号,投保人\nP1,张三')).toBe(',');
    expect(detectDelimiter('保单号\t投保人\nP1\t"张,三"')).toBe('\t');
    expect(detectDelimiter('"a\tb\tc",d\n')).toBe(',');
  });

  it('recognises an HTML table saved as .xls', () => {
    expect(looksLikeHtml('<html><body><table>')).toBe(true);
    expect(looksLikeHtml('  <TABLE border=1>')).toBe(true);
    expect(looksLikeHtml('保单号,投保人')).toBe(false);
  });
});

describe('readCsvRecords', () => {
  const tmp = tempDir('visitdesk-csv-');
  afterAll(() => tmp.cleanup());

  it('decodes GB18030 by chunks: characters split between two reads stay whole', async () => {
    const line = '济南市历下区泉城路一号,张三丰\r\n';
    // 64 KB reads: odd line lengths put every two-byte character across a boundary sooner or later.
    const text = `地址,姓名\r\n${line.repeat(8000)}`;
    const file = path.join(tmp.dir, 'gb.csv');
    fs.writeFileSync(file, encodeGb18030(text));
    let rows = 0;
    let progress = 0;
    for await (const r of readCsvRecords(file, { encoding: 'gb18030', delimiter: ',', onBytes: (b) => (progress = b) })) {
      rows++;
      if (r.row > 1) expect(r.cells).toEqual(['济南市历下区泉城路一号', '张三丰']);
    }
    expect(rows).toBe(8001);
    expect(progress).toBe(fs.statSync(file).size);
  });

  it('drops the UTF-8 BOM and stops at maxRow', async () => {
    const file = path.join(tmp.dir, 'bom.csv');
    fs.writeFileSync(file, '\ufeff保单号,投保人\r\nP1,张三\r\nP2,李四\r\n', 'utf8');
    const rows = [];
    for await (const r of readCsvRecords(file, { encoding: 'utf-8-bom', delimiter: ',', maxRow: 2 })) rows.push(r);
    expect(rows).toEqual([
      { row: 1, cells: ['保单号', '投保人'] },
      { row: 2, cells: ['P1', '张三'] },
    ]);
  });

  it('stops with 「导入已取消」 when the signal aborts', async () => {
    const file = path.join(tmp.dir, 'many.csv');
    fs.writeFileSync(file, 'a,b\n'.repeat(100_000));
    const ac = new AbortController();
    let n = 0;
    const read = async () => {
      for await (const _ of readCsvRecords(file, { encoding: 'utf-8', delimiter: ',', signal: ac.signal })) if (++n === 10) ac.abort();
    };
    await expect(read()).rejects.toEqual(new AppError('cancelled', '导入已取消'));
    expect(n).toBe(10);
  });
});
