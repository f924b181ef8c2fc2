import { Migration } from '@mikro-orm/migrations';

/**
 * The name order by the name without the legal form (issue 11): «Акционерное общество "Ромашка"», «ООО "Ромашка"»
 * and «ИП Иванов» sort under Р and И. `sort_name` is a stored generated column (every existing row is filled when it
 * is added; rows written outside the service get it too) computed by the immutable function `counterparty_sort_key`
 * (the rule of `counterparty-sort-key.ts`; this migration keeps its own copy of the function as it landed).
 * Indexes serve the keyset pages of the list's orders: by the key (with and without a status filter), by INN
 * and by the time of the last change.
 */
export class Migration20261206084507 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function counterparty_sort_key(name text) returns text
  language sql immutable parallel safe strict as $fn$
  select coalesce(nullif(
    regexp_replace(regexp_replace(regexp_replace(plain, '^(?:(?:федеральное государственное унитарное предприятие|федеральное государственное бюджетное учреждение|общество с дополнительной ответственностью|общество с ограниченной ответственностью|автономная некоммерческая организация|государственное унитарное предприятие|крестьянское \\(фермерское\\) хозяйство|государственное бюджетное учреждение|муниципальное унитарное предприятие|муниципальное бюджетное учреждение|непубличное акционерное общество|товарищество собственников жилья|индивидуальный предприниматель|публичное акционерное общество|public joint[- ]stock company|закрытое акционерное общество|открытое акционерное общество|производственный кооператив|некоммерческое партнерство|limited liability company|joint[- ]stock company|акционерное общество|incorporated|corporation|глава кфх|limited|cjsc|corp|gmbh|ojsc|pjsc|фгбу|фгуп|inc|jsc|llc|llp|ltd|plc|ано|гбу|гуп|зао|кфх|мбу|муп|нао|нко|оао|одо|ооо|пао|тсж|ао|ип|нп|пк)\\.?(?:[ ,]+|$))+', ''), '(?:[ ,]+(?:федеральное государственное унитарное предприятие|федеральное государственное бюджетное учреждение|общество с дополнительной ответственностью|общество с ограниченной ответственностью|автономная некоммерческая организация|государственное унитарное предприятие|крестьянское \\(фермерское\\) хозяйство|государственное бюджетное учреждение|муниципальное унитарное предприятие|муниципальное бюджетное учреждение|непубличное акционерное общество|товарищество собственников жилья|индивидуальный предприниматель|публичное акционерное общество|public joint[- ]stock company|закрытое акционерное общество|открытое акционерное общество|производственный кооператив|некоммерческое партнерство|limited liability company|joint[- ]stock company|акционерное общество|incorporated|corporation|глава кфх|limited|b\\.v|cjsc|corp|gmbh|ojsc|pjsc|s\\.a|sarl|фгбу|фгуп|inc|jsc|llc|llp|ltd|plc|spa|srl|ано|гбу|гуп|зао|кфх|мбу|муп|нао|нко|оао|одо|ооо|пао|тсж|ab|ag|bv|co|lp|nv|oy|sa|ао|ип|нп|пк)\\.?)+$', ''), '^[ ,.\\-–—]+|[ ,.\\-–—]+$', '', 'g'),
  ''), plain)
  from (select btrim(regexp_replace(regexp_replace(replace(lower(name), 'ё', 'е'), '[«»"“”„‟‹›]', ' ', 'g'), '\\s+', ' ', 'g')) as plain) as normalized
$fn$;`);
    this.addSql(`alter table "counterparties" add column "sort_name" text generated always as (counterparty_sort_key("name")) stored;`);
    this.addSql(`create index "counterparties_sort_name_index" on "counterparties" ("sort_name", "id");`);
    this.addSql(`create index "counterparties_status_sort_name_index" on "counterparties" ("status", "sort_name", "id");`);
    this.addSql(`create index "counterparties_inn_id_index" on "counterparties" ("inn", "id");`);
    this.addSql(`create index "counterparties_updated_at_id_index" on "counterparties" ("updated_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "counterparties_updated_at_id_index";`);
    this.addSql(`drop index if exists "counterparties_inn_id_index";`);
    this.addSql(`drop index if exists "counterparties_status_sort_name_index";`);
    this.addSql(`drop index if exists "counterparties_sort_name_index";`);
    this.addSql(`alter table "counterparties" drop column if exists "sort_name";`);
    this.addSql(`drop function if exists counterparty_sort_key(text);`);
  }

}
