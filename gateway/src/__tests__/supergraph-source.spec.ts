import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createLogger } from '@kartoteka/kit';
import { loadConfig } from '../config';
import { SUPERGRAPH_PATH } from '../supergraph-path';
import { createSupergraphSource, subgraphsOf } from '../supergraph-source';

const SUPERGRAPH = readFileSync(SUPERGRAPH_PATH, 'utf8');

/** A supergraph served over HTTP with an ETag, as a registry or an object store serves it; counts the full answers. */
async function serveSupergraph(): Promise<{ url: string; set: (sdl: string) => void; fullAnswers: () => number; notModified: () => number; close: () => Promise<void> }> {
  let body = SUPERGRAPH;
  let version = 1;
  let full = 0;
  let unchanged = 0;
  const server = http.createServer((req, res) => {
    const etag = `"v${version}"`;
    if (req.headers['if-none-match'] === etag) {
      unchanged += 1;
      res.writeHead(304).end();
      return;
    }
    full += 1;
    res.writeHead(200, { etag, 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/supergraph.graphql`,
    set: (sdl) => {
      body = sdl;
      version += 1;
    },
    fullAnswers: () => full,
    notModified: () => unchanged,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Resolves once `check` holds, polling every few ms (the source polls every 10 ms here). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('supergraph source', () => {
  it('names the subgraphs a supergraph composes', () => {
    expect(subgraphsOf(SUPERGRAPH).map((subgraph) => subgraph.name).sort()).toEqual(['counterparties', 'deals', 'documents', 'finance', 'identity', 'mailings']);
  });

  it('polls a URL with its ETag, hands a changed supergraph to the gateway once, and keeps the served one when the gateway refuses the next', async () => {
    const server = await serveSupergraph();
    const source = createSupergraphSource({ path: '', url: server.url, pollMs: 10 }, createLogger('gateway', 'silent'));
    const updates: string[] = [];
    const update = (sdl: string): void => {
      if (sdl.includes('BROKEN')) throw new Error('Syntax Error: BROKEN');
      updates.push(sdl);
    };
    const started = await source.hook({ update, healthCheck: async () => undefined, getDataSource: () => { throw new Error('unused'); } });
    try {
      expect(started.supergraphSdl).toBe(SUPERGRAPH);
      const first = source.status();
      expect(first.id).toMatch(/^[0-9a-f]{16}$/);

      const next = `${SUPERGRAPH}\n# release 2\n`;
      server.set(next);
      await until(() => updates.length === 1);
      expect(updates).toEqual([next]);
      expect(source.status().id).not.toBe(first.id);

      server.set(`${next}BROKEN`);
      await until(() => source.status().rejected !== null);
      expect(source.status().rejected!.error).toContain('BROKEN');
      const full = server.fullAnswers();
      const polled = server.notModified();
      // three more polls, answered 304: the refused one is not offered again, nothing else reaches the gateway
      await until(() => server.notModified() >= polled + 3);
      expect(server.fullAnswers()).toBe(full);
      expect(updates).toHaveLength(1);
      expect(source.status().rejected).not.toBeNull();
    } finally {
      await started.cleanup?.();
      await server.close();
    }
  });

  it('refuses a supergraph URL that is not http(s) and a negative poll interval at start', () => {
    const base = { NODE_ENV: 'development' };
    expect(() => loadConfig({ ...base, SUPERGRAPH_URL: 'ftp://registry/supergraph' })).toThrow(/SUPERGRAPH_URL/);
    expect(() => loadConfig({ ...base, SUPERGRAPH_POLL_MS: '-1' })).toThrow(/SUPERGRAPH_POLL_MS/);
    expect(loadConfig({ ...base, SUPERGRAPH_URL: 'https://registry.example/supergraph.graphql' }).supergraph).toEqual({ path: SUPERGRAPH_PATH, url: 'https://registry.example/supergraph.graphql', pollMs: 5000 });
  });
});
