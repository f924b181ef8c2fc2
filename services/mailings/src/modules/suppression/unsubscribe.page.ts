import { createHash } from 'node:crypto';

/**
 * The public unsubscribe page: small, self-contained HTML in Russian and English, no script, no external resource,
 * served with a strict Content-Security-Policy (only its own inline style, identified by hash; forms may post only
 * back to this address; no framing). A link scanner that follows the link (GET) only sees the page: unsubscribing
 * takes the button, a form POST — or a mail client's RFC 8058 one-click POST.
 */
export type UnsubscribePageState = 'confirm' | 'done' | 'already' | 'invalid' | 'unavailable';

const STYLE = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328;background:#f6f7f9}
main{box-sizing:border-box;max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.3rem;margin:0 0 .75rem}p{margin:.5rem 0}.en{color:#57606a;border-top:1px solid #d0d7de;margin-top:1.25rem;padding-top:1rem}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#0b57d0;color:#fff;cursor:pointer;min-height:44px}
button:focus-visible{outline:3px solid #f9a825;outline-offset:2px}@media (max-width:420px){main{margin:0;border-radius:0;min-height:100vh}}`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/** Nothing may load or run; the form may only post back here. */
export const UNSUBSCRIBE_PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

const TEXT: Record<UnsubscribePageState, { ru: [string, string]; en: [string, string] }> = {
  confirm: {
    ru: ['Отписаться от рассылок?', 'Адрес {email} больше не будет получать наши рассылки. Подтвердите кнопкой ниже.'],
    en: ['Unsubscribe from mailings?', 'The address {email} will receive no more of our mailings. Confirm with the button below.'],
  },
  done: {
    ru: ['Вы отписаны', 'Адрес {email} больше не будет получать наши рассылки.'],
    en: ['You are unsubscribed', 'The address {email} will receive no more of our mailings.'],
  },
  already: {
    ru: ['Вы уже отписаны', 'Адрес {email} уже не получает наши рассылки. Ничего делать не нужно.'],
    en: ['You are already unsubscribed', 'The address {email} already receives none of our mailings. Nothing more to do.'],
  },
  invalid: {
    ru: ['Ссылка недействительна', 'Эта ссылка для отписки повреждена. Откройте её из письма ещё раз целиком.'],
    en: ['The link is not valid', 'This unsubscribe link is damaged. Open it again, whole, from the message.'],
  },
  unavailable: {
    ru: ['Сервис временно недоступен', 'Не удалось выполнить отписку. Попробуйте ещё раз через несколько минут.'],
    en: ['Temporarily unavailable', 'We could not unsubscribe you just now. Please try again in a few minutes.'],
  },
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** `ivan.petrov@example.com` → `i***v@example.com`: enough to recognise one's address, not to harvest it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  return `${local[0]}***${local.length > 2 ? local[local.length - 1] : ''}${email.slice(at)}`;
}

export function renderUnsubscribePage(state: UnsubscribePageState, email: string | null): string {
  const shown = email ? maskEmail(email) : '';
  const fill = (text: string) => escapeHtml(text).replace('{email}', `<strong>${escapeHtml(shown)}</strong>`);
  const { ru, en } = TEXT[state];
  const form =
    state === 'confirm'
      ? `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" data-testid="unsubscribe-confirm">Отписаться · Unsubscribe</button></form>`
      : '';
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(ru[0])} · ${escapeHtml(en[0])}</title><style>${STYLE}</style></head>
<body><main data-testid="unsubscribe-page" data-state="${state}">
<h1>${escapeHtml(ru[0])}</h1><p>${fill(ru[1])}</p>
${form}
<section class="en" lang="en"><p><strong>${escapeHtml(en[0])}.</strong> ${fill(en[1])}</p></section>
</main></body></html>
`;
}
