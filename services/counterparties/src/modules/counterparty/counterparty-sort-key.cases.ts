/**
 * Name → sort key: the cases of the unit spec of counterpartySortKey, also checked against the database's
 * function by the list-order spec (test data, kept out of __tests__ where every file is a spec).
 */
export const SORT_KEY_CASES: readonly (readonly [string, string])[] = [
  // full Russian forms
  ['Акционерное общество "Ромашка"', 'ромашка'],
  ['Общество с ограниченной ответственностью «Ромашка»', 'ромашка'],
  ['Публичное акционерное общество «Сбербанк России»', 'сбербанк россии'],
  ['Непубличное акционерное общество «Вектор»', 'вектор'],
  ['Открытое акционерное общество «РЖД»', 'ржд'],
  ['Закрытое акционерное общество «Прогресс»', 'прогресс'],
  ['Индивидуальный предприниматель Иванов Иван Иванович', 'иванов иван иванович'],
  ['Федеральное государственное унитарное предприятие «Почта России»', 'почта россии'],
  ['Муниципальное унитарное предприятие «Водоканал»', 'водоканал'],
  ['Автономная некоммерческая организация «Школа»', 'школа'],
  ['Крестьянское (фермерское) хозяйство Петров П. П.', 'петров п. п'],
  // abbreviations, any case, with and without a space before the quotes
  ['ООО «Ромашка»', 'ромашка'],
  ['ооо "Ромашка"', 'ромашка'],
  ['ООО"Ромашка"', 'ромашка'],
  ['ПАО «Газпром»', 'газпром'],
  ['АО «Альфа-Банк»', 'альфа-банк'],
  ['ЗАО „Старт“', 'старт'],
  ['ИП Иванов И. И.', 'иванов и. и'],
  ['ГУП «Мосгаз»', 'мосгаз'],
  ['ФГБУ «Институт»', 'институт'],
  ['НКО «Фонд»', 'фонд'],
  ['ТСЖ «Дом»', 'дом'],
  // the form after the name
  ['Ромашка, ООО', 'ромашка'],
  ['«Ромашка» АО', 'ромашка'],
  // English and international forms
  ['Romashka LLC', 'romashka'],
  ['LLC Romashka', 'romashka'],
  ['Acme, Inc.', 'acme'],
  ['Acme Ltd', 'acme'],
  ['Acme Limited', 'acme'],
  ['Siemens AG', 'siemens'],
  ['Robert Bosch GmbH', 'robert bosch'],
  ['PJSC Gazprom', 'gazprom'],
  ['JSC "Sber"', 'sber'],
  ['Widgets Corp.', 'widgets'],
  ['Nestlé S.A.', 'nestlé'],
  // ё and е sort together
  ['ООО «Ёлка»', 'елка'],
  ['Ёлкин Пётр', 'елкин петр'],
  // words that only begin like a form stay as they are
  ['Аолит', 'аолит'],
  ['Ипподром', 'ипподром'],
  ['Оао-трейд', 'оао-трейд'],
  ['Coca-Cola Company', 'coca-cola company'],
  ['Agama', 'agama'],
  // several forms in a row, extra spaces
  ['ООО  ИП   Сидоров', 'сидоров'],
  // nothing but a form: the key is the form itself, never empty
  ['ООО', 'ооо'],
  ['«АО»', 'ао'],
  // no form
  ['Сидорова Анна Сергеевна', 'сидорова анна сергеевна'],
];
