import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { IsOptional, IsString, Max, Min } from 'class-validator';
import { UserInputError } from '../errors/domain-errors';
import { isCalendarDate, textProblem } from './input-values';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@Directive('@shareable')
@ObjectType({ description: 'Relay page information' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** `(first, after)` of every connection: never unbounded. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1..${MAX_PAGE_SIZE}` })
  @Min(1, { message: 'first must be at least 1' })
  @Max(MAX_PAGE_SIZE, { message: `first must be at most ${MAX_PAGE_SIZE}` })
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page' })
  @IsOptional()
  @IsString()
  after?: string | null;
}

export type Edge<T> = { node: T; cursor: string };
export type ConnectionShape<T> = { edges: Edge<T>[]; pageInfo: PageInfo; totalCount: number };

/** Declares `<Name>Edge` and `<Name>Connection` object types for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => node)
    node!: T;

    @Field()
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class Connection implements ConnectionShape<T> {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return Connection;
}

/** Keyset cursor: the sort key values of a row, opaque to clients. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * What one element of a cursor must be. `uuid`, `timestamp` (as `Date#toISOString()` writes it), `date`
 * (`YYYY-MM-DD`), `decimal` (digits, optional fraction), `string` (storable text) are strings; `int32` fits
 * a PostgreSQL integer, `int53` a bigint read as a safe JavaScript integer. A trailing `?` also allows null.
 */
export type CursorPart = 'string' | 'uuid' | 'timestamp' | 'date' | 'decimal' | 'int32' | 'int53';
export type CursorShape = readonly (CursorPart | `${CursorPart}?`)[];
type PartValue<P> = P extends `${infer Base}?` ? PartValue<Base> | null : P extends 'int32' | 'int53' ? number : string;
export type CursorValues<S extends CursorShape> = { -readonly [K in keyof S]: PartValue<S[K]> };

/** Longest cursor accepted: a key of a few hundred characters, base64url-encoded, fits with room to spare. */
export const MAX_CURSOR_LENGTH = 4096;
const MAX_CURSOR_STRING = 1000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DECIMAL = /^\d{1,30}(\.\d{1,30})?$/;
const INT32_MAX = 2_147_483_647;

function partIsValid(part: CursorPart | `${CursorPart}?`, value: unknown): boolean {
  if (value === null) return part.endsWith('?');
  const base = part.replace(/\?$/, '') as CursorPart;
  if (base === 'int32') return Number.isInteger(value) && Math.abs(value as number) <= INT32_MAX;
  if (base === 'int53') return Number.isSafeInteger(value);
  if (typeof value !== 'string' || value.length > MAX_CURSOR_STRING || textProblem(value) !== null) return false;
  switch (base) {
    case 'uuid':
      return UUID.test(value);
    case 'timestamp':
      // toISOString() round trip: a real day and time, exactly as the server wrote it
      return TIMESTAMP.test(value) && isCalendarDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
    case 'date':
      return isCalendarDate(value);
    case 'decimal':
      return DECIMAL.test(value);
    default:
      return true;
  }
}

function invalidCursor(field: string): never {
  throw new UserInputError(field, 'The cursor is not valid for this list; start again from the first page');
}

/**
 * Decodes a cursor of `encodeCursor` — the one place a client-supplied cursor is read. With a shape, every
 * element is checked for its kind (so it can go straight into SQL); with an arity, only the count and that
 * strings are storable text and numbers safe integers. Anything else — not base64url, not JSON, wrong
 * length or types, a crafted value — is BAD_USER_INPUT on `field` (`after` by default).
 */
export function decodeCursor<const S extends CursorShape>(cursor: string, shape: S, field?: string): CursorValues<S>;
export function decodeCursor(cursor: string, arity: number, field?: string): (string | number | null)[];
export function decodeCursor(cursor: string, shapeOrArity: CursorShape | number, field = 'after'): unknown[] {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) invalidCursor(field);
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    invalidCursor(field);
  }
  const shape: CursorShape = typeof shapeOrArity === 'number' ? [] : shapeOrArity;
  const arity = typeof shapeOrArity === 'number' ? shapeOrArity : shapeOrArity.length;
  if (!Array.isArray(values) || values.length !== arity) invalidCursor(field);
  const list = values as unknown[];
  const valid =
    typeof shapeOrArity === 'number'
      ? list.every((v) => v === null || Number.isSafeInteger(v) || (typeof v === 'string' && v.length <= MAX_CURSOR_STRING && textProblem(v) === null))
      : list.every((v, index) => partIsValid(shape[index], v));
  if (!valid) invalidCursor(field);
  return list;
}

/**
 * Builds a connection from `first + 1` rows fetched in key order: the extra row only tells whether
 * another page exists.
 */
export function toConnection<T>(rows: T[], first: number, totalCount: number, cursorOf: (row: T) => string): ConnectionShape<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount,
  };
}
