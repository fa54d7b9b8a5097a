// electron-builder configuration: Windows (NSIS) and Linux (AppImage, deb).
// `npm run dist` builds the renderer and main bundles, builds better-sqlite3-multiple-ciphers for Electron into
// native/, then packages. It needs the Electron binary and headers, so it cannot run offline.
const pkg = require('../package.json');

const electronVersion = pkg.devDependencies.electron.replace(/^[~^]/, '');

module.exports = {
  appId: 'cn.visitdesk.desktop',
  productName: '回访台 VisitDesk',
  executableName: 'visitdesk',
  copyright: 'VisitDesk',
  electronVersion,
  directories: { output: 'release', buildResources: 'build' },
  // Everything the UI and main process need is bundled into dist/; only the native SQLite module
  // comes from node_modules, and its Electron build is shipped from native/ (see below).
  files: [
    'dist/**/*',
    '!dist/**/*.map',
    // Precompressed copies are for browser mode's HTTP bridge; the desktop reads the plain files.
    '!dist/renderer/**/*.{br,gz}',
    'package.json',
    'node_modules/better-sqlite3-multiple-ciphers/lib/**',
    'node_modules/better-sqlite3-multiple-ciphers/package.json',
    '!node_modules/better-sqlite3-multiple-ciphers/{build,deps,src}/**',
  ],
  extraResources: [{ from: `native/electron-${electronVersion}/better_sqlite3.node`, to: 'native/better_sqlite3.node' }],
  // Never rebuild node_modules in place: that would replace the Node build that tests use.
  npmRebuild: false,
  nodeGypRebuild: false,
  asar: true,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'build/icon.png',
  },
  nsis: {
    // Assisted installer: the user chooses per-user or per-machine (Program Files) installation.
    oneClick: false,
    perMachine: false,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    installerLanguages: ['zh_CN', 'en_US'],
    language: '2052',
    shortcutName: '回访台',
    uninstallDisplayName: '回访台 VisitDesk',
    artifactName: 'VisitDesk-Setup-${version}.${ext}',
    deleteAppDataOnUninstall: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons',
    category: 'Office',
    synopsis: '保险分公司客户回访工作台',
    description: pkg.description,
    maintainer: 'VisitDesk <support@visitdesk.invalid>',
    artifactName: 'VisitDesk-${version}-${arch}.${ext}',
  },
  deb: { priority: 'optional' },
};
