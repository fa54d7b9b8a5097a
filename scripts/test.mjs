// `npm test`: every check in one command — typecheck, lint, build, unit + integration + e2e tests.
// Stops at the first failing step and says which; ends with vitest's "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_CHROMIUM_MESSAGE, findChromium } from './chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

if (!findChromium()) {
  console.error(NO_CHROMIUM_MESSAGE);
  process.exit(1);
}

const steps = [
  ['类型检查 typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['代码规范 lint', bin('eslint'), ['--max-warnings', '0', '.']],
  ['构建 build', process.execPath, ['scripts/build.mjs']],
  ['测试 vitest (unit + integration + e2e)', bin('vitest'), ['run', ...process.argv.slice(2)]],
];

for (const [label, cmd, args] of steps) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } });
  if (r.status !== 0) {
    console.error(`\n✗ ${label} 未通过`);
    process.exit(r.status ?? 1);
  }
}
