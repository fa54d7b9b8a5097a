import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROTOCOL } from '../../shared/sync/protocol';
import { startHqServer } from './hq-server';

// `npm run hq`: the reference head-office server for demos and for trying a branch's sync by
// hand. Loopback only; the data folder holds nothing but what demo branches send it.

const USAGE = `用法：npm run hq -- [--port 8787] [--data .hq-data] [--branch DEMO01] [--quiet]
  --port    监听端口（默认取环境变量 VISITDESK_HQ_PORT，否则 8787；0 表示任选空闲端口）
  --data    数据文件夹（默认取环境变量 VISITDESK_HQ_DATA，否则当前目录下的 .hq-data）
  --branch  演示支公司代码（默认 DEMO01）
  --quiet   不逐条打印请求`;

function fatal(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        branch: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fatal(`${(err as Error).message}\n${USAGE}`);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }

  const portText = args.port ?? process.env.VISITDESK_HQ_PORT ?? '8787';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) fatal(`端口号不正确：${portText}（应为 0–65535 的整数）`);
  const dataDir = path.resolve(args.data ?? process.env.VISITDESK_HQ_DATA ?? '.hq-data');
  const branchCode = (args.branch ?? 'DEMO01').trim();
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(branchCode)) fatal(`支公司代码不正确：${branchCode}（1–20 个字母、数字、-、_）`);

  let server;
  try {
    server = await startHqServer({
      dataDir,
      port: Number(portText),
      host: '127.0.0.1',
      seed: { branches: [{ code: branchCode, name: '演示支公司' }] },
      log: args.quiet ? undefined : (line) => console.log(`[${new Date().toLocaleTimeString('zh-CN', { hour12: false })}] ${line}`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fatal(`端口 ${portText} 已被占用：请用 --port 换一个端口，或先停止占用它的程序`);
    fatal(`总公司参考服务器无法启动：${(err as Error).message}`);
  }
  const enrolmentCode = server.admin.createEnrolmentCode(branchCode);
  const enrolledDevices = server.admin.devices(branchCode).length;

  console.log(`回访台总公司参考服务器已启动（同步协议 ${PROTOCOL}，仅本机 127.0.0.1 可访问）`);
  console.log(`  地址：${server.url}`);
  console.log(`  数据文件夹：${dataDir}`);
  console.log(`  支公司代码：${branchCode}（演示支公司，已登记设备 ${enrolledDevices} 台）`);
  console.log(`  登记码：${enrolmentCode}（一次性，登记一台电脑后失效）`);
  console.log(`  管理令牌：${server.admin.token}`);
  console.log(`    例：curl -H "Authorization: Bearer ${server.admin.token}" ${server.url}/admin/records`);
  console.log('按 Ctrl+C 停止。');

  let stopping = false;
  const stop = (signal: string) => {
    // Ctrl+C reaches us twice under `npm run hq` (from the terminal and from scripts/hq.mjs);
    // the second is not an impatient user.
    if (stopping) return;
    stopping = true;
    setTimeout(() => fatal('关闭超时，强制退出。'), 5000).unref();
    console.log(`收到 ${signal}，正在关闭服务器与数据库……`);
    server.close().then(
      () => {
        console.log('已停止。');
        process.exit(0);
      },
      (err: unknown) => fatal(`关闭时出错：${(err as Error).message}`),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
