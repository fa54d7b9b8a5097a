import type { ChildProcess } from 'node:child_process';

/**
 * The address browser mode prints once it listens (with its token), read from the child's output.
 * Kept free of playwright so the benchmark bundle can use it too.
 */
export function browserModeUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`浏览器模式未启动：\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`浏览器模式退出（${code}）：\n${output}`));
    });
  });
}
