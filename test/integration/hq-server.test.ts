import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_BATCH_BYTES,
  MAX_CHANGES_PER_PAGE,
  MAX_CHUNK_BYTES,
  PROTOCOL,
  blobStatus,
  changesResponse,
  enrolResponse,
  errorBody,
  recordsBatchResponse,
  type ErrorBody,
  type SyncChange,
  type SyncRecord,
  type SyncTask,
} from '../../shared/sync/protocol';
import { startHqServer, type HqServer } from '../hq/hq-server';
import { tempDir } from '../support/temp';

// A 1×1 PNG: the server checks a signature's bytes against its hash and for the PNG signature.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let temp: { dir: string; cleanup: () => void };
let hq: HqServer;

const SEED = {
  branches: [
    { code: 'GZ01', name: '广州天河支公司' },
    { code: 'SZ01', name: '深圳福田支公司' },
  ],
  enrolmentCodes: [
    { branchCode: 'GZ01', code: 'GZ-ENROL-1' },
    { branchCode: 'GZ01', code: 'GZ-ENROL-2' },
    { branchCode: 'SZ01', code: 'SZ-ENROL-1' },
  ],
};

beforeAll(async () => {
  temp = tempDir('vd-hq-');
  hq = await startHqServer({ dataDir: temp.dir, port: 0, host: '127.0.0.1', seed: SEED });
});
afterAll(async () => {
  await hq?.close();
  temp?.cleanup();
});

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function call(
  urlPath: string,
  init: { method?: string; token?: string; json?: unknown; body?: string | Buffer | ReadableStream; headers?: Record<string, string>; base?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  Object.assign(headers, init.headers);
  const res = await fetch(`${init.base ?? hq.url}${urlPath}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

function expectError(r: Reply, status: number, code: ErrorBody['code']): ErrorBody {
  expect(r.status, r.text).toBe(status);
  const body = errorBody.parse(r.json);
  expect(body.code).toBe(code);
  // Every message is for a person at a branch: Chinese.
  expect(body.message).toMatch(/[\u4e00-\u9fff]/);
  return body;
}

interface Device {
  token: string;
  installId: string;
  deviceId: string;
}

async function enrol(branchCode: string, enrolmentCode: string, installId: string = randomUUID()): Promise<Device> {
  const r = await call('/v1/enrol', { json: { branchCode, enrolmentCode, deviceName: '回访专员笔记本', installId } });
  expect(r.status, r.text).toBe(200);
  const body = enrolResponse.parse(r.json);
  return { token: body.deviceToken, installId, deviceId: body.deviceId };
}

async function newDevice(branchCode = 'GZ01'): Promise<Device> {
  return enrol(branchCode, hq.admin.createEnrolmentCode(branchCode));
}

function signature(role: 'customer' | 'staff' | 'manager', signerName: string) {
  return { role, signerName, signedAt: '2025-03-04T10:20:00+08:00', pngBase64: PNG.toString('base64'), sha256: sha256(PNG) };
}

function record(device: Device, recordNo: string, version = 1, over: Partial<SyncRecord> = {}): SyncRecord {
  return {
    key: `${device.installId}/${recordNo}/${version}`,
    recordNo,
    version,
    previousKey: null,
    correctionReason: null,
    hqTaskId: null,
    kind: 'new_policy',
    policyNo: `P${recordNo}`,
    customerName: '李桂芳',
    templateId: 'new_policy_in_person',
    templateVersion: 1,
    visitorName: '张丽',
    visitedAt: '2025-03-04T10:00:00+08:00',
    outcome: 'completed',
    categories: [],
    contentHash: sha256(`${recordNo}/${version}`),
    finalisedAt: '2025-03-04T10:30:00+08:00',
    sheet: { customerName: '李桂芳', visitPlace: '客户家中' },
    answers: [{ questionId: 'q1', firstAnswer: 'yes', afterExplanation: null, note: null }],
    signatures: [signature('customer', '李桂芳'), signature('staff', '张丽')],
    attachments: [],
    ...over,
  };
}

async function sendBatch(device: Device, records: unknown[]) {
  const r = await call('/v1/records/batch', { token: device.token, json: { records } });
  expect(r.status, r.text).toBe(200);
  return recordsBatchResponse.parse(r.json).results;
}

async function putChunk(device: Device, sha: string, offset: number, total: number, chunk: Buffer): Promise<Reply> {
  return call(`/v1/blobs/${sha}?offset=${offset}&total=${total}`, {
    method: 'PUT',
    token: device.token,
    body: chunk,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

async function upload(device: Device, bytes: Buffer): Promise<string> {
  const sha = sha256(bytes);
  for (let offset = 0; offset < bytes.length; offset += MAX_CHUNK_BYTES) {
    const r = await putChunk(device, sha, offset, bytes.length, bytes.subarray(offset, offset + MAX_CHUNK_BYTES));
    expect(r.status, r.text).toBe(200);
  }
  return sha;
}

function task(hqTaskId: string, over: Partial<SyncTask> = {}): SyncTask {
  return {
    hqTaskId,
    kind: 'new_policy',
    source: 'unreached',
    cycle: '2025-03',
    policyNo: `P-${hqTaskId}`,
    productName: '鑫享人生两全保险',
    productType: null,
    channel: 'individual',
    issueDate: '2025-02-20',
    receiptSignedDate: '2025-02-25',
    agentCode: 'A1001',
    agentName: '王强',
    customerName: '陈美玲',
    phone: '13800138000',
    idNumber: null,
    address: '广州市天河区体育西路 1 号',
    note: null,
    ...over,
  };
}

async function allChanges(device: Device, limit: number, from = '0'): Promise<{ changes: SyncChange[]; cursor: string; pages: number }> {
  const changes: SyncChange[] = [];
  let cursor = from;
  let pages = 0;
  for (;;) {
    const r = await call(`/v1/changes?cursor=${cursor}&limit=${limit}`, { token: device.token });
    expect(r.status, r.text).toBe(200);
    const page = changesResponse.parse(r.json);
    pages += 1;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.more) return { changes, cursor, pages };
    expect(page.changes).toHaveLength(limit);
  }
}

describe('enrolment', () => {
  it('hands out a device token for a one-time code, and refuses the code the second time', async () => {
    const installId = randomUUID();
    const r = await call('/v1/enrol', { json: { branchCode: 'GZ01', enrolmentCode: 'GZ-ENROL-1', deviceName: '前台电脑', installId } });
    expect(r.status).toBe(200);
    const body = enrolResponse.parse(r.json);
    expect(body).toMatchObject({ protocol: PROTOCOL, ok: true, branchCode: 'GZ01', branchName: '广州天河支公司' });
    expect(body.deviceToken.length).toBeGreaterThanOrEqual(32);

    const again = await call('/v1/enrol', { json: { branchCode: 'GZ01', enrolmentCode: 'GZ-ENROL-1', deviceName: '另一台电脑', installId: randomUUID() } });
    expect(expectError(again, 403, 'forbidden').message).toMatch(/已经使用过/);

    // Only a hash of the token is kept: the database file does not contain the token.
    const dbBytes = fs.readFileSync(path.join(temp.dir, 'hq.sqlite'));
    expect(dbBytes.includes(Buffer.from(body.deviceToken))).toBe(false);
    expect(hq.admin.devices('GZ01').map((d) => d.installId)).toContain(installId);
  });

  it('refuses unknown codes and another branch\'s code alike', async () => {
    const unknown = await call('/v1/enrol', { json: { branchCode: 'GZ01', enrolmentCode: 'NOT-A-CODE', deviceName: '电脑', installId: randomUUID() } });
    expect(expectError(unknown, 403, 'forbidden').message).toMatch(/登记码无效/);
    const otherBranch = await call('/v1/enrol', { json: { branchCode: 'GZ01', enrolmentCode: 'SZ-ENROL-1', deviceName: '电脑', installId: randomUUID() } });
    expect(expectError(otherBranch, 403, 'forbidden').message).toMatch(/登记码无效/);
    const noBranch = await call('/v1/enrol', { json: { branchCode: 'XX99', enrolmentCode: 'SZ-ENROL-1', deviceName: '电脑', installId: randomUUID() } });
    expectError(noBranch, 403, 'forbidden');
    // The refused attempts did not use the code up.
    await enrol('SZ01', 'SZ-ENROL-1');
  });

  it('accepts a code typed with other case, spaces or dashes', async () => {
    const code = hq.admin.createEnrolmentCode('GZ01', 'ABCD-2345');
    expect(code).toBe('ABCD-2345');
    await enrol('GZ01', ' abcd 2345 ');
  });

  it('lets only one of two simultaneous enrolments with the same code succeed', async () => {
    const code = hq.admin.createEnrolmentCode('GZ01');
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () => call('/v1/enrol', { json: { branchCode: 'GZ01', enrolmentCode: code, deviceName: '电脑', installId: randomUUID() } })),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([200, 403, 403, 403, 403]);
  });

  it('re-enrolling the same installation keeps its device id and retires the old token', async () => {
    const first = await newDevice();
    const second = await enrol('GZ01', hq.admin.createEnrolmentCode('GZ01'), first.installId);
    expect(second.deviceId).toBe(first.deviceId);
    expectError(await call('/v1/changes', { token: first.token }), 401, 'unauthorised');
    expect((await call('/v1/changes', { token: second.token })).status).toBe(200);
    // The same installation cannot join a second branch.
    const elsewhere = await call('/v1/enrol', {
      json: { branchCode: 'SZ01', enrolmentCode: hq.admin.createEnrolmentCode('SZ01'), deviceName: '电脑', installId: first.installId },
    });
    expect(expectError(elsewhere, 403, 'forbidden').message).toMatch(/其他支公司/);
  });
});

describe('authentication', () => {
  it('refuses every endpoint but enrolment without a valid token', async () => {
    const sha = sha256('x');
    for (const [method, p] of [
      ['GET', '/v1/changes'],
      ['GET', `/v1/blobs/${sha}`],
      ['PUT', `/v1/blobs/${sha}?offset=0&total=1`],
      ['POST', '/v1/records/batch'],
    ] as const) {
      const none = await call(p, { method, body: method === 'GET' ? undefined : '{}', headers: { 'content-type': 'application/json' } });
      expect(expectError(none, 401, 'unauthorised').message).toMatch(/设备令牌/);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await call(p, { method, token: randomBytes(32).toString('base64url'), body: method === 'GET' ? undefined : '{}' });
      expectError(wrong, 401, 'unauthorised');
    }
    expectError(await call('/v1/changes', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }), 401, 'unauthorised');
  });

  it('stops accepting a revoked device\'s token', async () => {
    const device = await newDevice();
    expect((await call('/v1/changes', { token: device.token })).status).toBe(200);
    expect(hq.admin.revokeDevice(device.deviceId)).toBe(true);
    expect(expectError(await call('/v1/changes', { token: device.token }), 401, 'unauthorised').message).toMatch(/停用/);
  });
});

describe('malformed requests', () => {
  let device: Device;
  beforeAll(async () => {
    device = await newDevice();
  });

  it('requires application/json and valid JSON', async () => {
    const wrongType = await call('/v1/records/batch', { token: device.token, body: '{"records":[]}', headers: { 'content-type': 'text/plain' } });
    expect(expectError(wrongType, 415, 'invalid_input').message).toMatch(/application\/json/);
    const notJson = await call('/v1/records/batch', { token: device.token, body: '{"records":', headers: { 'content-type': 'application/json' } });
    expect(expectError(notJson, 400, 'invalid_input').message).toMatch(/不是有效的 JSON/);
  });

  it('explains a body that breaks the schema in Chinese, with the field path', async () => {
    const enrolBad = await call('/v1/enrol', { json: { branchCode: '', enrolmentCode: 12345678, installId: 'not-a-uuid' } });
    const message = expectError(enrolBad, 400, 'invalid_input').message;
    expect(message).toMatch(/^请求内容不符合同步协议：/);
    expect(message).toMatch(/branchCode：不能为空/);
    expect(message).toMatch(/enrolmentCode：应为文本/);
    expect(message).toMatch(/另有 \d+ 处问题/);
    const empty = await call('/v1/records/batch', { token: device.token, json: { records: [] } });
    expect(expectError(empty, 400, 'invalid_input').message).toMatch(/records：至少 1 项/);
    const tooMany = await call('/v1/records/batch', { token: device.token, json: { records: Array.from({ length: 51 }, () => ({})) } });
    expect(expectError(tooMany, 400, 'invalid_input').message).toMatch(/records：最多 50 项/);
  });

  it('refuses a body over MAX_BATCH_BYTES with 413, declared or streamed, and keeps serving', async () => {
    const big = Buffer.alloc(MAX_BATCH_BYTES + 1, 0x20);
    const declared = await call('/v1/records/batch', { token: device.token, body: big, headers: { 'content-type': 'application/json' } });
    expect(expectError(declared, 413, 'too_large').message).toMatch(/过大/);
    // Chunked, with no Content-Length: refused once it crosses the limit.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BATCH_BYTES * 2) return controller.close();
        sent += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
      },
    });
    const streamed = await call('/v1/records/batch', { token: device.token, body: stream, headers: { 'content-type': 'application/json' } });
    expectError(streamed, 413, 'too_large');
    expect((await call('/v1/changes', { token: device.token })).status).toBe(200);
  });

  it('answers unknown paths, versions and methods with the error body', async () => {
    expectError(await call('/v1/nothing', { token: device.token }), 404, 'not_found');
    expect(expectError(await call('/v2/changes', { token: device.token }), 404, 'not_found').message).toMatch(/协议版本 v2/);
    expectError(await call('/', {}), 404, 'not_found');
    const wrongMethod = await call('/v1/changes', { method: 'DELETE', token: device.token });
    expectError(wrongMethod, 405, 'invalid_input');
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expectError(await call('/v1/changes?cursor=abc', { token: device.token }), 400, 'invalid_input');
    expectError(await call('/v1/changes?limit=0', { token: device.token }), 400, 'invalid_input');
    expectError(await call('/v1/blobs/ABC', { token: device.token }), 400, 'invalid_input');
  });
});

describe('attachments (blobs)', () => {
  let device: Device;
  beforeAll(async () => {
    device = await newDevice();
  });

  it('reports an unknown blob as nothing received', async () => {
    const sha = sha256(randomBytes(16));
    const r = await call(`/v1/blobs/${sha}`, { token: device.token });
    expect(blobStatus.parse(r.json)).toEqual({ protocol: PROTOCOL, ok: true, sha256: sha, received: 0, total: null, complete: false });
  });

  it('resumes an interrupted upload from what the server holds', async () => {
    const bytes = randomBytes(MAX_CHUNK_BYTES * 2 + 12_345);
    const sha = sha256(bytes);
    const first = await putChunk(device, sha, 0, bytes.length, bytes.subarray(0, MAX_CHUNK_BYTES));
    expect(blobStatus.parse(first.json)).toMatchObject({ received: MAX_CHUNK_BYTES, total: bytes.length, complete: false });

    // The client lost track (crash, lost answer) and starts over: 409 tells it where to resume.
    const restart = await putChunk(device, sha, 0, bytes.length, bytes.subarray(0, MAX_CHUNK_BYTES));
    expect(restart.status).toBe(409);
    const status = blobStatus.parse(restart.json);
    expect(status).toMatchObject({ received: MAX_CHUNK_BYTES, complete: false });
    // A chunk from further ahead is refused the same way.
    const ahead = await putChunk(device, sha, MAX_CHUNK_BYTES * 2, bytes.length, bytes.subarray(MAX_CHUNK_BYTES * 2));
    expect(ahead.status).toBe(409);

    const probe = blobStatus.parse((await call(`/v1/blobs/${sha}`, { token: device.token })).json);
    for (let offset = probe.received; offset < bytes.length; offset += MAX_CHUNK_BYTES) {
      const r = await putChunk(device, sha, offset, bytes.length, bytes.subarray(offset, offset + MAX_CHUNK_BYTES));
      expect(r.status, r.text).toBe(200);
    }
    const done = blobStatus.parse((await call(`/v1/blobs/${sha}`, { token: device.token })).json);
    expect(done).toMatchObject({ received: bytes.length, total: bytes.length, complete: true });
    expect(hq.admin.readBlob(sha)?.equals(bytes)).toBe(true);
    // Sending a chunk of a complete blob again changes nothing.
    const late = await putChunk(device, sha, 0, bytes.length, bytes.subarray(0, 10));
    expect(blobStatus.parse(late.json)).toMatchObject({ complete: true, received: bytes.length });
    expect(fs.readdirSync(path.join(temp.dir, 'blobs')).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('discards a blob whose bytes do not match its SHA-256 (422)', async () => {
    const bytes = randomBytes(5000);
    const claimed = sha256(randomBytes(5000));
    expect((await putChunk(device, claimed, 0, 5000, bytes.subarray(0, 3000))).status).toBe(200);
    const last = await putChunk(device, claimed, 3000, 5000, bytes.subarray(3000));
    expect(expectError(last, 422, 'hash_mismatch').message).toMatch(/SHA-256/);
    const after = blobStatus.parse((await call(`/v1/blobs/${claimed}`, { token: device.token })).json);
    expect(after).toMatchObject({ received: 0, total: null, complete: false });
    expect(fs.existsSync(path.join(temp.dir, 'blobs', `${claimed}.part`))).toBe(false);
    expect(hq.admin.readBlob(claimed)).toBeNull();
  });

  it('refuses oversized chunks, chunks past the total, and other content types', async () => {
    const sha = sha256(randomBytes(8));
    expectError(await putChunk(device, sha, 0, MAX_CHUNK_BYTES * 2, Buffer.alloc(MAX_CHUNK_BYTES + 1)), 413, 'too_large');
    expectError(await putChunk(device, sha, 0, 10, Buffer.alloc(11)), 400, 'invalid_input');
    expectError(await putChunk(device, sha, 0, 10, Buffer.alloc(0)), 400, 'invalid_input');
    expectError(await call(`/v1/blobs/${sha}?offset=0`, { method: 'PUT', token: device.token, body: Buffer.alloc(1), headers: { 'content-type': 'application/octet-stream' } }), 400, 'invalid_input');
    const json = await call(`/v1/blobs/${sha}?offset=0&total=2`, { method: 'PUT', token: device.token, json: {} });
    expectError(json, 415, 'invalid_input');
  });

  it('lets two deliveries of the same chunk append it once', async () => {
    const bytes = randomBytes(4000);
    const sha = sha256(bytes);
    const [a, b] = await Promise.all([putChunk(device, sha, 0, 8000, bytes), putChunk(device, sha, 0, 8000, bytes)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(hq.admin.blobStatus(sha)).toMatchObject({ received: 4000, total: 8000 });
  });
});

describe('records', () => {
  let device: Device;
  beforeAll(async () => {
    device = await newDevice();
  });

  it('answers each record in order; one bad record never blocks the others', async () => {
    const photo = randomBytes(70_000);
    const photoSha = await upload(device, photo);
    const good = record(device, 'R-0001', 1, { attachments: [{ kind: 'photo', fileName: '现场照片.jpg', mime: 'image/jpeg', size: photo.length, sha256: photoSha }] });
    const missingBlob = record(device, 'R-0002', 1, {
      attachments: [{ kind: 'scan', fileName: '授权书.pdf', mime: 'application/pdf', size: 100, sha256: sha256('never uploaded') }],
    });
    const wrongSize = record(device, 'R-0003', 1, { attachments: [{ kind: 'photo', fileName: 'a.jpg', mime: 'image/jpeg', size: photo.length + 1, sha256: photoSha }] });
    const orphanCorrection = record(device, 'R-0004', 2, { previousKey: `${device.installId}/R-0004/1`, correctionReason: '更正电话' });
    const badSignature = record(device, 'R-0005', 1, { signatures: [signature('customer', '李桂芳'), { ...signature('staff', '张丽'), sha256: sha256('other') }] });
    const notPng = record(device, 'R-0006', 1, {
      signatures: [signature('customer', '李桂芳'), { ...signature('staff', '张丽'), pngBase64: Buffer.from('GIF89a').toString('base64'), sha256: sha256(Buffer.from('GIF89a')) }],
    });
    const policyRule = record(device, 'R-0007', 1, { policyNo: 'P-BLOCKED' });
    const { policyNo: _dropped, ...schemaBroken } = record(device, 'R-0008');
    const foreignKey = record(device, 'R-0009', 1, { key: `${randomUUID()}/R-0009/1` });
    const alsoGood = record(device, 'R-0010');

    const stopRule = hq.admin.rejectWhere({ policyNo: 'P-BLOCKED' }, 'policy_frozen', '该保单已冻结，请联系总公司核实');
    const results = await sendBatch(device, [good, missingBlob, wrongSize, orphanCorrection, badSignature, notPng, policyRule, schemaBroken, foreignKey, alsoGood]);
    stopRule();

    expect(results.map((r) => [r.key, r.status, r.code ?? null])).toEqual([
      [good.key, 'accepted', null],
      [missingBlob.key, 'rejected', 'attachment_missing'],
      [wrongSize.key, 'rejected', 'attachment_missing'],
      [orphanCorrection.key, 'rejected', 'previous_missing'],
      [badSignature.key, 'rejected', 'signature_mismatch'],
      [notPng.key, 'rejected', 'signature_invalid'],
      [policyRule.key, 'rejected', 'policy_frozen'],
      [schemaBroken.key, 'rejected', 'invalid_input'],
      [foreignKey.key, 'rejected', 'key_mismatch'],
      [alsoGood.key, 'accepted', null],
    ]);
    for (const r of results.filter((x) => x.status === 'rejected')) expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    expect(results[1]?.message).toMatch(/授权书\.pdf/);
    expect(results[7]?.message).toMatch(/policyNo：缺少此项/);

    const [stored] = hq.admin.records({ key: good.key });
    expect(stored).toMatchObject({ branchCode: 'GZ01', deviceId: device.deviceId, recordNo: 'R-0001', version: 1, contentHash: good.contentHash });
    expect(stored?.signatures.map((s) => [s.role, s.signerName, s.sha256])).toEqual([
      ['customer', '李桂芳', sha256(PNG)],
      ['staff', '张丽', sha256(PNG)],
    ]);
    expect(stored?.signatures[0]?.png.equals(PNG)).toBe(true);
    expect(stored?.attachments).toEqual([{ kind: 'photo', fileName: '现场照片.jpg', mime: 'image/jpeg', size: photo.length, sha256: photoSha }]);
    expect(stored?.record.sheet).toEqual(good.sheet);
    for (const r of [missingBlob, wrongSize, orphanCorrection, badSignature, notPng, policyRule, foreignKey]) expect(hq.admin.countRows(r.key)).toBe(0);
  });

  it('answers a known key with the same content as duplicate, with other content as conflict', async () => {
    const original = record(device, 'R-0100');
    expect((await sendBatch(device, [original]))[0]?.status).toBe('accepted');
    const again = await sendBatch(device, [original]);
    expect(again).toEqual([{ key: original.key, status: 'duplicate' }]);
    const altered = { ...original, contentHash: sha256('altered'), outcome: 'refused' };
    const [conflict] = await sendBatch(device, [altered]);
    expect(conflict).toMatchObject({ key: original.key, status: 'conflict' });
    expect(conflict?.message).toMatch(/内容与本次提交不同/);
    expect(hq.admin.countRows(original.key)).toBe(1);
    expect(hq.admin.records({ key: original.key })[0]?.contentHash).toBe(original.contentHash);
    // Within one batch the second copy is the duplicate.
    const twin = record(device, 'R-0101');
    expect((await sendBatch(device, [twin, twin])).map((r) => r.status)).toEqual(['accepted', 'duplicate']);
  });

  it('accepts a correction whose previous version is known, even in the same batch', async () => {
    const v1 = record(device, 'R-0200');
    const v2 = record(device, 'R-0200', 2, { previousKey: v1.key, correctionReason: '客户更正了联系电话' });
    expect((await sendBatch(device, [v1, v2])).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const wrongChain = record(device, 'R-0201', 2, { previousKey: v1.key, correctionReason: '试图接到别的记录上' });
    expect((await sendBatch(device, [wrongChain]))[0]).toMatchObject({ status: 'rejected', code: 'previous_invalid' });
    // Another branch's record is not a previous version this branch can name.
    const sz = await newDevice('SZ01');
    const foreign = record(sz, 'R-0200', 2, { previousKey: v1.key, correctionReason: '别的支公司' });
    expect((await sendBatch(sz, [foreign]))[0]).toMatchObject({ status: 'rejected', code: 'previous_missing' });
  });

  it('rejects a record once with rejectNext, then takes it', async () => {
    const r = record(device, 'R-0300');
    hq.admin.rejectNext(r.key, 'hq_review', '总公司正在核对该客户信息，请稍后重新上传');
    expect((await sendBatch(device, [r]))[0]).toMatchObject({ status: 'rejected', code: 'hq_review', message: '总公司正在核对该客户信息，请稍后重新上传' });
    expect((await sendBatch(device, [r]))[0]?.status).toBe('accepted');
  });

  it('stores a record exactly once however many deliveries race', async () => {
    const records = Array.from({ length: 5 }, (_, i) => record(device, `R-04${i}`));
    const replies = await Promise.all(Array.from({ length: 12 }, () => sendBatch(device, records)));
    for (const [i, r] of records.entries()) {
      const statuses = replies.map((results) => results[i]?.status);
      expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(11);
      expect(hq.admin.countRows(r.key)).toBe(1);
    }
  });
});

describe('the change feed', () => {
  it('pages a branch\'s tasks and decisions oldest first: nothing twice, nothing missed', async () => {
    const branch = 'CF01';
    hq.admin.createBranch(branch, '佛山禅城支公司');
    hq.admin.createBranch('CF02', '佛山南海支公司');
    const device = await newDevice(branch);
    const neighbour = await newDevice('CF02');
    hq.admin.addTasks('CF02', [task('T-OTHER-1')]);

    const empty = changesResponse.parse((await call('/v1/changes', { token: device.token })).json);
    expect(empty).toEqual({ protocol: PROTOCOL, ok: true, changes: [], cursor: '0', more: false });

    const seqs = hq.admin.addTasks(
      branch,
      Array.from({ length: 23 }, (_, i) => task(`T-${String(i).padStart(3, '0')}`)),
    );
    expect(seqs).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    const firstPass = await allChanges(device, 5);
    expect(firstPass.pages).toBe(5);
    expect(firstPass.changes.map((c) => c.seq)).toEqual(seqs);
    expect(firstPass.changes.map((c) => (c.type === 'task' ? c.task.hqTaskId : null))).toEqual(Array.from({ length: 23 }, (_, i) => `T-${String(i).padStart(3, '0')}`));
    expect(firstPass.cursor).toBe('23');

    // Decisions on the branch's records join the same feed; a corrected task comes again.
    const r1 = record(device, 'CF-1');
    const r2 = record(device, 'CF-2');
    await sendBatch(device, [r1, r2]);
    hq.admin.decide(r1.key, { decision: 'accepted' });
    hq.admin.addTasks(branch, [task('T-000', { phone: '13900139000' })]);
    const problem = hq.admin.decide(r2.key, { decision: 'problem_opened', reason: '客户表示未收到保单', categories: ['policy_not_received'] });
    expect(problem.seq).toBe(26);
    hq.admin.decide(r2.key, { decision: 'returned', reason: '签名与投保人不一致，请重新面访' });

    const secondPass = await allChanges(device, 2, firstPass.cursor);
    expect(secondPass.changes.map((c) => [c.seq, c.type])).toEqual([
      [24, 'decision'],
      [25, 'task'],
      [26, 'decision'],
      [27, 'decision'],
    ]);
    const decisions = secondPass.changes.flatMap((c) => (c.type === 'decision' ? [c.decision] : []));
    expect(decisions.map((d) => [d.recordKey, d.decision, d.reason, d.categories])).toEqual([
      [r1.key, 'accepted', null, []],
      [r2.key, 'problem_opened', '客户表示未收到保单', ['policy_not_received']],
      [r2.key, 'returned', '签名与投保人不一致，请重新面访', []],
    ]);
    const changedTask = secondPass.changes.find((c) => c.type === 'task');
    expect(changedTask?.type === 'task' && changedTask.task.phone).toBe('13900139000');

    // Asking again from the stored cursor gives nothing new; from an older cursor, the same changes again.
    expect(changesResponse.parse((await call(`/v1/changes?cursor=${secondPass.cursor}`, { token: device.token })).json)).toMatchObject({ changes: [], cursor: '27', more: false });
    const replay = changesResponse.parse((await call('/v1/changes?cursor=23&limit=2', { token: device.token })).json);
    expect(replay.changes.map((c) => c.seq)).toEqual([24, 25]);
    expect(replay).toMatchObject({ cursor: '25', more: true });

    // The other branch sees only its own feed.
    const theirs = await allChanges(neighbour, 100);
    expect(theirs.changes.map((c) => (c.type === 'task' ? c.task.hqTaskId : c.type))).toEqual(['T-OTHER-1']);
    expect(hq.admin.records({ branchCode: branch }).find((r) => r.key === r2.key)?.decisions.map((d) => d.decision)).toEqual(['problem_opened', 'returned']);
  });

  it('picks up changes added while a client is paging', async () => {
    hq.admin.createBranch('ZH01', '珠海香洲支公司');
    const device = await newDevice('ZH01');
    hq.admin.addTasks('ZH01', Array.from({ length: 6 }, (_, i) => task(`ZH-${i}`)));
    const seen: number[] = [];
    let cursor = '0';
    let added = 0;
    for (;;) {
      const page = changesResponse.parse((await call(`/v1/changes?cursor=${cursor}&limit=4`, { token: device.token })).json);
      seen.push(...page.changes.map((c) => c.seq));
      cursor = page.cursor;
      if (added < 2) {
        hq.admin.addTasks('ZH01', [task(`ZH-late-${added}`)]);
        added += 1;
      }
      if (!page.more) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // What arrived after the last page is the first thing the next sync gets.
    const next = changesResponse.parse((await call(`/v1/changes?cursor=${cursor}&limit=4`, { token: device.token })).json);
    expect(next.changes.map((c) => c.seq)).toEqual([8]);
  });

  it('clamps the page size, and refuses a cursor from beyond the feed', async () => {
    hq.admin.createBranch('BIG1', '大批量测试支公司');
    const device = await newDevice('BIG1');
    hq.admin.addTasks('BIG1', Array.from({ length: MAX_CHANGES_PER_PAGE + 20 }, (_, i) => task(`BIG-${i}`)));
    const byDefault = changesResponse.parse((await call('/v1/changes', { token: device.token })).json);
    expect(byDefault.changes).toHaveLength(200);
    expect(byDefault.more).toBe(true);
    const clamped = changesResponse.parse((await call('/v1/changes?limit=100000', { token: device.token })).json);
    expect(clamped.changes).toHaveLength(MAX_CHANGES_PER_PAGE);
    expect(clamped.cursor).toBe(String(MAX_CHANGES_PER_PAGE));
    const future = await call(`/v1/changes?cursor=${MAX_CHANGES_PER_PAGE + 21}`, { token: device.token });
    expect(expectError(future, 409, 'conflict').message).toMatch(/游标/);
  });

  it('refuses decisions without what they need', () => {
    expect(() => hq.admin.decide('no/such/key', { decision: 'accepted' })).toThrow(/没有收到/);
    expect(() => hq.admin.decide('no/such/key', { decision: 'problem_opened', reason: '原因', categories: [] })).toThrow(/问题类别/);
    expect(() => hq.admin.decide('no/such/key', { decision: 'returned', reason: '  ' })).toThrow(/原因/);
  });
});

describe('maintenance mode', () => {
  it('answers 503 with Retry-After while unavailable, then serves again', async () => {
    const device = await newDevice();
    hq.admin.unavailableFor(60_000, 2);
    const r = await call('/v1/changes', { token: device.token });
    expect(expectError(r, 503, 'unavailable').message).toMatch(/稍后/);
    expect(r.headers.get('retry-after')).toBe('2');
    expectError(await call('/v1/enrol', { json: {} }), 503, 'unavailable');
    hq.admin.available();
    expect((await call('/v1/changes', { token: device.token })).status).toBe(200);
  });
});

describe('the admin HTTP API', () => {
  const admin = (p: string, init: Parameters<typeof call>[1] = {}) => call(p, { token: hq.admin.token, ...init });

  it('needs the admin token', async () => {
    expectError(await call('/admin/records'), 401, 'unauthorised');
    const device = await newDevice();
    expectError(await call('/admin/records', { token: device.token }), 401, 'unauthorised');
  });

  it('runs a branch from creation to a decision', async () => {
    expect((await admin('/admin/branches', { json: { code: 'HZ01', name: '惠州支公司' } })).status).toBe(200);
    const codeReply = await admin('/admin/enrolment-codes', { json: { branchCode: 'HZ01' } });
    const { code } = codeReply.json as { code: string };
    const device = await enrol('HZ01', code);
    expect((await admin('/admin/tasks', { json: { branchCode: 'HZ01', tasks: [task('HZ-1')] } })).json).toMatchObject({ ok: true, seqs: [1] });
    expectError(await admin('/admin/tasks', { json: { branchCode: 'HZ01', tasks: [{ hqTaskId: 'bad' }] } }), 400, 'invalid_input');

    const bytes = randomBytes(3000);
    const sha = await upload(device, bytes);
    const rec = record(device, 'HZ-R1', 1, { attachments: [{ kind: 'audio', fileName: '录音.m4a', mime: 'audio/mp4', size: bytes.length, sha256: sha }] });
    await sendBatch(device, [rec]);

    const listed = await admin(`/admin/records?branch=HZ01`);
    const records = (listed.json as { records: { key: string; signatures: { sha256: string; pngBytes: number }[]; attachments: { sha256: string }[] }[] }).records;
    expect(records.map((r) => r.key)).toEqual([rec.key]);
    expect(records[0]?.signatures[0]).toMatchObject({ sha256: sha256(PNG), pngBytes: PNG.length });
    expect(records[0]?.attachments[0]?.sha256).toBe(sha);
    expect((await admin(`/admin/records/count?key=${encodeURIComponent(rec.key)}`)).json).toMatchObject({ rows: 1 });

    const blob = await fetch(`${hq.url}/admin/blobs/${sha}`, { headers: { authorization: `Bearer ${hq.admin.token}` } });
    expect(Buffer.from(await blob.arrayBuffer()).equals(bytes)).toBe(true);

    expectError(await admin('/admin/decisions', { json: { recordKey: rec.key, decision: 'returned' } }), 400, 'invalid_input');
    expectError(await admin('/admin/decisions', { json: { recordKey: 'nope/nope/1', decision: 'accepted' } }), 404, 'not_found');
    expect((await admin('/admin/decisions', { json: { recordKey: rec.key, decision: 'returned', reason: '录音不完整' } })).status).toBe(200);
    const feed = await allChanges(device, 10);
    expect(feed.changes.map((c) => c.type)).toEqual(['task', 'decision']);

    expect((await admin('/admin/rejections', { json: { policyNo: 'P-HZ', code: 'hold', message: '暂缓接收' } })).status).toBe(200);
    expect((await sendBatch(device, [record(device, 'HZ-R2', 1, { policyNo: 'P-HZ' })]))[0]).toMatchObject({ status: 'rejected', code: 'hold' });
    expect((await admin('/admin/rejections', { method: 'DELETE' })).status).toBe(200);

    expect((await admin('/admin/unavailable', { json: { seconds: 30 } })).status).toBe(200);
    expectError(await call('/v1/changes', { token: device.token }), 503, 'unavailable');
    expect((await admin('/admin/unavailable', { method: 'DELETE' })).status).toBe(200);
    expect((await call('/v1/changes', { token: device.token })).status).toBe(200);
  });
});

describe('restart', () => {
  it('keeps records, tokens, used codes, partial blobs and the feed across a restart', async () => {
    const dir = tempDir('vd-hq-restart-');
    try {
      let server = await startHqServer({ dataDir: dir.dir, seed: { branches: [{ code: 'RS01', name: '重启测试支公司' }], enrolmentCodes: [{ branchCode: 'RS01', code: 'RS-CODE-1' }] } });
      const base = server.url;
      const r1 = await call('/v1/enrol', { base, json: { branchCode: 'RS01', enrolmentCode: 'RS-CODE-1', deviceName: '电脑', installId: randomUUID() } });
      const { deviceToken } = enrolResponse.parse(r1.json);
      server.admin.addTasks('RS01', [task('RS-1')]);
      const bytes = randomBytes(3000);
      const sha = sha256(bytes);
      await call(`/v1/blobs/${sha}?offset=0&total=3000`, { base, method: 'PUT', token: deviceToken, body: bytes.subarray(0, 1000), headers: { 'content-type': 'application/octet-stream' } });
      await server.close();

      // Same seed again: seeding is idempotent, and the used code stays used.
      server = await startHqServer({ dataDir: dir.dir, seed: { branches: [{ code: 'RS01', name: '重启测试支公司' }] } });
      const after = server.url;
      const again = await call('/v1/enrol', { base: after, json: { branchCode: 'RS01', enrolmentCode: 'RS-CODE-1', deviceName: '电脑', installId: randomUUID() } });
      expectError(again, 403, 'forbidden');
      const feed = changesResponse.parse((await call('/v1/changes', { base: after, token: deviceToken })).json);
      expect(feed.changes.map((c) => c.seq)).toEqual([1]);
      const partial = blobStatus.parse((await call(`/v1/blobs/${sha}`, { base: after, token: deviceToken })).json);
      expect(partial).toMatchObject({ received: 1000, total: 3000, complete: false });
      await server.close();
    } finally {
      dir.cleanup();
    }
  });
});
