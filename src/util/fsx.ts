import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** mkdir -p with a mode for the directories it creates. */
export async function ensureDir(dir: string, mode = 0o755): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
}

/**
 * Writes a file atomically: a temporary file in the same directory, fsync, rename. The mode is set
 * on the new file before any data is written, so a key is never readable by others, even briefly.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await ensureDir(path.dirname(file), 0o755);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.chmod(mode);
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
    await chmod(file, mode);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
