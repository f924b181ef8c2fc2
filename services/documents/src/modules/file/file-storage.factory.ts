import type { FilesSettings } from '../../config';
import type { FileStorage } from './file.storage';
import { LocalFileStorage } from './local-file.storage';
import { S3FileStorage } from './s3-file.storage';

/** The configured storage: an S3-compatible bucket when one is set, the local disk otherwise. */
export function createFileStorage(settings: FilesSettings): FileStorage {
  return settings.s3 ? new S3FileStorage(settings.s3) : new LocalFileStorage(settings.dir);
}
