import { Collection, ReferenceKind, SCALAR_TYPES, type EntityManager, type EntityMetadata, type EntityProperty, type Platform } from '@mikro-orm/core';

/** A row as raw SQL returns it (`em.execute`, `connection.execute`): column names as keys. */
export type RawRow = Record<string, unknown>;

/**
 * Maps raw rows of one entity's table to read-only instances of the entity's class; see `readOnlyMapper`.
 * `known`: entities already at hand that to-one relations should point to (e.g. the counterparty whose contacts
 * these are), as the identity map would; others become id-only references.
 */
export type ReadOnlyMapper<T extends object> = (row: RawRow, known?: readonly object[]) => T;

/** An entity's class (a construct signature, so that `T` is inferred from it even where a caller expects a mapper). */
type EntityConstructor<T extends object> = new (...args: never[]) => T;

type Step =
  | { kind: 'scalar'; name: string; prop: EntityProperty; validate: boolean }
  | { kind: 'custom'; name: string; prop: EntityProperty }
  | { kind: 'reference'; name: string; target: EntityMetadata; pk: EntityProperty }
  | { kind: 'collection'; name: string; prop: EntityProperty };

type Plan = { meta: EntityMetadata; steps: Step[] };

/** Compiled plans per ORM (its metadata storage) and entity: built once from the metadata, never per row. */
const plans = new WeakMap<object, Map<string, Plan>>();

function unsupported(meta: EntityMetadata, what: string): never {
  throw new Error(`The read-only row mapper does not support ${what} (${meta.className}); use em.map for this entity`);
}

function stepOf(meta: EntityMetadata, prop: EntityProperty, metadataOf: (className: string) => EntityMetadata): Step | null {
  // the hydrator skips the same: a getter without a setter that is not persisted (e.g. a computed field)
  if (prop.getter && !prop.setter && prop.persist === false) return null;
  if (prop.kind === ReferenceKind.EMBEDDED || prop.embedded) unsupported(meta, `the embedded property ${prop.name}`);
  if (prop.ref) unsupported(meta, `the Ref-wrapped property ${prop.name}`);
  if (prop.kind === ReferenceKind.ONE_TO_MANY || prop.kind === ReferenceKind.MANY_TO_MANY) return { kind: 'collection', name: prop.name, prop };
  if ((prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE) && !prop.mapToPk) {
    if (!prop.fieldNames?.length) return null; // the inverse side of a 1:1 has no column
    const target = metadataOf(prop.type);
    if (target.compositePK || target.primaryKeys.length !== 1) unsupported(meta, `the relation ${prop.name} to an entity with a composite key`);
    return { kind: 'reference', name: prop.name, target, pk: target.properties[target.primaryKeys[0]] };
  }
  if (prop.customType) return { kind: 'custom', name: prop.name, prop };
  // em.map validates (and, unless strict, coerces) these the same way before hydrating
  const validate = prop.kind === ReferenceKind.SCALAR && SCALAR_TYPES.includes(prop.runtimeType) && (!!prop.setter || !prop.getter);
  return { kind: 'scalar', name: prop.name, prop, validate };
}

function planOf(em: EntityManager, entity: EntityConstructor<object>): Plan {
  const storage = em.getMetadata();
  let byEntity = plans.get(storage);
  if (!byEntity) plans.set(storage, (byEntity = new Map()));
  const meta = storage.get(entity.name);
  const cached = byEntity.get(meta.className);
  if (cached) return cached;
  if (meta.discriminatorColumn || meta.polymorphs?.length) unsupported(meta, 'single-table inheritance');
  if (meta.embeddable || meta.virtual) unsupported(meta, 'embeddables and virtual entities');
  const steps = meta.props.map((prop) => stepOf(meta, prop, (className) => storage.get(className))).filter((step): step is Step => step !== null);
  const plan: Plan = { meta, steps };
  byEntity.set(meta.className, plan);
  return plan;
}

/** A custom type's JS value, as the hydrator converts it (`convertCustomTypes: true`). */
function fromDatabase(prop: EntityProperty, value: unknown, platform: Platform): unknown {
  return prop.customType ? prop.customType.convertToJSValue(value, platform, { mode: 'serialization' }) : value;
}

/**
 * A to-one relation: one of the `known` entities when it is there (as the identity map would give it), else an
 * id-only reference: an object of the target's class with just its primary key, as MikroORM's uninitialized
 * references are.
 */
function referenceTo(step: Extract<Step, { kind: 'reference' }>, value: unknown, platform: Platform, known: readonly object[] | undefined): object {
  const id = fromDatabase(step.pk, value, platform);
  const targetClass = step.target.class;
  const pkName = step.pk.name;
  const found = known?.find((entity) => entity instanceof targetClass && (entity as Record<string, unknown>)[pkName] === id);
  return found ?? Object.setPrototypeOf({ [pkName]: id }, step.target.prototype);
}

/**
 * A read-only row mapper for the read paths that run raw SQL (cards, pages of many parents at once): raw rows →
 * instances of the entity's class (so `instanceof` and type-graphql's field resolvers work), with MikroORM's own
 * column→property mapping and conversions — `driver.mapResult` (column names, timestamps as `Date`, booleans), the
 * validator's coercion and enum check that `em.map` runs, and the properties' custom types as the hydrator applies
 * them (bigint as the entity declares it, JSON, arrays, dates as strings) — but without what makes `em.map` cost
 * a fifth of a card's CPU: no identity map, no change-tracking snapshot, no per-entity ORM wrapper.
 *
 * The objects are detached and must never be persisted: the unit of work does not know them, so a flush ignores
 * them, and changing one changes nothing in the database (load the entity with `em.findOne` to change it). Their
 * values are own properties; to-many collections are present but not initialized; a to-one relation is one of
 * `known` or an id-only reference (see `ReadOnlyMapper`). The column names missing from a row stay `undefined`,
 * columns the entity does not declare are left out, as with `em.map`.
 *
 * Not supported (refused when the mapper is built): embeddables, `Ref`-wrapped properties, single-table
 * inheritance and relations to composite keys.
 */
export function readOnlyMapper<C extends EntityConstructor<object>>(em: EntityManager, entity: C): ReadOnlyMapper<InstanceType<C>> {
  const { meta, steps } = planOf(em, entity);
  const driver = em.getDriver();
  const platform = em.getPlatform();
  const validator = em.getValidator();
  const prototype = meta.prototype;
  return (row, known) => {
    const data = driver.mapResult(row, meta) as RawRow;
    const values: RawRow = {};
    for (const step of steps) {
      if (step.kind === 'collection') {
        const collection = new Collection<object>(values, undefined, false);
        collection.property = step.prop;
        values[step.name] = collection;
        continue;
      }
      const value = data[step.name];
      if (value === undefined) continue;
      if (value === null) values[step.name] = null;
      else if (step.kind === 'custom') values[step.name] = fromDatabase(step.prop, value, platform);
      else if (step.kind === 'reference') values[step.name] = referenceTo(step, value, platform, known);
      else values[step.name] = step.validate ? validator.validateProperty(step.prop, value, data) : value;
    }
    // own data properties, set before the prototype: the entity's prototype setters (change tracking) never run
    return Object.setPrototypeOf(values, prototype) as InstanceType<C>;
  };
}

/** Maps raw rows of `entity`'s table to read-only entities (see `readOnlyMapper`). */
export function readOnlyRows<C extends EntityConstructor<object>>(em: EntityManager, entity: C, rows: readonly RawRow[], known?: readonly object[]): InstanceType<C>[] {
  const map = readOnlyMapper(em, entity);
  return rows.map((row) => map(row, known));
}
