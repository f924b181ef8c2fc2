import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Settings } from '../../config';
import { StoredContentMissingError, storageKey, type ByteRange, type FileStorage } from './file.storage';

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey');
}

/**
 * Contents in an S3-compatible bucket under the key `<aa>/<bb>/<sha256>`. Checksums are sent only where the
 * protocol requires them: S3-compatible services differ in their support of the newer flexible checksums.
 */
export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint ?? undefined,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials ?? undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: storageKey(sha256) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async put(sha256: string, tempPath: string): Promise<void> {
    const key = storageKey(sha256);
    if (await this.exists(sha256)) return;
    const { size } = await stat(tempPath);
    // S3 writes an object whole or not at all: no partial content is ever visible under the key
    await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key: key, Body: createReadStream(tempPath), ContentLength: size, ContentType: 'application/octet-stream' }));
  }

  async open(sha256: string, range?: ByteRange): Promise<Readable> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: storageKey(sha256), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      if (!(response.Body instanceof Readable)) throw new Error('The S3 response has no readable body');
      return response.Body;
    } catch (error) {
      if (isNotFound(error)) throw new StoredContentMissingError(sha256);
      throw error;
    }
  }

  /** Closes the client's connections. */
  destroy(): void {
    this.client.destroy();
  }
}
