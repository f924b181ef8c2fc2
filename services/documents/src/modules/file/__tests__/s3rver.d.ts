// The few parts of s3rver (a fake S3 server for tests; it ships no types) that the specs use.
declare module 's3rver' {
  type S3rverOptions = { address?: string; port?: number; silent?: boolean; directory: string; resetOnClose?: boolean; configureBuckets?: { name: string }[] };
  class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
  export = S3rver;
}
