import { readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph } from '../composition';
import { apiSchemaOf, changelogEntry, CHANGELOG_PATH, checkSchema, DELIBERATE_PATH, printApiSchema, readDeliberate, readReleased, RELEASED_PATH } from '../schema-check';

/**
 * `schema check`: the subgraphs compose, and the API breaks nothing against the last release (see schema-check.ts).
 * `schema release`: records the API of the current supergraph as released, with a changelog entry generated from
 * the diff; the deliberate changes it carried out leave the list.
 */
const command = process.argv[2];
const today = process.env.SCHEMA_CHECK_DAY ?? new Date().toISOString().slice(0, 10);

async function main(): Promise<number> {
  const composed = composeSupergraph();
  if (composed.errors) {
    console.error(`The subgraphs do not compose:\n- ${composed.errors.join('\n- ')}`);
    return 1;
  }
  const next = apiSchemaOf(composed.supergraphSdl);
  const deliberate = readDeliberate();
  const result = await checkSchema(readReleased(), next, deliberate, today);
  for (const change of result.changes) console.log(`${change.level.padEnd(12)} ${change.message}`);
  if (command === 'check') {
    for (const { change, why } of result.refused) console.error(`REFUSED      ${change.message}: ${why}`);
    for (const entry of result.unused) console.warn(`UNUSED       deliberate change "${entry.change}" matches no change`);
    console.log(result.refused.length ? `${result.refused.length} breaking change(s) refused.` : `No unplanned breaking change (${result.changes.length} change(s) against the release).`);
    return result.refused.length ? 1 : 0;
  }
  if (command === 'release') {
    if (result.refused.length) {
      for (const { change, why } of result.refused) console.error(`REFUSED      ${change.message}: ${why}`);
      return 1;
    }
    const previous = readFileSync(CHANGELOG_PATH, 'utf8');
    const [title, ...rest] = previous.split(/\n(?=## )/);
    writeFileSync(CHANGELOG_PATH, [title.trimEnd(), '', changelogEntry(today, result.changes, deliberate), ...rest].join('\n').trimEnd() + '\n');
    writeFileSync(RELEASED_PATH, printApiSchema(next));
    const carried = new Set(result.changes.map((change) => change.id));
    writeFileSync(DELIBERATE_PATH, `${JSON.stringify(deliberate.filter((entry) => !carried.has(entry.change)), null, 2)}\n`);
    console.log(`Released: ${RELEASED_PATH}, ${CHANGELOG_PATH}`);
    return 0;
  }
  console.error('usage: schema check | schema release');
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
