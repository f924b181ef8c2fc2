import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { scaled } from '../../jest.timing';

/** One message as the sink received it, parsed. */
export type SunkMail = {
  messageId: string;
  /** The To header as text (`a@x, b@y`). */
  to: string;
  /** The addresses of the To, Cc and Bcc headers. */
  toAddresses: string[];
  ccAddresses: string[];
  bccAddresses: string[];
  /** The envelope recipients (RCPT TO) of the SMTP transaction; empty for messages read back from a sink process's folder. */
  envelopeTo: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Header names lower-cased, values as received (unfolded); a repeated header keeps its first value. */
  headers: Record<string, string>;
  attachments: { fileName: string; contentType: string; size: number }[];
  /** When the sink accepted the message (its clock); for a sink process, the file's name carries it. */
  receivedAt: Date;
};

/** How the sink answers RCPT TO for an address: a reply code (4xx temporary, 5xx permanent), for `times` more tries (default: always). */
export type SinkRejection = { code: number; message?: string; times?: number };

export type SmtpSink = {
  port: number;
  url: string;
  messages: SunkMail[];
  /** From now on, answers RCPT TO for `address` (any case) with `code`; `times` limits it to the next n tries. */
  reject: (address: string, rejection: SinkRejection) => void;
  /** Accepts `address` again. */
  accept: (address: string) => void;
  /** How many RCPT TO commands for `address` the sink refused so far. */
  rejectedCount: (address: string) => number;
  /**
   * Holds the reply to the end of DATA of the next message: resolves (with that message) once the message has
   * arrived whole and the sender waits for the 250. The message is kept only if `release` is called; if the
   * sender's connection closes first (a client killed while waiting), it is discarded, as a receiving server must
   * discard a message it never acknowledged. Makes "killed mid-send" deterministic.
   */
  holdNext: () => Promise<SunkMail>;
  /** Answers 250 to the held message (and keeps it). */
  release: () => void;
  close: () => Promise<void>;
};

const addressesOf = (field: unknown): string[] => {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((entry: { value?: { address?: string }[] }) => (entry.value ?? []).map((item) => (item.address ?? '').toLowerCase()).filter(Boolean));
};

async function parse(raw: Buffer | string, receivedAt: Date, envelopeTo: string[]): Promise<SunkMail> {
  const mail = await simpleParser(raw);
  const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
  const headers: Record<string, string> = {};
  for (const line of mail.headerLines) {
    const colon = line.line.indexOf(':');
    if (colon > 0 && !(line.key in headers)) headers[line.key] = line.line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  }
  return {
    messageId: mail.messageId ?? '',
    to,
    toAddresses: addressesOf(mail.to),
    ccAddresses: addressesOf(mail.cc),
    bccAddresses: addressesOf(mail.bcc),
    envelopeTo,
    from: mail.from?.value[0] ? `${mail.from.value[0].name} <${mail.from.value[0].address}>` : '',
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    headers,
    attachments: mail.attachments.map((attachment) => ({ fileName: attachment.filename ?? '', contentType: attachment.contentType, size: attachment.size })),
    receivedAt,
  };
}

/**
 * A real SMTP server on 127.0.0.1 (port 0: a free one) that keeps every message it accepts, parsed. It can refuse
 * chosen recipients at RCPT TO with a chosen reply code — 5xx as a mailbox that does not exist (a hard bounce),
 * 4xx as a greylisting or full mailbox (a soft one) — like a real receiving server would.
 */
export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const messages: SunkMail[] = [];
  const rejections = new Map<string, SinkRejection>();
  const refused = new Map<string, number>();
  let holdRequest: ((mail: SunkMail) => void) | null = null;
  let held: { sessionId: string; mail: SunkMail; callback: (error?: Error | null) => void } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 200,
    size: 50 * 1024 * 1024,
    onClose(session) {
      if (held?.sessionId === session.id) held = null; // never acknowledged: not received
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const key = address.address.toLowerCase();
      const rejection = rejections.get(key);
      if (!rejection) {
        callback();
        return;
      }
      if (rejection.times !== undefined) {
        rejection.times -= 1;
        if (rejection.times <= 0) rejections.delete(key);
      }
      refused.set(key, (refused.get(key) ?? 0) + 1);
      const error = Object.assign(new Error(rejection.message ?? (rejection.code >= 500 ? 'No such user here' : 'Try again later')), { responseCode: rejection.code });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const receivedAt = new Date();
      const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        parse(Buffer.concat(chunks), receivedAt, envelopeTo).then(
          (mail) => {
            if (holdRequest) {
              const notify = holdRequest;
              holdRequest = null;
              held = { sessionId: session.id, mail, callback };
              notify(mail);
              return;
            }
            messages.push(mail);
            callback(null);
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  const actual = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    messages,
    reject: (address, rejection) => rejections.set(address.toLowerCase(), { ...rejection }),
    accept: (address) => rejections.delete(address.toLowerCase()),
    rejectedCount: (address) => refused.get(address.toLowerCase()) ?? 0,
    holdNext: () => new Promise<SunkMail>((resolve) => (holdRequest = resolve)),
    release: () => {
      if (!held) return;
      const { mail, callback } = held;
      held = null;
      messages.push(mail);
      callback(null);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The sink of `pnpm start` (scripts/mail-sink.mjs) in its own process, so a test can kill it outright
 * (SIGKILL, mid-conversation) and start it again on the same port with the same folder.
 */
export type SinkProcess = { port: number; dir: string; kill: () => Promise<void>; restart: () => Promise<void>; stop: () => Promise<void>; messages: () => Promise<SunkMail[]> };

const SINK_SCRIPT = join(__dirname, '..', '..', '..', '..', 'scripts', 'mail-sink.mjs');

function spawnSink(port: number, dir: string): Promise<{ child: ChildProcessWithoutNullStreams; port: number }> {
  const child = spawn(process.execPath, [SINK_SCRIPT, '--port', String(port), '--dir', dir]);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += String(chunk);
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.once('exit', (code) => reject(new Error(`mail sink exited (${code}): ${err}`)));
  });
}

/** The time a sink process wrote into a message's file name (`2026-12-06T11-52-01-123Z-….eml`). */
function receivedAtOf(name: string): Date {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(name);
  return match ? new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z`) : new Date(0);
}

export async function startSinkProcess(): Promise<SinkProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'kartoteka-mail-'));
  let { child, port } = await spawnSink(0, dir);
  const exited = (process: ChildProcessWithoutNullStreams) => new Promise<void>((resolve) => (process.exitCode !== null || process.signalCode !== null ? resolve() : process.once('exit', () => resolve())));
  const sink: SinkProcess = {
    port,
    dir,
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    restart: async () => {
      // The port was just freed; binding it again can race the kernel for a moment.
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          child = (await spawnSink(port, dir)).child;
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    },
    stop: async () => {
      child.kill('SIGKILL');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
    messages: async () =>
      Promise.all(
        readdirSync(dir)
          .filter((name) => name.endsWith('.eml') && !name.startsWith('.'))
          .map((name) => parse(readFileSync(join(dir, name)), receivedAtOf(name), [])),
      ),
  };
  return sink;
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after the deadline. */
export async function waitFor<T>(description: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
