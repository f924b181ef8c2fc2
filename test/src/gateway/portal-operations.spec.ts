import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, type DocumentNode } from 'graphql';
import { apiSchemaOf, validateOperations } from '../../../gateway/src/schema-check';
import { SUPERGRAPH_PATH } from '../../../gateway/src/supergraph-path';

/**
 * Every operation the portal sends validates against the supergraph the gateway serves (issue #13): a subgraph
 * change that removes or tightens something the portal uses fails here, before any release. The operations are
 * the documents the apps' query modules export (`frontends/<app>/src/api/*.queries.ts`, the root config's
 * `work-counts.ts`), loaded as the apps build them (operations built at run time from arguments are not seen).
 */
const FRONTENDS = join(__dirname, '..', '..', '..', 'frontends');

const queryModules = (): string[] =>
  readdirSync(FRONTENDS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((app) => {
      const dir = join(FRONTENDS, app.name, 'src', 'api');
      try {
        return readdirSync(dir).filter((file) => file.endsWith('.queries.ts')).map((file) => join(dir, file));
      } catch {
        return [];
      }
    })
    .concat(join(FRONTENDS, 'root-config', 'src', 'work-counts.ts'));

const isDocument = (value: unknown): value is DocumentNode => typeof value === 'object' && value !== null && (value as DocumentNode).kind === Kind.DOCUMENT;

/** Documents among a module's exports, also inside exported objects and functions of no argument (builders). */
function documentsOf(module: Record<string, unknown>, file: string): { name: string; document: DocumentNode }[] {
  const found: { name: string; document: DocumentNode }[] = [];
  const visit = (value: unknown, name: string, depth: number): void => {
    // a fragment alone is checked where an operation includes it
    if (isDocument(value)) {
      const operation = value.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
      // named by its module, export and operation: the message of a failure says which operation broke
      if (operation) found.push({ name: `${name} (${operation.kind === Kind.OPERATION_DEFINITION && operation.name ? operation.name.value : 'anonymous'})`, document: value });
    }
    else if (depth < 3 && typeof value === 'object' && value !== null) for (const [key, inner] of Object.entries(value)) visit(inner, `${name}.${key}`, depth + 1);
  };
  for (const [name, value] of Object.entries(module)) visit(value, `${file.replace(FRONTENDS, 'frontends')}#${name}`, 0);
  return found;
}

it('every operation of the portal validates against the supergraph', async () => {
  const schema = apiSchemaOf(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  const operations: { name: string; document: DocumentNode }[] = [];
  for (const file of queryModules()) operations.push(...documentsOf((await import(file)) as Record<string, unknown>, file));
  // a real portal: dozens of operations in every app
  expect(operations.length).toBeGreaterThan(100);
  expect(validateOperations(schema, operations)).toEqual([]);
});
