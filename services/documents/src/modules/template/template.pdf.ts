import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The outcome of a conversion: the PDF, or why there is none (shown to the user as a warning). */
export type PdfResult = { ok: true; pdf: Buffer } | { ok: false; reason: string };

/** `soffice` on the PATH, or null: the default of LIBREOFFICE_PATH. */
export function findSofficeOnPath(pathVariable: string | undefined): string | null {
  for (const dir of (pathVariable ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['soffice', 'libreoffice']) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * One conversion at a time per process: LibreOffice is memory-hungry and a second instance on the same
 * machine only makes both slower. Conversions wait in this chain.
 */
let queue: Promise<unknown> = Promise.resolve();

function runSoffice(binary: string, args: string[], timeoutMs: number, home: string): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, HOME: home } });
    let output = '';
    let timedOut = false;
    const collect = (chunk: Buffer) => {
      if (output.length < 4000) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      // the whole process group: soffice starts a child (oosplash → soffice.bin)
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: error.message, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

/**
 * DOCX → PDF with LibreOffice headless (`soffice --headless --convert-to pdf`), in a private profile directory
 * (a shared one is locked by any other running instance) and a private output directory, both removed after.
 * Never throws: a missing binary, a timeout or a failed conversion is a reason, never a broken file.
 */
export async function convertDocxToPdf(docx: Buffer, options: { sofficePath: string | null; timeoutMs: number }): Promise<PdfResult> {
  const { sofficePath, timeoutMs } = options;
  if (!sofficePath || !isExecutable(sofficePath)) {
    return { ok: false, reason: 'PDF was not created: LibreOffice (soffice) is not installed on the server; the DOCX is ready' };
  }
  const run = async (): Promise<PdfResult> => {
    const work = await mkdtemp(join(tmpdir(), 'kartoteka-pdf-'));
    try {
      const input = join(work, 'document.docx');
      await writeFile(input, docx);
      const profile = join(work, 'profile');
      const result = await runSoffice(sofficePath, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nologo', '--convert-to', 'pdf', '--outdir', work, input], timeoutMs, work);
      if (result.timedOut) return { ok: false, reason: `PDF was not created: LibreOffice did not finish within ${Math.round(timeoutMs / 1000)} s; the DOCX is ready` };
      const pdf = await readFile(join(work, 'document.pdf')).catch(() => null);
      if (result.code !== 0 || !pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, reason: 'PDF was not created: LibreOffice could not convert the document; the DOCX is ready' };
      return { ok: true, pdf };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
