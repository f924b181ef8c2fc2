import { counterpartySortKey } from '../counterparty-sort-key';
import { SORT_KEY_CASES } from '../counterparty-sort-key.cases';

describe('counterpartySortKey', () => {
  it.each(SORT_KEY_CASES)('%s → %s', (name, key) => {
    expect(counterpartySortKey(name)).toBe(key);
  });

  it('puts counterparties with and without legal forms in the order of their names', () => {
    const names = ['ООО «Яблоко»', 'Акционерное общество "Ромашка"', 'ИП Иванов', 'Банк «Альфа»', 'ПАО «Вектор»'];
    const sorted = [...names].sort((a, b) => counterpartySortKey(a).localeCompare(counterpartySortKey(b), 'ru'));
    expect(sorted).toEqual(['Банк «Альфа»', 'ПАО «Вектор»', 'ИП Иванов', 'Акционерное общество "Ромашка"', 'ООО «Яблоко»']);
  });
});
