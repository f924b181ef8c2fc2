import type { ApiError } from '../../../frontends/api/src/errors';
import { urlParam } from '../../../frontends/api/src/vue/use-url-filters';
import { dealBasicsFields, dealFieldOf, dealFormValues, emptyBasics } from '../../../frontends/deals/src/model/deal-form';
import { fieldIn, formBanner, formFieldOf, serverErrorText } from '../../../frontends/deals/src/work/forms';

/**
 * The pure parts of the deals app's forms and list pages (issue 11, "frontend shape"): which form field an
 * API error belongs to, what the banner says, and the utility module's URL parameter kinds the lists use.
 */
const t = (key: string, params?: Record<string, unknown>): string => (params ? `${key} ${JSON.stringify(params)}` : key);
const te = (key: string): boolean => key === 'work.reason.project.unknown';
const apiError = (overrides: Partial<ApiError>): ApiError => ({ message: 'refused', code: 'BAD_USER_INPUT', field: null, reason: null, details: {}, ...overrides });

describe('the work forms', () => {
  it('place an API error under the form field it names', () => {
    expect(formFieldOf('input.team.0.userId')).toBe('team');
    expect(formFieldOf('/team/0/userId')).toBe('team');
    expect(formFieldOf('title')).toBe('title');
    expect(formFieldOf(null)).toBeNull();
    const taskField = fieldIn(['title', 'dueAt']);
    expect(taskField('input.dueAt')).toBe('dueAt');
    // a field the form does not show goes to the banner
    expect(taskField('input.version')).toBeNull();
  });

  it('say an error by its rule when the app knows it, else by its code or the API message', () => {
    expect(serverErrorText(apiError({ reason: 'project.unknown' }), t, te)).toBe('work.reason.project.unknown');
    expect(serverErrorText(apiError({ reason: 'other.rule', message: 'Title is too long' }), t, te)).toBe('Title is too long');
    expect(serverErrorText(apiError({ code: 'CONFLICT' }), t, te)).toBe('dealsCommon.conflict');
  });

  it('show one banner: a failure, then the unplaced server errors, then "fix the errors"', () => {
    const none = { failure: null, serverErrors: false, unplaced: [], clientErrors: false };
    expect(formBanner(none, t, te)).toBeNull();
    expect(formBanner({ ...none, clientErrors: true }, t, te)).toBe('work.form.fixErrors');
    // every server error stands under its field
    expect(formBanner({ ...none, serverErrors: true }, t, te)).toBe('work.form.fixErrors');
    expect(
      formBanner({ ...none, serverErrors: true, unplaced: [apiError({ code: 'FORBIDDEN' }), apiError({ message: 'Version is stale' })] }, t, te),
    ).toBe('dealsCommon.forbidden; Version is stale');
    expect(formBanner({ ...none, failure: 'dealsCommon.networkError', serverErrors: true, clientErrors: true }, t, te)).toBe('dealsCommon.networkError');
  });
});

describe("a deal's data form", () => {
  it("places an API error under the deal's own field the page shows, or under the form's field, else in the banner", () => {
    const onCreate = dealBasicsFields(true);
    const onPage = dealBasicsFields(false);
    const formKeys = ['budget', 'source'];
    expect(dealFieldOf('input.counterpartyId', onCreate, formKeys)).toBe('counterpartyId');
    // the deal page does not show the counterparty as a field
    expect(dealFieldOf('input.counterpartyId', onPage, formKeys)).toBeNull();
    // the currency stands under the amount
    expect(dealFieldOf('input.currency', onPage, formKeys)).toBe('amountMinor');
    expect(dealFieldOf('input.formData.budget.minor', onPage, formKeys)).toBe('formData.budget');
    expect(dealFieldOf('/formData/source', onPage, formKeys)).toBe('formData.source');
    // a key the form does not have, and a field no page shows
    expect(dealFieldOf('input.formData.gone', onPage, formKeys)).toBeNull();
    expect(dealFieldOf('input.version', onPage, formKeys)).toBeNull();
  });

  it('keeps an error against the value at its path: the amount with its currency, a form field by its key', () => {
    const draft = { ...emptyBasics({ templateId: 't', counterpartyId: 'c', ownerId: null, ownerName: '' }), title: 'Поставка', amount: '1 500,00' };
    const values = dealFormValues(draft, { budget: { minor: 150000, currency: 'RUB' }, note: undefined as unknown as string });
    expect(values.amountMinor).toEqual({ amount: '1 500,00', currency: 'RUB' });
    expect(values.formData).toEqual({ budget: { minor: 150000, currency: 'RUB' } });
    expect(dealFormValues({ ...draft, currency: 'USD' }, {}).amountMinor).not.toEqual(values.amountMinor);
  });
});

describe('the list filters kept in the URL', () => {
  it('read and write an id or a key as it is, none when absent', () => {
    const param = urlParam.string();
    expect(param.parse(null)).toBeNull();
    expect(param.parse('')).toBeNull();
    expect(param.parse('7d0c1a2b')).toBe('7d0c1a2b');
    expect(param.format(null)).toBeNull();
    expect(param.format('negotiation')).toBe('negotiation');
  });

  it('keep a sort column in lower case and read it either way', () => {
    const sort = urlParam.oneOf(['TITLE', 'EXPECTED_CLOSE'] as const, { lower: true });
    expect(sort.format('EXPECTED_CLOSE')).toBe('expected_close');
    expect(sort.parse('expected_close')).toBe('EXPECTED_CLOSE');
    expect(sort.parse('EXPECTED_CLOSE')).toBe('EXPECTED_CLOSE');
    expect(sort.parse('amount')).toBeNull();
  });
});
