import { budgetBar } from '../../../frontends/deals/src/work/projects/budget';

/** The project page's budget bar (frontends/deals/src/work/projects/budget.ts): shares of the budget and the over-budget state. */
describe('budgetBar', () => {
  it('shows contracted and paid as shares of the budget', () => {
    expect(budgetBar(1_000_000_00, 250_000_00, 100_000_00)).toEqual({ contractedPercent: 25, paidPercent: 10, overBudget: false, overMinor: 0 });
    expect(budgetBar(3_00, 1_00, 0)).toEqual({ contractedPercent: 33.3, paidPercent: 0, overBudget: false, overMinor: 0 });
  });

  it('is over budget when more is contracted (or paid) than budgeted, the bar capped at its end', () => {
    expect(budgetBar(1_200_000_00, 1_500_000_00, 500_000_00)).toEqual({ contractedPercent: 100, paidPercent: 41.7, overBudget: true, overMinor: 300_000_00 });
    expect(budgetBar(100_00, 0, 120_00)).toEqual({ contractedPercent: 0, paidPercent: 100, overBudget: true, overMinor: 20_00 });
    expect(budgetBar(100_00, 100_00, 100_00)).toMatchObject({ contractedPercent: 100, overBudget: false });
  });

  it('has nothing to compare with without a budget', () => {
    expect(budgetBar(null, 100_00, 0)).toBeNull();
    expect(budgetBar(0, 100_00, 0)).toBeNull();
  });
});
