// Where the e2e tests and screenshots find a browser. Shared by scripts/ and test/ (see .d.mts).
import fs from 'node:fs';

export function findChromium() {
  const candidates = [
    process.env.VISITDESK_CHROMIUM,
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ];
  return candidates.find((p) => !!p && fs.existsSync(p)) ?? null;
}

export const NO_CHROMIUM_MESSAGE =
  'e2e 测试需要 Chromium 或 Chrome（未找到）：请运行 `sudo apt-get install -y chromium fonts-noto-cjk`，或设置 VISITDESK_CHROMIUM=浏览器路径';

// Quiet headless flags for a machine without outside network.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
