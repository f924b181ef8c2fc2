import { workCountsLabel } from '../../../frontends/root-config/src/i18n';
import { totalOf, workCountsOf } from '../../../frontends/root-config/src/work-counts';

/** The "My tasks" badge of the navigation: what it reads from the one request, and the words it says. */

describe('the navigation work counts', () => {
  it('adds approvals, acknowledgements, general tasks and deal actions', () => {
    const counts = workCountsOf({
      myApprovalTasks: { totalCount: 2 },
      myAcknowledgementTasks: { totalCount: 1 },
      myWorkCounts: { openTasks: 2, dealActions: 0 },
    });
    expect(counts).toEqual({ approvals: 2, acknowledgements: 1, tasks: 2, dealActions: 0 });
    expect(totalOf(counts)).toBe(5);
    expect(workCountsLabel(counts, 'ru')).toBe('5 ждут: 2 согласования, 1 ознакомление, 2 задачи');
    expect(workCountsLabel(counts, 'en')).toBe('5 waiting: 2 approvals, 1 acknowledgement, 2 tasks');
  });

  it('says the Russian plural forms', () => {
    const only = (approvals: number, dealActions = 0) => ({ approvals, acknowledgements: 0, tasks: 0, dealActions });
    expect(workCountsLabel(only(1), 'ru')).toBe('1 ждёт: 1 согласование');
    expect(workCountsLabel(only(5), 'ru')).toBe('5 ждут: 5 согласований');
    expect(workCountsLabel(only(21), 'ru')).toBe('21 ждёт: 21 согласование');
    expect(workCountsLabel(only(0, 3), 'ru')).toBe('3 ждут: 3 действия по сделкам');
    expect(workCountsLabel(only(0, 1), 'en')).toBe('1 waiting: 1 deal action');
  });

  it('shows what came back when a subgraph failed (partial data), and says so', () => {
    // the deals subgraph failed: its field is null, the documents part arrived
    const counts = workCountsOf({ myApprovalTasks: { totalCount: 3 }, myAcknowledgementTasks: { totalCount: 0 }, myWorkCounts: null });
    expect(counts).toEqual({ approvals: 3, acknowledgements: 0, tasks: null, dealActions: null });
    expect(totalOf(counts)).toBe(3);
    expect(workCountsLabel(counts, 'ru')).toBe('3 ждут: 3 согласования (часть счётчиков недоступна)');
    expect(workCountsLabel(counts, 'en')).toBe('3 waiting: 3 approvals (some counts are unavailable)');
    // nothing at all (the gateway answered with errors only)
    expect(workCountsOf(null)).toEqual({ approvals: null, acknowledgements: null, tasks: null, dealActions: null });
    expect(workCountsOf(undefined)).toEqual({ approvals: null, acknowledgements: null, tasks: null, dealActions: null });
  });
});
