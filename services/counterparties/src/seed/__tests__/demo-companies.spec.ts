import {
  validateBik,
  validateCorrespondentAccount,
  validateInn,
  validateKpp,
  validateOgrn,
  validateSettlementAccount,
} from '@kartoteka/kit/requisites';
import { demoCompanies, type DemoCompany } from '../demo-companies';

/** Region (first two digits of INN / KPP) → how the legal address names that region. */
const regionAddress: Record<string, RegExp> = {
  '02': /Респ\. Башкортостан/,
  '16': /Респ\. Татарстан/,
  '23': /Краснодарский край/,
  '24': /Красноярский край/,
  '25': /Приморский край/,
  '36': /Воронежская обл\./,
  '38': /Иркутская обл\./,
  '39': /Калининградская обл\./,
  '50': /Московская обл\./,
  '52': /Нижегородская обл\./,
  '54': /Новосибирская обл\./,
  '59': /Пермский край/,
  '61': /Ростовская обл\./,
  '63': /Самарская обл\./,
  '66': /Свердловская обл\./,
  '72': /Тюменская обл\./,
  '74': /Челябинская обл\./,
  '76': /Ярославская обл\./,
  '77': /^\d{6}, г\. Москва,/,
  '78': /^\d{6}, г\. Санкт-Петербург,/,
};

/** KPP issued by the inspectorate for the largest taxpayers: not tied to the address region. */
const isLargestTaxpayerKpp = (kpp: string | null): boolean => kpp !== null && kpp.startsWith('99');

const label = (company: DemoCompany): string => `${company.shortName} (${company.inn}/${company.kpp ?? '-'})`;
const cases = demoCompanies.map((company) => [label(company), company] as const);

const innGroups = (): Map<string, DemoCompany[]> => {
  const groups = new Map<string, DemoCompany[]>();
  for (const company of demoCompanies) {
    groups.set(company.inn, [...(groups.get(company.inn) ?? []), company]);
  }
  return groups;
};

describe('demoCompanies', () => {
  it('has at least 60 companies (and so at least 50)', () => {
    expect(demoCompanies.length).toBeGreaterThanOrEqual(60);
  });

  it('mixes kinds: mostly legal entities, about ten sole proprietors, a few individuals', () => {
    const count = (kind: DemoCompany['kind']): number => demoCompanies.filter((c) => c.kind === kind).length;
    expect(count('LEGAL_ENTITY')).toBeGreaterThanOrEqual(40);
    expect(count('SOLE_PROPRIETOR')).toBeGreaterThanOrEqual(8);
    expect(count('SOLE_PROPRIETOR')).toBeLessThanOrEqual(12);
    expect(count('INDIVIDUAL')).toBeGreaterThanOrEqual(2);
    expect(count('INDIVIDUAL')).toBeLessThanOrEqual(5);
  });

  it('uses every status', () => {
    expect(new Set(demoCompanies.map((c) => c.status))).toEqual(new Set(['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER']));
  });

  it('has unique names and short names', () => {
    expect(new Set(demoCompanies.map((c) => c.name)).size).toBe(demoCompanies.length);
    expect(new Set(demoCompanies.map((c) => c.shortName)).size).toBe(demoCompanies.length);
  });

  it('has unique INN+KPP pairs', () => {
    const pairs = demoCompanies.map((c) => `${c.inn}/${c.kpp ?? ''}`);
    expect(new Set(pairs).size).toBe(demoCompanies.length);
  });

  it('shares an INN only between a legal entity and its branches (same OGRN, different KPPs)', () => {
    const shared = [...innGroups().values()].filter((group) => group.length > 1);
    expect(shared.length).toBeGreaterThanOrEqual(1);
    for (const group of shared) {
      expect(group.every((c) => c.kind === 'LEGAL_ENTITY')).toBe(true);
      expect(new Set(group.map((c) => c.ogrn)).size).toBe(1);
      expect(new Set(group.map((c) => c.kpp)).size).toBe(group.length);
    }
  });

  it('spreads companies over several cities', () => {
    const regions = new Set(demoCompanies.map((c) => c.inn.slice(0, 2)));
    expect(regions.size).toBeGreaterThanOrEqual(10);
  });

  describe.each(cases)('%s', (_label, company) => {
    it('has a valid INN, KPP and OGRN for its kind', () => {
      expect(validateInn(company.inn, company.kind)).toBeNull();
      expect(validateKpp(company.kpp, company.kind)).toBeNull();
      expect(validateOgrn(company.ogrn, company.kind)).toBeNull();
    });

    it('has valid bank accounts of the right balance account for its kind', () => {
      const balance = { LEGAL_ENTITY: '40702', SOLE_PROPRIETOR: '40802', INDIVIDUAL: '40817' }[company.kind];
      expect(company.bankAccounts.length).toBeGreaterThanOrEqual(1);
      for (const bank of company.bankAccounts) {
        expect(bank.bankName.length).toBeGreaterThan(0);
        expect(validateBik(bank.bik)).toBeNull();
        expect(validateSettlementAccount(bank.account, bank.bik)).toBeNull();
        expect(validateCorrespondentAccount(bank.correspondentAccount, bank.bik)).toBeNull();
        expect(bank.correspondentAccount.slice(-3)).toBe(bank.bik.slice(-3));
        expect(bank.account.slice(0, 5)).toBe(balance);
        expect(bank.account.slice(5, 8)).toBe('810');
      }
    });

    it('has requisites consistent with the region of its address', () => {
      const innRegion = company.inn.slice(0, 2);
      const kppRegion = company.kpp === null || isLargestTaxpayerKpp(company.kpp) ? innRegion : company.kpp.slice(0, 2);
      const isBranch = demoCompanies.some((other) => other !== company && other.inn === company.inn);
      expect(regionAddress[kppRegion]).toBeDefined();
      expect(company.legalAddress).toMatch(regionAddress[isBranch ? kppRegion : innRegion]);
      if (company.ogrn !== null) {
        expect(company.ogrn.slice(3, 5)).toBe(innRegion);
      }
    });

    it('has at least one contact with a Russian name, an e-mail and a +7 phone', () => {
      expect(company.contacts.length).toBeGreaterThanOrEqual(1);
      for (const contact of company.contacts) {
        expect(contact.name).toMatch(/^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+(вич|вна|ична|ьич)$/);
        expect(contact.position.length).toBeGreaterThan(0);
        expect(contact.email).toMatch(/^[a-z][a-z0-9.-]*@[a-z0-9-]+(\.[a-z0-9-]+)*\.(ru|com)$/);
        expect(contact.phone).toMatch(/^\+7 \((\d{3}\) \d{3}|\d{4}\) \d{2})-\d{2}-\d{2}$/);
        expect(contact.phone.replace(/\D/g, '')).toHaveLength(11);
      }
    });

    it('has non-empty addresses starting with a postal code, and tags', () => {
      expect(company.legalAddress).toMatch(/^\d{6}, /);
      expect(company.postalAddress).toMatch(/^\d{6}, /);
      expect(company.tags.length).toBeGreaterThanOrEqual(1);
    });
  });
});
