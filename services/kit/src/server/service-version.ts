import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The release a process runs: `SERVICE_VERSION` when the deployment sets it (an image tag, a commit), else the
 * version of the package the process was started from (the nearest package.json above its entry script).
 */
export function serviceVersion(env: NodeJS.ProcessEnv = process.env, entry: string | undefined = process.argv[1]): string {
  const fromEnv = env.SERVICE_VERSION?.trim();
  if (fromEnv) return fromEnv;
  let dir = entry ? dirname(entry) : process.cwd();
  for (let depth = 0; depth < 6; depth += 1) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here: look one level up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return 'unknown';
}
