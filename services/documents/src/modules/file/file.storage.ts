import type { Readable } from 'node:stream';

/** Inclusive byte range of a partial read (HTTP Range semantics). */
export type ByteRange = { start: number; end: number };

/**
 * Where file contents live, keyed by their sha-256 (content-addressed: identical content is stored once).
 * Implementations never derive a location from anything but a validated sha-256.
 */
export type FileStorage = {
  /** Stores the content of `tempPath` under `sha256` unless it is there already. May move `tempPath` away. */
  put(sha256: string, tempPath: string): Promise<void>;
  /** The content, or a byte range of it; fails with StoredContentMissingError when there is none. */
  open(sha256: string, range?: ByteRange): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
};

/** The storage holds no content for a sha-256 a stored file points at (lost or not yet replicated). */
export class StoredContentMissingError extends Error {
  constructor(readonly sha256: string) {
    super(`The stored content ${sha256} is missing`);
    this.name = 'StoredContentMissingError';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The only way a storage turns a key into a location: `<aa>/<bb>/<sha256>` of a valid lower-case hex sha-256. */
export function storageKey(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error('Not a sha-256 digest');
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}
