import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import type { ApiOperation } from './api-operations';
import { validRecipes } from './api-recipes';

/** Kinds of ids the seeded stack hands out; a generated id is often a real one of the right kind. */
export type IdKind =
  | 'counterparty'
  | 'document'
  | 'documentVersion'
  | 'deal'
  | 'dealAction'
  | 'caseTemplate'
  | 'caseTemplateVersion'
  | 'routeTemplate'
  | 'step'
  | 'journal'
  | 'notification'
  | 'acknowledgement'
  | 'file'
  | 'user'
  | 'apiKey';

/** Real values harvested from the seeded stack, mixed into the generated ones so calls get past "not found". */
export type ValuePools = {
  ids: Partial<Record<IdKind, string[]>>;
  /** Users that operations changing a user (password, roles, deactivation) may be given: never a demo user the fuzz logs in as. */
  sacrificialUserIds: string[];
  /** API keys that `revokeApiKey` may be given: never the partner key the fuzz calls with. */
  sacrificialApiKeyIds: string[];
  cursors: string[];
  /** Realistic strings: stage keys, action keys, names, field keys of forms. */
  strings: string[];
  /** Valid JSON objects (case template definitions), to be sent as is or with one value made hostile. */
  json: Record<string, unknown>[];
  /** Exported case template files, for `importCaseTemplate`. */
  templateFiles: Record<string, unknown>[];
};

const HOSTILE_STRINGS = [
  '',
  ' ',
  '   padded   ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDC00\uD800',
  'ok\uD83D',
  '\uFEFF',
  '\u200B\u200D',
  '\u202Eevil',
  '\r\n\t',
  "'; drop table users; --",
  "O'Brien \"quoted\" \\ back",
  '%',
  '_',
  '%_%\\',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '../../etc/passwd',
  'ЁжИк «кавычки» — тире',
  '😀🇷🇺👨‍👩‍👧',
  'NaN',
  'null',
  'undefined',
  '-1',
  '0',
  '1e309',
  'true',
];

const LONG_STRINGS = [256, 1_001, 10_000, 100_000].map((length) => 'a'.repeat(length)).concat(['я'.repeat(5_000), '😀'.repeat(3_000), `${'\u0000'.repeat(100)}x`]);

/** A string with a hostile piece somewhere in a realistic one. */
const embeddedHostile = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 12 }))
  .map(([before, hostile, after]) => `${before}${hostile}${after}`);

function weighted<T>(...entries: [number, fc.Arbitrary<T>][]): fc.Arbitrary<T> {
  return fc.oneof(...entries.filter(([weight]) => weight > 0).map(([weight, arbitrary]) => ({ weight, arbitrary })));
}

function anyString(pools: ValuePools): fc.Arbitrary<string> {
  return weighted<string>(
    [25, fc.string({ maxLength: 40 })],
    [10, fc.string({ unit: 'grapheme', maxLength: 30 })],
    [8, fc.string({ unit: 'binary', maxLength: 30 })],
    [20, fc.constantFrom(...HOSTILE_STRINGS)],
    [10, embeddedHostile],
    [4, fc.constantFrom(...LONG_STRINGS)],
    [pools.strings.length ? 15 : 0, fc.constantFrom(...(pools.strings.length ? pools.strings : ['']))],
  );
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** `YYYY-MM-DD`: real dates, impossible ones, out-of-range years and other spellings. */
const dateString = weighted<string>(
  [40, fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10))],
  [15, fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`)],
  [
    25,
    fc.constantFrom(
      '2024-02-30',
      '2023-02-29',
      '2024-02-29',
      '2024-04-31',
      '2024-00-10',
      '2024-13-01',
      '0000-01-01',
      '0001-01-01',
      '9999-12-31',
      '10000-01-01',
      '+275760-09-13',
      '-000001-01-01',
      '2024-1-1',
      '01.02.2024',
      '2024-01-01T00:00:00Z',
      '2024-01-01T25:61:61Z',
      '2024-01-01\u0000',
      '2024-0\uD8001-01',
      'today',
      '',
    ),
  ],
);

/** ISO date-times for the DateTimeISO scalar. */
const dateTimeString = weighted<string>(
  [40, fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString())],
  [
    25,
    fc.constantFrom(
      '2024-02-30T00:00:00.000Z',
      '2023-13-01T00:00:00Z',
      '0000-00-00T00:00:00Z',
      '+275760-09-13T00:00:00.000Z',
      '-271821-04-20T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2024-01-01',
      '2024-01-01T24:00:00Z',
      '1900-01-01T00:00:00Z',
      'not a date',
      '',
    ),
  ],
);

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Real cursors, cursors with their values replaced by hostile ones, and garbage. */
function cursor(pools: ValuePools): fc.Arbitrary<string> {
  const hostileValue = fc.constantFrom<unknown>(null, '', '\u0000', '\uD800', 'x'.repeat(5_000), -1, 1.5, 1e308, 2 ** 63, 'not-a-uuid', '2024-02-30', [], {}, true);
  const tampered = pools.cursors.length
    ? fc.tuple(fc.constantFrom(...pools.cursors), hostileValue, fc.nat()).map(([valid, value, index]) => {
        try {
          const decoded: unknown = JSON.parse(Buffer.from(valid, 'base64url').toString('utf8'));
          if (Array.isArray(decoded) && decoded.length) {
            decoded[index % decoded.length] = value;
            return base64url(JSON.stringify(decoded));
          }
        } catch {
          // not JSON: tamper with the text instead
        }
        return `${valid.slice(0, -2)}${String(value)}`;
      })
    : fc.constant('');
  return weighted<string>(
    [20, pools.cursors.length ? fc.constantFrom(...pools.cursors) : fc.constant('')],
    [30, tampered],
    [
      25,
      fc.constantFrom(
        '',
        'x',
        '====',
        '%%%',
        base64url('garbage'),
        base64url('[]'),
        base64url('{}'),
        base64url('[null,null]'),
        base64url('[1,2,3,4,5,6,7,8]'),
        base64url('["2024-02-30T00:00:00Z","not-a-uuid"]'),
        base64url(`${'['.repeat(5_000)}${']'.repeat(5_000)}`),
        base64url('\u0000'),
        '\uD800',
        'A'.repeat(20_000),
      ),
    ],
    [10, fc.string({ maxLength: 30 }).map(base64url)],
    [5, fc.jsonValue({ maxDepth: 3 }).map((value) => base64url(JSON.stringify(value)))],
  );
}

/**
 * JSON nested `depth` levels deep. Kept as a marker until the request body is written ({@link toRequestBody}):
 * building and serialising such a value recursively would overflow the fuzz's own stack.
 */
export type DeepJson = { __fuzzDeepJson: { depth: number; asArray: boolean } };

export function deepJson(depth: number, asArray: boolean): DeepJson {
  return { __fuzzDeepJson: { depth, asArray } };
}

export function isDeepJson(value: unknown): value is DeepJson {
  return !!value && typeof value === 'object' && '__fuzzDeepJson' in value;
}

function deepJsonText({ depth, asArray }: DeepJson['__fuzzDeepJson']): string {
  return asArray ? `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
}

/** The JSON text of a request, deep JSON markers written out without recursion. */
export function toRequestBody(body: unknown): string {
  const deep: string[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (!isDeepJson(value)) return value;
    deep.push(deepJsonText(value.__fuzzDeepJson));
    return `__fuzz_deep_${deep.length - 1}__`;
  });
  return text.replace(/"__fuzz_deep_(\d+)__"/g, (_match, index: string) => deep[Number(index)]);
}

/** Replaces one value somewhere inside `json` (a copy) by `replacement`. */
function replaceSomewhere(json: Record<string, unknown>, replacement: unknown, choice: number): Record<string, unknown> {
  const copy = structuredClone(json);
  const slots: { holder: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((item, index) => (slots.push({ holder: node, key: index }), visit(item)));
    else if (node && typeof node === 'object') for (const [key, item] of Object.entries(node)) slots.push({ holder: node as Record<string, unknown>, key }), visit(item);
  };
  visit(copy);
  if (!slots.length) return { ...copy, extra: replacement };
  const slot = slots[choice % slots.length];
  (slot.holder as Record<string | number, unknown>)[slot.key] = replacement;
  return copy;
}

function jsonObject(pools: ValuePools): fc.Arbitrary<Record<string, unknown>> {
  const hostileLeaf = fc.oneof(
    fc.constantFrom<unknown>(null, '', '\u0000', '\uD800', 'a'.repeat(10_000), -1, 0, 1.5, 1e308, -1e308, 2 ** 53, 9007199254740991, [], {}, true, 'NaN'),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(50, 1_000, 10_000).map((depth) => ({ nested: deepJson(depth, depth % 2 === 0) })),
  );
  return weighted<Record<string, unknown>>(
    [pools.json.length ? 25 : 0, fc.constantFrom(...(pools.json.length ? pools.json : [{}]))],
    [pools.json.length ? 35 : 0, fc.tuple(fc.constantFrom(...(pools.json.length ? pools.json : [{}])), hostileLeaf, fc.nat()).map(([json, leaf, choice]) => replaceSomewhere(json, leaf, choice))],
    [20, fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })],
    [8, fc.tuple(fc.constantFrom(20, 200, 2_000, 20_000), fc.boolean()).map(([depth, asArray]) => ({ nested: deepJson(depth, asArray) }))],
    [4, fc.constant(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])))],
  );
}

const WRONG_TYPE_VALUES: unknown[] = [2147483648, -2147483649, 1.5, 1e21, 'a string', true, [], {}, [1, 2]];

/** Which pool an id argument or input field draws from, by its name, or the operation's when it is just `id`. */
const ID_KINDS: [RegExp, IdKind][] = [
  [/counterparty/i, 'counterparty'],
  [/action/i, 'dealAction'],
  [/deal/i, 'deal'],
  [/casetemplateversion|templateversion/i, 'caseTemplateVersion'],
  [/routetemplate|route/i, 'routeTemplate'],
  [/casetemplate|template/i, 'caseTemplate'],
  [/step/i, 'step'],
  [/journal/i, 'journal'],
  [/notification/i, 'notification'],
  [/acknowledg/i, 'acknowledgement'],
  [/file|upload/i, 'file'],
  [/apikey/i, 'apiKey'],
  [/version/i, 'documentVersion'],
  [/document|target|source|related/i, 'document'],
  [/user|owner|responsible|manager|author|assignee|approver|delegate|recipient|member|signer/i, 'user'],
];

function idKind(fieldName: string, operation: ApiOperation): IdKind | null {
  const name = /^ids?$/i.test(fieldName) ? operation.field : fieldName;
  return ID_KINDS.find(([pattern]) => pattern.test(name))?.[1] ?? null;
}

/** Operations that change a user or revoke a key get only sacrificial ones, so every role the fuzz calls as keeps working. */
const USER_CHANGING = new Set(['updateUser', 'setUserPassword']);

function idValue(fieldName: string, operation: ApiOperation, pools: ValuePools): fc.Arbitrary<string> {
  const kind = idKind(fieldName, operation);
  let own: string[] = kind ? (pools.ids[kind] ?? []) : [];
  if (kind === 'user' && USER_CHANGING.has(operation.field)) own = pools.sacrificialUserIds;
  if (kind === 'apiKey') own = pools.sacrificialApiKeyIds;
  const protectedIds = new Set([...(pools.ids.user ?? []), ...(pools.ids.apiKey ?? [])].filter((id) => !pools.sacrificialUserIds.includes(id) && !pools.sacrificialApiKeyIds.includes(id)));
  const others = Object.values(pools.ids)
    .flat()
    .filter((id) => !USER_CHANGING.has(operation.field) || !protectedIds.has(id))
    .filter((id) => operation.field !== 'revokeApiKey' || !protectedIds.has(id));
  const malformed = fc.constantFrom(
    'not-a-uuid',
    '',
    ' ',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '00000000-0000-4000-8000-00000000000g',
    '{00000000-0000-4000-8000-000000000099}',
    '00000000000040008000000000000099',
    '1',
    '-1',
    '9'.repeat(40),
    "'",
    '\u0000',
    '00000000-0000-4000-8000-000000000099\u0000',
    '\uD800',
    'x'.repeat(10_000),
  );
  // a real id spelled differently: PostgreSQL's uuid input also takes upper case, braces and no hyphens
  const spellings: Record<string, (id: string) => string> = {
    upper: (id) => id.toUpperCase(),
    braces: (id) => `{${id}}`,
    compact: (id) => id.replace(/-/g, ''),
    space: (id) => ` ${id} `,
    nul: (id) => `${id}\u0000`,
    truncate: (id) => id.slice(0, -1),
  };
  const mangled = own.length ? fc.tuple(fc.constantFrom(...own), fc.constantFrom(...Object.values(spellings))).map(([id, spell]) => spell(id)) : malformed;
  return weighted<string>(
    [own.length ? 45 : 0, fc.constantFrom(...(own.length ? own : ['']))],
    [others.length ? 10 : 0, fc.constantFrom(...(others.length ? others : ['']))],
    [15, fc.uuid()],
    [20, malformed],
    [5, mangled],
  );
}

/** Strings whose name tells what they hold get values of that kind (and hostile variants of it). */
function stringValue(fieldName: string, pools: ValuePools): fc.Arbitrary<string> {
  const name = fieldName.toLowerCase();
  const general = anyString(pools);
  if (/^(after|before|cursor)$/.test(name)) return weighted([85, cursor(pools)], [15, general]);
  if (/email/.test(name)) return weighted([45, fc.emailAddress()], [15, fc.constantFrom('a@b', '@', 'x@y.z\u0000', 'имя@пример.рф', `${'a'.repeat(300)}@example.com`)], [40, general]);
  if (/date|^from$|^to$|until|since|deadline/.test(name)) return weighted([70, dateString], [10, dateTimeString], [20, general]);
  if (/^(inn|kpp|ogrn|ogrnip|bik|account|correspondentaccount)$/.test(name)) {
    return weighted([45, fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 20 })], [55, general]);
  }
  if (/currency/.test(name)) return weighted([50, fc.constantFrom('RUB', 'USD', 'EUR', 'XXX', 'rub', 'RU', 'RUBB')], [50, general]);
  if (/password/.test(name)) return weighted([40, fc.string({ minLength: 8, maxLength: 30 })], [60, general]);
  return general;
}

function scalarValue(scalar: string, fieldName: string, operation: ApiOperation, pools: ValuePools): fc.Arbitrary<unknown> {
  switch (scalar) {
    case 'ID':
      return idValue(fieldName, operation, pools);
    case 'String':
      return stringValue(fieldName, pools);
    case 'Boolean':
      return fc.boolean();
    case 'Int':
      return weighted<number>(
        [45, fc.integer({ min: -5, max: 120 })],
        [30, fc.constantFrom(0, -1, 1, 99, 100, 101, 1_000, 100_000, 2147483647, -2147483648)],
        [10, fc.integer()],
      );
    case 'Float':
      return weighted<number>([50, fc.double({ noNaN: true, noDefaultInfinity: true })], [50, fc.constantFrom(0, -0, 0.1, -1, 1e308, -1e308, Number.MIN_VALUE)]);
    case 'SafeInt':
      return weighted<number>(
        [30, fc.integer({ min: 0, max: 10_000_000 })],
        [15, fc.maxSafeNat()],
        [
          40,
          fc.constantFrom(0, -1, 1, 99_999_999_999_999, 100_000_000_000_000, 2 ** 50, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1.5, 0.1, -0.5, 1e308),
        ],
        [15, fc.maxSafeInteger()],
      );
    case 'DateTimeISO':
      return dateTimeString;
    case 'JSON':
      return weighted<unknown>([70, jsonObject(pools)], [30, fc.jsonValue({ maxDepth: 3 })]);
    case 'JSONObject':
      return jsonObject(pools);
    default:
      return weighted<unknown>([80, anyString(pools)], [20, fc.integer()]);
  }
}

/** Input objects nest at most this deep before nullable fields are left out (recursive input types). */
const MAX_INPUT_DEPTH = 5;

/**
 * Values of an input type: mostly well-typed (so they reach the resolvers) with valid, boundary and
 * hostile contents; now and then ill-typed (wrong scalar, unknown enum value, null where not allowed,
 * an unknown input field) so the gateway's own validation is exercised too.
 */
export function inputValue(type: GraphQLInputType, fieldName: string, operation: ApiOperation, pools: ValuePools, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    return weighted<unknown>([198, presentValue(type.ofType, fieldName, operation, pools, depth)], [1, fc.constant(null)], [1, fc.constantFrom(...WRONG_TYPE_VALUES)]);
  }
  // nullable: a value, an explicit null, or left out (undefined is dropped from the JSON)
  return weighted<unknown>([70, presentValue(type, fieldName, operation, pools, depth)], [15, fc.constant(null)], [15, fc.constant(undefined)]);
}

/** A value (never null) of a nullable input type. */
function presentValue(type: GraphQLInputType, fieldName: string, operation: ApiOperation, pools: ValuePools, depth: number): fc.Arbitrary<unknown> {
  if (isListType(type)) {
    // items of a list of non-null items are never null here (fast-check's bias towards the first values of
    // an array would make that the common case); a list holding a null is one case of its own
    const item = isNonNullType(type.ofType) ? presentValue(type.ofType.ofType, fieldName, operation, pools, depth + 1) : inputValue(type.ofType, fieldName, operation, pools, depth + 1);
    return weighted<unknown>([25, fc.constant([])], [60, fc.array(item, { minLength: 1, maxLength: 3 })], [3, fc.array(item, { minLength: 40, maxLength: 60 })], [2, item], [1, fc.constant([null])]);
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    if (depth >= MAX_INPUT_DEPTH) return fc.constant({});
    const record = fc.record(Object.fromEntries(fields.map((field) => [field.name, inputValue(field.type, field.name, operation, pools, depth + 1)])));
    const cleaned = record.map((value) => Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)));
    return weighted<unknown>([99, cleaned], [1, cleaned.map((value) => ({ ...value, notAField: 'x' }))]);
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((value) => value.name);
    return weighted<unknown>([97, fc.constantFrom(...values)], [3, fc.constantFrom('NOPE', values[0].toLowerCase(), '', `${values[0]}\u0000`)]);
  }
  if (isScalarType(type)) return weighted<unknown>([99, scalarValue(type.name, fieldName, operation, pools)], [1, fc.constantFrom(...WRONG_TYPE_VALUES)]);
  return fc.constant(null);
}

const REALISTIC_TEXT = ['Поставка оборудования', 'ООО «Ромашка»', 'Договор № 15/24-П', 'Иван Петров', 'Счёт на оплату', 'Comment', 'Согласовано', 'Акт сверки', 'Москва, ул. Тверская, д. 1'];

/** Well-formed values only: so that a share of the calls gets past validation and changes state, deeper states get fuzzed too. */
function gentleScalar(scalar: string, fieldName: string, operation: ApiOperation, pools: ValuePools): fc.Arbitrary<unknown> {
  const name = fieldName.toLowerCase();
  const realDate = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2032-12-31T00:00:00Z'), noInvalidDate: true });
  switch (scalar) {
    case 'ID': {
      const kind = idKind(fieldName, operation);
      const own = kind === 'user' && USER_CHANGING.has(operation.field) ? pools.sacrificialUserIds : kind === 'apiKey' ? pools.sacrificialApiKeyIds : kind ? (pools.ids[kind] ?? []) : [];
      return own.length ? fc.constantFrom(...own) : idValue(fieldName, operation, pools);
    }
    case 'String':
      if (/^(after|before|cursor)$/.test(name)) return pools.cursors.length ? fc.constantFrom(...pools.cursors) : fc.constant('');
      if (/email/.test(name)) return fc.emailAddress();
      if (/date|^from$|^to$|until|since|deadline/.test(name)) return realDate.map((date) => date.toISOString().slice(0, 10));
      if (/^(inn|kpp|ogrn|ogrnip|bik|account|correspondentaccount)$/.test(name)) return fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 15 });
      if (/currency/.test(name)) return fc.constantFrom('RUB', 'USD');
      if (/password/.test(name)) return fc.string({ unit: fc.constantFrom(...'abcdefgh12345'), minLength: 10, maxLength: 16 });
      return weighted<string>([pools.strings.length ? 40 : 0, fc.constantFrom(...(pools.strings.length ? pools.strings : ['']))], [40, fc.constantFrom(...REALISTIC_TEXT)], [20, fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz '), minLength: 1, maxLength: 20 })]);
    case 'Boolean':
      return fc.boolean();
    case 'Int':
      return fc.integer({ min: 1, max: 20 });
    case 'Float':
      return fc.double({ min: 0, max: 1000, noNaN: true });
    case 'SafeInt':
      return fc.integer({ min: 0, max: 10_000_000 });
    case 'DateTimeISO':
      return realDate.map((date) => date.toISOString());
    case 'JSON':
    case 'JSONObject':
      return pools.json.length ? fc.constantFrom(...pools.json) : fc.constant({});
    default:
      return fc.constantFrom(...REALISTIC_TEXT);
  }
}

function gentleValue(type: GraphQLInputType, fieldName: string, operation: ApiOperation, pools: ValuePools, depth = 0, required = false): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return gentleValue(type.ofType, fieldName, operation, pools, depth, true);
  const present = (): fc.Arbitrary<unknown> => {
    if (isListType(type)) return fc.array(gentleValue(type.ofType, fieldName, operation, pools, depth + 1), { minLength: 0, maxLength: 2 });
    if (isInputObjectType(type)) {
      if (depth >= MAX_INPUT_DEPTH) return fc.constant({});
      const record = fc.record(Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, gentleValue(field.type, field.name, operation, pools, depth + 1)])));
      return record.map((value) => Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)));
    }
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name));
    if (isScalarType(type)) return gentleScalar(type.name, fieldName, operation, pools);
    return fc.constant(null);
  };
  return required ? present() : weighted<unknown>([50, present()], [50, fc.constant(undefined)]);
}

/** A hostile value to put in place of one value inside an otherwise valid input. */
function hostileLeaf(pools: ValuePools): fc.Arbitrary<unknown> {
  return weighted<unknown>(
    [30, fc.constantFrom(...HOSTILE_STRINGS)],
    [10, embeddedHostile],
    [5, fc.constantFrom(...LONG_STRINGS)],
    [15, dateString],
    [15, fc.constantFrom(-1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e21, -Number.MAX_SAFE_INTEGER, 2147483648)],
    [10, fc.constantFrom<unknown>(null, '', [], {}, true)],
    [5, cursor(pools)],
    [5, fc.constantFrom(200, 5_000).map((depth) => deepJson(depth, false))],
    [5, fc.uuid()],
  );
}

/**
 * Variables for one call of `operation`: mostly hostile (valid, boundary and hostile values mixed), some
 * well-formed (so calls also succeed and later ones meet the states they create); for the operations of
 * the main flows also a valid input as is, and one with a single value inside replaced by a hostile one.
 */
export function operationVariables(operation: ApiOperation, pools: ValuePools): fc.Arbitrary<Record<string, unknown>> {
  const clean = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
  const hostile = fc.record(Object.fromEntries(operation.args.map((argument) => [argument.name, inputValue(argument.type, argument.name, operation, pools)]))).map(clean);
  const gentle = fc.record(Object.fromEntries(operation.args.map((argument) => [argument.name, gentleValue(argument.type, argument.name, operation, pools)]))).map(clean);
  const recipe = validRecipes(pools)[operation.field];
  if (!recipe) return weighted<Record<string, unknown>>([2, hostile], [1, gentle]);
  const spoiled = fc.tuple(recipe, hostileLeaf(pools), fc.nat()).map(([valid, leaf, choice]) => replaceSomewhere(valid, leaf, choice));
  return weighted<Record<string, unknown>>([3, hostile], [1, gentle], [2, recipe], [4, spoiled]);
}
