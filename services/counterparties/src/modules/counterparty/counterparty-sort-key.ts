/**
 * The name a counterparty is sorted by: its name without the legal form, so «Акционерное общество "Ромашка"»,
 * «ООО "Ромашка"» and «Romashka LLC» all sort under Р / R, and «ИП Иванов» under И.
 *
 * The key is a generated column of `counterparties` (`sort_name`, see Migration20261206090000), computed by the
 * SQL function `counterparty_sort_key(text)`; a generated column also covers rows written outside the service
 * (bulk loads, the benchmarks' datasets). This module is the same rule in TypeScript: the client-side
 * description of the order and the reference the unit specs pin down; the service spec checks that the
 * database's function gives the same key for every case of the unit spec.
 *
 * Rule (applied in this order):
 * 1. lower case, ё → е;
 * 2. quotes «» "" „“” ‹› become spaces, whitespace runs become one space, trimmed;
 * 3. legal forms at the start (repeatedly: «ООО НПО …» is not stripped twice, only forms from the list) and at
 *    the end (after a space or a comma: «Ромашка, ООО», «Acme, Inc.», «Acme Ltd») are removed: full and short
 *    Russian forms and the common English / international ones;
 * 4. leading and trailing spaces, commas, dots and dashes are removed;
 * 5. a name that is nothing but a legal form keeps its step-2 text (never an empty key).
 */

/** Russian legal forms, full and abbreviated (lower case, ё as е). Written as regular-expression sources. */
export const RU_LEGAL_FORMS: readonly string[] = [
  'общество с ограниченной ответственностью',
  'общество с дополнительной ответственностью',
  'публичное акционерное общество',
  'непубличное акционерное общество',
  'открытое акционерное общество',
  'закрытое акционерное общество',
  'акционерное общество',
  'индивидуальный предприниматель',
  'федеральное государственное унитарное предприятие',
  'государственное унитарное предприятие',
  'муниципальное унитарное предприятие',
  'федеральное государственное бюджетное учреждение',
  'государственное бюджетное учреждение',
  'муниципальное бюджетное учреждение',
  'автономная некоммерческая организация',
  'некоммерческое партнерство',
  'производственный кооператив',
  'товарищество собственников жилья',
  'крестьянское \\(фермерское\\) хозяйство',
  'глава кфх',
  'ооо',
  'одо',
  'пао',
  'нао',
  'оао',
  'зао',
  'ао',
  'ип',
  'фгуп',
  'гуп',
  'муп',
  'фгбу',
  'гбу',
  'мбу',
  'ано',
  'нко',
  'нп',
  'пк',
  'тсж',
  'кфх',
];

/** English and international legal forms: also as prefixes («LLC Romashka», a common translation). */
export const EN_LEGAL_FORMS: readonly string[] = [
  'limited liability company',
  'public joint[- ]stock company',
  'joint[- ]stock company',
  'llc',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'gmbh',
  'pjsc',
  'ojsc',
  'cjsc',
  'jsc',
  'plc',
  'llp',
];

/** Forms too short or too common as words to strip at the start of a name; stripped only at its end. */
export const SUFFIX_ONLY_FORMS: readonly string[] = ['co', 'ag', 'sa', 's\\.a', 'bv', 'b\\.v', 'nv', 'lp', 'srl', 'spa', 'sarl', 'ab', 'oy'];

/** Alternatives longest first, so that both regex engines (JS backtracking, PostgreSQL's) pick the whole form. */
const alternation = (forms: readonly string[]): string => [...forms].sort((a, b) => b.length - a.length || a.localeCompare(b)).join('|');

/** Quote characters replaced by spaces. */
export const QUOTES_PATTERN = '[«»"“”„‟‹›]';
/** Legal forms at the start of a name, one or more, each followed by a separator or the end. */
export const PREFIX_PATTERN = `^(?:(?:${alternation([...RU_LEGAL_FORMS, ...EN_LEGAL_FORMS])})\\.?(?:[ ,]+|$))+`;
/** Legal forms at the end of a name, one or more, each after a space or a comma. */
export const SUFFIX_PATTERN = `(?:[ ,]+(?:${alternation([...RU_LEGAL_FORMS, ...EN_LEGAL_FORMS, ...SUFFIX_ONLY_FORMS])})\\.?)+$`;
/** Separators left at either end. */
export const EDGE_PATTERN = '^[ ,.\\-–—]+|[ ,.\\-–—]+$';

const QUOTES = new RegExp(QUOTES_PATTERN, 'g');
const PREFIX = new RegExp(PREFIX_PATTERN);
const SUFFIX = new RegExp(SUFFIX_PATTERN);
const EDGES = new RegExp(EDGE_PATTERN, 'g');

/** The sort key of a counterparty's name (see the module's comment for the rule). */
export function counterpartySortKey(name: string): string {
  const plain = name.toLowerCase().replace(/ё/g, 'е').replace(QUOTES, ' ').replace(/\s+/g, ' ').trim();
  const stripped = plain.replace(PREFIX, '').replace(SUFFIX, '').replace(EDGES, '');
  return stripped || plain;
}

/**
 * The SQL function of the same rule, as Migration20261206090000 created it (that migration keeps its own copy of
 * this text: a landed migration never changes). Built from the same patterns, so the service spec can check it.
 */
export const COUNTERPARTY_SORT_KEY_FUNCTION = `create or replace function counterparty_sort_key(name text) returns text
  language sql immutable parallel safe strict as $fn$
  select coalesce(nullif(
    regexp_replace(regexp_replace(regexp_replace(plain, '${PREFIX_PATTERN}', ''), '${SUFFIX_PATTERN}', ''), '${EDGE_PATTERN}', '', 'g'),
  ''), plain)
  from (select btrim(regexp_replace(regexp_replace(replace(lower(name), 'ё', 'е'), '${QUOTES_PATTERN}', ' ', 'g'), '\\s+', ' ', 'g')) as plain) as normalized
$fn$`;
