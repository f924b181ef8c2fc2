import type { FilesSettings } from '../../config';
import type { FileStorage } from './file.storage';
import { LocalFileStorage } from './local-file.storage';

/**
 * The configured storage: an S3-compatible bucket when one is set, the local disk otherwise. The S3 client (the AWS
 * SDK, ~0.1 s to load) is loaded only when a bucket is configured.
 */
export function createFileStorage(settings: FilesSettings): FileStorage {
  if (!settings.s3) return new LocalFileStorage(settings.dir);
  const { S3FileStorage } = require('./s3-file.storage') as typeof import('./s3-file.storage');
  return new S3FileStorage(settings.s3);
}
