import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { StoredContentMissingError, storageKey, type ByteRange, type FileStorage } from './file.storage';

/** A Node system error with this code (checked by shape: such errors may come from another realm, e.g. under jest). */
function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

/**
 * Contents on the local disk under `<root>/<aa>/<bb>/<sha256>`. A content is written next to its place under
 * a temporary name, flushed to disk and renamed into place, so a reader never sees a partial file.
 */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    return join(this.root, ...storageKey(sha256).split('/'));
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if (isErrorCode(error, 'ENOENT')) return false;
      throw error;
    }
  }

  async put(sha256: string, tempPath: string): Promise<void> {
    const target = this.pathOf(sha256);
    if (await this.exists(sha256)) return;
    await mkdir(dirname(target), { recursive: true });
    const staging = join(dirname(target), `.${randomUUID()}.partial`);
    try {
      try {
        await rename(tempPath, staging);
      } catch (error) {
        if (!isErrorCode(error, 'EXDEV')) throw error;
        await copyFile(tempPath, staging); // another file system: copy instead of moving
      }
      const handle = await open(staging, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(staging, target); // atomic; a concurrent put of the same content renames identical bytes
    } finally {
      await rm(staging, { force: true });
    }
  }

  async open(sha256: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(sha256);
    const handle = await open(path, 'r').catch((error: unknown) => {
      if (isErrorCode(error, 'ENOENT')) throw new StoredContentMissingError(sha256);
      throw error;
    });
    return createReadStream('', { fd: handle, start: range?.start, end: range?.end });
  }
}
