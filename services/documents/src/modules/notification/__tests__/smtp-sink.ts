import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { scaled } from '../../../../../kit/jest.timing';

export type SunkMail = { messageId: string; to: string; from: string; subject: string; text: string; html: string };

export type SmtpSink = { port: number; url: string; messages: SunkMail[]; close: () => Promise<void> };

async function parse(raw: Buffer | string): Promise<SunkMail> {
  const mail = await simpleParser(raw);
  const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
  return { messageId: mail.messageId ?? '', to, from: mail.from?.value[0] ? `${mail.from.value[0].name} <${mail.from.value[0].address}>` : '', subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' };
}

/** A real SMTP server on 127.0.0.1 (port 0: a free one) that keeps every message it accepts, parsed. */
export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const messages: SunkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        parse(Buffer.concat(chunks)).then(
          (mail) => {
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The sink of `pnpm start` (scripts/mail-sink.mjs) in its own process, so a test can kill it outright
 * (SIGKILL, mid-conversation) and start it again on the same port with the same folder.
 */
export type SinkProcess = { port: number; dir: string; kill: () => Promise<void>; restart: () => Promise<void>; stop: () => Promise<void>; messages: () => Promise<SunkMail[]> };

const SINK_SCRIPT = join(__dirname, '..', '..', '..', '..', '..', '..', 'scripts', 'mail-sink.mjs');

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
    messages: async () => Promise.all(readdirSync(dir).filter((name) => name.endsWith('.eml') && !name.startsWith('.')).map((name) => parse(readFileSync(join(dir, name))))),
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
