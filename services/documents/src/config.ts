import { readEventBusEnv, readSubgraphEnv, type SubgraphConfig, strictEnvReporter } from '@kartoteka/kit';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bool, cleanEnv, num, str, url } from 'envalid';
import { readExportEnv, type ExportSettings } from '@kartoteka/kit/export';
import { findSofficeOnPath } from './modules/template/template.pdf';

/** An S3-compatible bucket for file contents (instead of the local disk). */
export type S3Settings = {
  bucket: string;
  /** Endpoint of an S3-compatible service (MinIO, Yandex Object Storage, …); null: AWS itself. */
  endpoint: string | null;
  region: string;
  /** Static keys; null: the AWS SDK's default credential chain. */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
};

/** Files: where contents are kept and what an upload may hold. */
export type FilesSettings = {
  /** Local storage root (`<dir>/<aa>/<bb>/<sha256>`) and scratch space of uploads (`<dir>/tmp`), also with S3. */
  dir: string;
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Most files in one upload request. */
  maxCount: number;
  /** Set: contents go to this bucket instead of `dir`. */
  s3: S3Settings | null;
};

export const DEFAULT_FILE_MAX_BYTES = 25 * 1024 * 1024;
export const DEFAULT_FILE_MAX_COUNT = 10;

export const MAIL_LOCALES = ['ru', 'en'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/** E-mail of notifications: the SMTP relay and how messages are written. */
export type MailSettings = {
  /** `smtp://user:pass@host:port` (or `smtps://`); null: no relay runs and mail waits in the outbox. */
  smtpUrl: string | null;
  /** The From header, e.g. `Картотека <no-reply@kartoteka.local>`; its domain also ends every Message-ID. */
  from: string;
  /** Language of e-mails. */
  locale: MailLocale;
};

export const DEFAULT_MAIL_FROM = 'Картотека <no-reply@kartoteka.local>';

/** Generation from DOCX templates: the PDF step (LibreOffice headless). */
export type TemplatesSettings = {
  /** `soffice` binary; null or a missing file: generated documents get a DOCX only, with a warning. */
  sofficePath: string | null;
  /** Longest a DOCX → PDF conversion may take. */
  pdfTimeoutMs: number;
};

export const DEFAULT_PDF_TIMEOUT_MS = 60_000;

/** Settings of the documents service beyond the common subgraph ones; each module adds its own group. */
export type DocumentsSettings = {
  /** Seed demo documents (for the demo counterparties) when the table is empty. */
  demo: boolean;
  /** Public address of the portal, for links in e-mails. */
  portalUrl: string;
  /** The event bus (`EVENT_BUS_URL`); null (tests that do not need it): no event consumer or outbox relay runs. */
  eventBusUrl: string | null;
  files: FilesSettings;
  mail: MailSettings;
  /** Registry exports (XLSX / CSV): row cap and page size; kit's defaults without it. */
  export?: ExportSettings;
  templates: TemplatesSettings;
};

export type DocumentsConfig = SubgraphConfig & DocumentsSettings;

/** Settings for tests and tools: no demo data, no background delivery unless a test asks for it. */
export function defaultDocumentsSettings(overrides: Partial<DocumentsSettings> = {}): DocumentsSettings {
  return {
    demo: false,
    portalUrl: 'http://127.0.0.1:8080',
    eventBusUrl: null,
    files: { dir: join(tmpdir(), `kartoteka-files-${randomUUID()}`), maxBytes: DEFAULT_FILE_MAX_BYTES, maxCount: DEFAULT_FILE_MAX_COUNT, s3: null },
    mail: { smtpUrl: null, from: DEFAULT_MAIL_FROM, locale: 'ru' },
    templates: { sofficePath: findSofficeOnPath(process.env.PATH), pdfTimeoutMs: DEFAULT_PDF_TIMEOUT_MS },
    ...overrides,
  };
}

/** The only reader of process.env in this service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DocumentsConfig {
  const own = cleanEnv(env, {
    DEMO: bool({ default: false, desc: 'Seed demo documents for the demo counterparties' }),
    PORTAL_URL: url({ default: 'http://127.0.0.1:8080', desc: 'Public address of the portal (links in e-mails)' }),
    FILES_DIR: str({ default: '.data/files', desc: 'Local file storage (relative to the working directory) and upload scratch space' }),
    FILE_MAX_BYTES: num({ default: DEFAULT_FILE_MAX_BYTES, desc: 'Largest accepted file in bytes' }),
    FILE_MAX_COUNT: num({ default: DEFAULT_FILE_MAX_COUNT, desc: 'Most files in one upload' }),
    S3_BUCKET: str({ default: '', desc: 'Set: keep file contents in this S3-compatible bucket instead of FILES_DIR' }),
    S3_ENDPOINT: str({ default: '', desc: 'Endpoint of an S3-compatible service; empty: AWS' }),
    S3_REGION: str({ default: 'us-east-1' }),
    S3_ACCESS_KEY_ID: str({ default: '' }),
    S3_SECRET_ACCESS_KEY: str({ default: '' }),
    S3_FORCE_PATH_STYLE: bool({ default: true, desc: 'Path-style bucket addressing (most S3-compatible services need it)' }),
    SMTP_URL: str({ default: '', desc: 'SMTP server for notification e-mail, smtp://user:pass@host:port or smtps://…; empty: mail waits in the outbox' }),
    MAIL_FROM: str({ default: DEFAULT_MAIL_FROM, desc: 'From header of notification e-mail' }),
    MAIL_LOCALE: str({ choices: [...MAIL_LOCALES], default: 'ru', desc: 'Language of notification e-mail' }),
    LIBREOFFICE_PATH: str({ default: '', desc: 'soffice binary for PDFs of generated documents; empty: soffice found on PATH; missing: DOCX only, with a warning' }),
    PDF_TIMEOUT_MS: num({ default: DEFAULT_PDF_TIMEOUT_MS, desc: 'Longest a DOCX to PDF conversion may take, in ms' }),
  }, { reporter: strictEnvReporter });
  if (own.FILE_MAX_BYTES < 1 || own.FILE_MAX_COUNT < 1) throw new Error('Invalid configuration:\n  FILE_MAX_BYTES and FILE_MAX_COUNT must be positive');
  if (own.SMTP_URL && !/^smtps?:\/\/[^/]/.test(own.SMTP_URL)) throw new Error('Invalid configuration:\n  SMTP_URL must be smtp://host:port or smtps://host:port');
  if (!/@[^@\s>]+>?\s*$/.test(own.MAIL_FROM)) throw new Error('Invalid configuration:\n  MAIL_FROM must be an address, e.g. Картотека <no-reply@example.com>');
  const mail: MailSettings = { smtpUrl: own.SMTP_URL || null, from: own.MAIL_FROM, locale: own.MAIL_LOCALE };
  const files: FilesSettings = {
    dir: resolve(own.FILES_DIR),
    maxBytes: own.FILE_MAX_BYTES,
    maxCount: own.FILE_MAX_COUNT,
    s3: own.S3_BUCKET
      ? {
          bucket: own.S3_BUCKET,
          endpoint: own.S3_ENDPOINT || null,
          region: own.S3_REGION,
          credentials: own.S3_ACCESS_KEY_ID ? { accessKeyId: own.S3_ACCESS_KEY_ID, secretAccessKey: own.S3_SECRET_ACCESS_KEY } : null,
          forcePathStyle: own.S3_FORCE_PATH_STYLE,
        }
      : null,
  };
  if (own.PDF_TIMEOUT_MS < 1000) throw new Error('Invalid configuration:\n  PDF_TIMEOUT_MS must be at least 1000');
  const templates: TemplatesSettings = { sofficePath: own.LIBREOFFICE_PATH ? resolve(own.LIBREOFFICE_PATH) : findSofficeOnPath(env.PATH), pdfTimeoutMs: own.PDF_TIMEOUT_MS };
  return { ...readSubgraphEnv(env, 'documents', { port: 4103 }), demo: own.DEMO, portalUrl: own.PORTAL_URL, files, mail, templates, eventBusUrl: readEventBusEnv(env).eventBusUrl, export: readExportEnv(env).export };
}
