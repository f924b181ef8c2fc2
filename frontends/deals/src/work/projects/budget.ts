/**
 * The budget bar of a project (pure, for the page and its spec): the budget is the whole bar; contracted and paid
 * are shares of it, capped at the bar's end; over budget when more is contracted (or paid) than budgeted.
 */
export type BudgetBar = {
  /** 0–100: contracted as a share of the budget (capped). */
  contractedPercent: number;
  /** 0–100: paid as a share of the budget (capped, never beyond contracted on the bar). */
  paidPercent: number;
  overBudget: boolean;
  /** How much more was contracted than budgeted (0 when within it). */
  overMinor: number;
};

export function budgetBar(budgetMinor: number | null, contractedMinor: number, paidMinor: number): BudgetBar | null {
  if (budgetMinor === null || budgetMinor <= 0) return null;
  const share = (minor: number) => Math.min(100, Math.round((minor / budgetMinor) * 1000) / 10);
  const spent = Math.max(contractedMinor, paidMinor);
  return { contractedPercent: share(contractedMinor), paidPercent: share(paidMinor), overBudget: spent > budgetMinor, overMinor: Math.max(0, spent - budgetMinor) };
}
