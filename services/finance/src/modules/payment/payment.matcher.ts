/**
 * Matching a bank-statement payment to a counterparty and to one of its open invoices — pure (the directory is
 * whatever the caller read from the database), so every rule is unit-tested.
 *
 * Counterparty: the other side of the payment (the payer of an INCOMING payment, the payee of an OUTGOING one) by
 * INN; several counterparties with that INN (branches, a re-registered company) are narrowed by KPP, then by a
 * bank account already seen paying for one of them; still several → AMBIGUOUS (the review queue decides), none →
 * UNMATCHED.
 * Invoice: the invoice numbers written in the purpose («по счёту № А-15/2026 от …») against the counterparty's open
 * invoices; the amount confirms one; with no number, an open invoice whose outstanding amount is exactly the
 * payment's is a weaker guess. Two equally good invoices are never picked at random: the payment stays matched to
 * the counterparty only, with `invoice.ambiguous`.
 *
 * Contract: a payment matched to the counterparty but to no invoice is attributed to one of the counterparty's signed
 * contracts when the purpose names its number («по договору № 7/26-П от 10.01.2026», «по дог. 41/26») — only a
 * contract of the payment's direction (RECEIVABLE: INCOMING, PAYABLE: OUTGOING), and only when one contract fits
 * (several with that number: the date written in the purpose decides, else `contract.ambiguous` and no contract).
 * It does not change the confidence (the counterparty is what was established). A payment matched to an invoice
 * keeps its invoice's contract.
 *
 * Reasons are short codes the portal translates: inn, kpp, account, invoice.number, invoice.amount,
 * invoice.date, invoice.ambiguous, contract.number, contract.ambiguous, inn.missing, inn.unknown, kpp.mismatch,
 * candidate:<counterpartyId>.
 */

export type CounterpartyCandidate = { id: string; inn: string; kpp: string | null; accounts: readonly string[] };
export type OpenInvoice = {
  documentId: string;
  counterpartyId: string;
  contractId: string | null;
  number: string;
  date: string | null;
  amountMinor: number;
  outstandingMinor: number;
};
export type MatchInput = {
  direction: 'INCOMING' | 'OUTGOING';
  /** The counterparty side's requisites: the payer of an INCOMING payment, the payee of an OUTGOING one. */
  inn: string | null;
  kpp: string | null;
  account: string | null;
  purpose: string;
  amountMinor: number;
  date: string;
};
/** A signed (verified) contract of a counterparty; `direction` as its terms say (RECEIVABLE when none were entered). */
export type SignedContract = { contractId: string; counterpartyId: string; number: string; date: string | null; direction: 'RECEIVABLE' | 'PAYABLE' };
export type MatchDirectory = {
  counterpartiesByInn(inn: string): readonly CounterpartyCandidate[];
  openInvoicesOf(counterpartyId: string): readonly OpenInvoice[];
  signedContractsOf(counterpartyId: string): readonly SignedContract[];
};
export type PaymentMatch = {
  status: 'MATCHED' | 'AMBIGUOUS' | 'UNMATCHED';
  counterpartyId: string | null;
  invoiceId: string | null;
  contractId: string | null;
  confidence: number;
  reasons: string[];
};

/** Confidence of each kind of match (see the module comment). */
export const MATCH_CONFIDENCE = {
  invoiceNumberAndAmount: 1,
  invoiceNumber: 0.8,
  invoiceAmountOnly: 0.7,
  counterpartyByInnAndMore: 0.6,
  counterpartyByInn: 0.5,
  /** Subtracted from the counterparty-level confidence when several invoices fit equally well. */
  ambiguousInvoicePenalty: 0.1,
} as const;

/* Cyrillic letters that look like Latin ones: "А-15" typed in either alphabet is the same number. */
const HOMOGLYPHS: Record<string, string> = { А: 'A', В: 'B', Е: 'E', Ё: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X' };

/** How invoice numbers are compared: no spaces, upper case, Cyrillic look-alikes as Latin letters. */
export function normalizeInvoiceNumber(number: string): string {
  return number
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/[АВЕЁКМНОРСТУХ]/g, (letter) => HOMOGLYPHS[letter]);
}

/*
 * «счёт/счет» in any case form (счета, счету, счетом, счетам…, счёт-оферта), «сч.», «инвойс», «invoice», never «счёт-фактура»
 * (a tax document with its own numbering) nor words that merely start with «сч» (счётчик).
 */
const KEYWORD = String.raw`(?:сч[её]т(?:ам|ами|ах|ов|ом|а|у|е)?(?:-оферт\p{L}*)?|сч\.?|инвойс(?:ам|ами|ах|ов|ом|а|у|е|ы)?|invoice|inv\.?)(?![\p{L}\d])(?!\s*-\s*фактур)`;
const SIGN = String.raw`(?:№|#|No\.?(?=\s|\d)|N(?=\s|\d))`;
const TOKEN = String.raw`[\p{L}\d][\p{L}\d\-/_.]*`;
const REFERENCE = new RegExp(String.raw`(?<![\p{L}\d])${KEYWORD}\s*(?:${SIGN}\s*)?(${TOKEN}(?:\s*(?:,|;|\sи\s)\s*(?:${SIGN}\s*)?${TOKEN})*)`, 'giu');
const LIST_SEPARATOR = new RegExp(String.raw`\s*(?:,|;|\sи\s)\s*(?:${SIGN}\s*)?`, 'u');

/**
 * The invoice numbers a payment purpose refers to, as written (trimmed of trailing punctuation), without
 * duplicates: «Оплата по счёту № А-15/2026 от 01.02.2026» → ['А-15/2026']; «по счетам №12, 13 и 14» → ['12','13','14'].
 * A number must contain a digit (so «по счету от …» yields nothing); a date after «от» is not a number.
 */
export function invoiceNumbersIn(purpose: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const match of purpose.matchAll(REFERENCE)) {
    for (const raw of match[1].split(LIST_SEPARATOR)) {
      const number = raw.replace(/[.\-/_]+$/u, '');
      /* a number has a digit; a date or a 20-digit bank account («на расчётный счёт 40702…») is not one */
      if (!isDocumentNumber(number)) continue;
      const key = normalizeInvoiceNumber(number);
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(number);
    }
  }
  return found;
}

/*
 * «договор» in any case form, «дог.», «д-р», «(гос)контракт», «contract», «agreement»; never «договорённость».
 * Up to three words may stand between the keyword and the number when a number sign follows them
 * («по договору поставки № 12»); without a sign the number must follow the keyword.
 */
const CONTRACT_KEYWORD = String.raw`(?:договор(?:ам|ами|ах|ов|ом|а|у|е|ы)?|дог|д-р(?:ам|ами|ах|ов|ом|а|у|е|ы)?|(?:гос)?контракт(?:ам|ами|ах|ов|ом|а|у|е|ы)?|contract|agreement)(?!\p{L})\.?`;
const CONTRACT_REFERENCE = new RegExp(
  String.raw`(?<![\p{L}\d])${CONTRACT_KEYWORD}(?:(?:\s+\p{L}[\p{L}\-]*\.?){1,3}\s*${SIGN}\s*|\s*(?:${SIGN}\s*)?)(${TOKEN}(?:\s*(?:,|;|\sи\s)\s*(?:${SIGN}\s*)?${TOKEN})*)`,
  'giu',
);

/** Whether a reference token is a document number: it has a digit and is neither a date nor a 20-digit bank account. */
const isDocumentNumber = (number: string): boolean => /\d/.test(number) && !/^\d{2}\.\d{2}\.\d{2,4}$/.test(number) && !/^\d{20}$/.test(number);

/**
 * The contract numbers a payment purpose refers to, as written, without duplicates:
 * «Оплата по договору № 7/26-П от 10.01.2026» → ['7/26-П']; «по дог. 41/26» → ['41/26'];
 * «по договору поставки №12 и №13» → ['12', '13']. Invoice numbers («по счёту № 15») are not contract numbers.
 */
export function contractNumbersIn(purpose: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const match of purpose.matchAll(CONTRACT_REFERENCE)) {
    for (const raw of match[1].split(LIST_SEPARATOR)) {
      const number = raw.replace(/[.\-/_]+$/u, '');
      if (!isDocumentNumber(number)) continue;
      const key = normalizeInvoiceNumber(number);
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(number);
    }
  }
  return found;
}

const round = (value: number): number => Math.round(value * 100) / 100;

const amountFits = (invoice: OpenInvoice, amountMinor: number): boolean => invoice.outstandingMinor === amountMinor || invoice.amountMinor === amountMinor;

/** DD.MM.YYYY of an invoice date, as a purpose would write it. */
const writtenDate = (date: string | null): string | null => (date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}` : null);

type Counterparty = { candidate: CounterpartyCandidate; reasons: string[]; confidence: number };

const findCounterparty = (input: MatchInput, directory: MatchDirectory): PaymentMatch | Counterparty => {
  const unmatched = (reason: string): PaymentMatch => ({ status: 'UNMATCHED', counterpartyId: null, invoiceId: null, contractId: null, confidence: 0, reasons: [reason] });
  if (!input.inn) return unmatched('inn.missing');
  const all = directory.counterpartiesByInn(input.inn);
  if (all.length === 0) return unmatched('inn.unknown');

  const reasons = ['inn'];
  let candidates = all;
  if (input.kpp) {
    const byKpp = candidates.filter((candidate) => candidate.kpp === input.kpp);
    if (byKpp.length > 0) {
      candidates = byKpp;
      reasons.push('kpp');
    } else if (candidates.every((candidate) => candidate.kpp !== null)) {
      reasons.push('kpp.mismatch');
    }
  }
  if (input.account) {
    const account = input.account;
    const byAccount = candidates.filter((candidate) => candidate.accounts.includes(account));
    if (byAccount.length > 0) {
      candidates = byAccount;
      reasons.push('account');
    }
  }
  if (candidates.length > 1) {
    return {
      status: 'AMBIGUOUS',
      counterpartyId: null,
      invoiceId: null,
      contractId: null,
      confidence: 0,
      reasons: [...reasons, ...candidates.map((candidate) => `candidate:${candidate.id}`)],
    };
  }
  const confirmed = reasons.includes('kpp') || reasons.includes('account');
  return { candidate: candidates[0], reasons, confidence: confirmed ? MATCH_CONFIDENCE.counterpartyByInnAndMore : MATCH_CONFIDENCE.counterpartyByInn };
};

/** Several invoices with one number (a yearly numbering): the amount, then the date written in the purpose decide. */
const narrow = (invoices: readonly OpenInvoice[], input: MatchInput, reasons: string[]): readonly OpenInvoice[] => {
  let remaining = invoices;
  const byAmount = remaining.filter((invoice) => amountFits(invoice, input.amountMinor));
  if (byAmount.length > 0) remaining = byAmount;
  if (remaining.length > 1) {
    const byDate = remaining.filter((invoice) => {
      const written = writtenDate(invoice.date);
      return written !== null && input.purpose.includes(written);
    });
    if (byDate.length > 0 && byDate.length < remaining.length) {
      remaining = byDate;
      reasons.push('invoice.date');
    }
  }
  return remaining;
};

/** The counterparty's contract of the payment's direction the purpose names, if exactly one fits. */
const namedContract = (input: MatchInput, counterpartyId: string, directory: MatchDirectory): { contractId: string | null; reasons: string[] } => {
  const numbers = new Set(contractNumbersIn(input.purpose).map(normalizeInvoiceNumber));
  if (numbers.size === 0) return { contractId: null, reasons: [] };
  const contracts = directory.signedContractsOf(counterpartyId);
  const wanted = input.direction === 'INCOMING' ? 'RECEIVABLE' : 'PAYABLE';
  let named = contracts.filter((contract) => contract.direction === wanted && contract.number && numbers.has(normalizeInvoiceNumber(contract.number)));
  if (named.length > 1) {
    const byDate = named.filter((contract) => {
      const written = writtenDate(contract.date);
      return written !== null && input.purpose.includes(written);
    });
    if (byDate.length > 0) named = byDate;
  }
  if (named.length === 0) return { contractId: null, reasons: [] };
  if (new Set(named.map((contract) => contract.contractId)).size > 1) return { contractId: null, reasons: ['contract.ambiguous'] };
  return { contractId: named[0].contractId, reasons: ['contract.number'] };
};

/** Matches one payment; see the module comment for the rules and the confidence of each. */
export function matchPayment(input: MatchInput, directory: MatchDirectory): PaymentMatch {
  const found = findCounterparty(input, directory);
  if ('status' in found) return found;
  const { candidate, reasons, confidence } = found;
  const counterpartyOnly = (extra: string[] = [], penalty = 0): PaymentMatch => {
    const contract = namedContract(input, candidate.id, directory);
    return {
      status: 'MATCHED',
      counterpartyId: candidate.id,
      invoiceId: null,
      contractId: contract.contractId,
      confidence: round(confidence - penalty),
      reasons: [...reasons, ...extra, ...contract.reasons],
    };
  };
  const invoiceMatch = (invoice: OpenInvoice, value: number, extra: string[]): PaymentMatch => ({
    status: 'MATCHED',
    counterpartyId: candidate.id,
    invoiceId: invoice.documentId,
    contractId: invoice.contractId,
    confidence: value,
    reasons: [...reasons, ...extra],
  });

  const invoices = directory.openInvoicesOf(candidate.id);
  if (invoices.length === 0) return counterpartyOnly();

  const numbers = new Set(invoiceNumbersIn(input.purpose).map(normalizeInvoiceNumber));
  const byNumber = invoices.filter((invoice) => numbers.has(normalizeInvoiceNumber(invoice.number)));
  if (byNumber.length > 0) {
    const extra: string[] = [];
    const remaining = narrow(byNumber, input, extra);
    if (remaining.length > 1) return counterpartyOnly(['invoice.number', ...extra, 'invoice.ambiguous'], MATCH_CONFIDENCE.ambiguousInvoicePenalty);
    const invoice = remaining[0];
    return amountFits(invoice, input.amountMinor)
      ? invoiceMatch(invoice, MATCH_CONFIDENCE.invoiceNumberAndAmount, ['invoice.number', 'invoice.amount', ...extra])
      : invoiceMatch(invoice, MATCH_CONFIDENCE.invoiceNumber, ['invoice.number', ...extra]);
  }

  const byOutstanding = invoices.filter((invoice) => invoice.outstandingMinor === input.amountMinor);
  if (byOutstanding.length === 1) return invoiceMatch(byOutstanding[0], MATCH_CONFIDENCE.invoiceAmountOnly, ['invoice.amount']);
  if (byOutstanding.length > 1) return counterpartyOnly(['invoice.amount', 'invoice.ambiguous'], MATCH_CONFIDENCE.ambiguousInvoicePenalty);
  return counterpartyOnly();
}
