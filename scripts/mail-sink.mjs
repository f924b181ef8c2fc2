#!/usr/bin/env node
// A local SMTP sink for `pnpm start` (and tests): accepts every message on loopback, without
// authentication or TLS, and stores each as an .eml file. Nothing is relayed anywhere.
//   node scripts/mail-sink.mjs [--port 2525] [--host 127.0.0.1] [--dir .data/mail]
// Prints one JSON line `{"port":…,"dir":…}` once it listens (port 0 picks a free one).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.MAIL_SINK_PORT ?? '2525' },
    host: { type: 'string', default: process.env.MAIL_SINK_HOST ?? '127.0.0.1' },
    dir: { type: 'string', default: process.env.MAIL_SINK_DIR ?? '.data/mail' },
  },
});
const dir = resolve(values.dir);
mkdirSync(dir, { recursive: true });

const server = new SMTPServer({
  name: 'kartoteka-mail-sink',
  banner: 'Kartoteka mail sink: messages are stored, never delivered',
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  size: 50 * 1024 * 1024,
  closeTimeout: 1000,
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', callback);
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        callback(Object.assign(new Error('Message too big'), { responseCode: 552 }));
        return;
      }
      // Written under a temporary name and renamed: a reader never sees half a message.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      const temporary = join(dir, `.${name}.tmp`);
      try {
        writeFileSync(temporary, Buffer.concat(chunks));
        renameSync(temporary, join(dir, name));
      } catch (error) {
        callback(error);
        return;
      }
      callback(null, `stored as ${name}`);
    });
  },
});

let listening = false;
server.on('error', (error) => {
  console.error(`[mail-sink] ${error.message}`);
  if (!listening) process.exit(1);
});
server.listen(Number(values.port), values.host, () => {
  listening = true;
  console.log(JSON.stringify({ port: server.server.address().port, dir }));
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
