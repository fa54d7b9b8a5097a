import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Small real file systems for the disk-full and read-only tests: a tmpfs of a few MB, and an ext4
 * image on a loop device that can be sent into the kernel's emergency read-only state while files
 * on it are open (a tmpfs cannot be remounted read-only then: the kernel answers "busy").
 * Both need root; `whyNotMountable()` says why not when they cannot be made.
 */
export interface SmallFs {
  /** The mount point. */
  dir: string;
  /** Bytes a new file may still take (tmpfs and ext4 count in 4 KiB blocks). */
  free: () => number;
  /** Takes all free space but `leave` bytes with a filler file. */
  fill: (leave?: number) => void;
  /** Deletes the filler: the space is back. */
  unfill: () => void;
  unmount: () => void;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Unmounts; lazily if something still holds a file there, so no test run leaves a mount behind. */
function unmountDir(dir: string): void {
  try {
    run('umount', [dir]);
  } catch {
    run('umount', ['-l', dir]);
  }
}

/** Null when this process may mount file systems; otherwise the reason, for the skip message. */
export function whyNotMountable(): string | null {
  if (process.platform !== 'linux') return `需要 Linux 才能挂载小文件系统（当前 ${process.platform}）`;
  if (process.getuid?.() !== 0) return '需要 root 权限才能挂载 tmpfs（当前不是 root）';
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-mount-probe-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    run('umount', [probe]);
    return null;
  } catch (err) {
    return `无法挂载 tmpfs：${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

function withFiller(dir: string, unmount: () => void): SmallFs {
  const filler = path.join(dir, 'filler.bin');
  const free = () => {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    free,
    fill: (leave = 0) => {
      // Written until the kernel refuses (a write that runs out part-way returns what it wrote),
      // then cut back: the exact free space, whatever the file system keeps for itself.
      const fd = fs.openSync(filler, 'w');
      const block = Buffer.alloc(1 << 20, 0x5a);
      let size = 0;
      try {
        for (;;) size += fs.writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        fs.closeSync(fd);
      }
      fs.truncateSync(filler, Math.max(0, size - leave));
    },
    unfill: () => fs.rmSync(filler, { force: true }),
    unmount,
  };
}

/** A tmpfs of `mb` MB mounted on a fresh temp folder. */
export function mountTmpfs(mb: number): SmallFs & { remountReadOnly: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-small-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${mb}m,mode=0755`, 'tmpfs', dir]);
  let mounted = true;
  const fsys = withFiller(dir, () => {
    if (mounted) unmountDir(dir);
    mounted = false;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { ...fsys, remountReadOnly: () => run('mount', ['-o', 'remount,ro', dir]) };
}

/**
 * An ext4 image of `mb` MB on a loop device, mounted with errors=remount-ro. `failReadOnly()`
 * raises a file-system error through ext4's sysfs switch, as a failing disk would: the kernel then
 * refuses every write, even to files already open. Null with the reason when the kernel or the
 * machine has no loop devices or ext4.
 */
export function mountExt4(mb: number): (SmallFs & { failReadOnly: () => void }) | string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-ext4-'));
  const image = path.join(work, 'disk.img');
  const dir = path.join(work, 'mnt');
  fs.mkdirSync(dir);
  fs.writeFileSync(image, '');
  fs.truncateSync(image, mb * 1024 * 1024);
  try {
    run('mkfs.ext4', ['-q', '-F', image]);
    run('mount', ['-o', 'loop,errors=remount-ro', image, dir]);
  } catch (err) {
    fs.rmSync(work, { recursive: true, force: true });
    return `无法在 loop 设备上挂载 ext4：${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
  const device = path.basename(execFileSync('findmnt', ['-n', '-o', 'SOURCE', dir], { encoding: 'utf8' }).trim());
  const trigger = `/sys/fs/ext4/${device}/trigger_fs_error`;
  let mounted = true;
  const fsys = withFiller(dir, () => {
    // The loop device goes with the mount (mount -o loop sets autoclear).
    if (mounted) unmountDir(dir);
    mounted = false;
    fs.rmSync(work, { recursive: true, force: true });
  });
  if (!fs.existsSync(trigger)) {
    fsys.unmount();
    return `内核未提供 ${trigger}，无法模拟磁盘出错变为只读`;
  }
  return { ...fsys, failReadOnly: () => fs.writeFileSync(trigger, 'disk-full test') };
}
