import { UserInputError } from '@kartoteka/kit';
import { convert } from 'html-to-text';
import mjml2html from 'mjml';
import sanitizeHtml from 'sanitize-html';

/**
 * The mailing template: MJML → responsive HTML → a plain-text alternative, sanitized on save and again on render,
 * then personalised per recipient. Rendering MJML costs tens of milliseconds, so it happens once per mailing
 * ({@link compileMailing}); personalising a compiled template is string replacement ({@link personalise}) — what
 * the sending worker does per message.
 */

/** Placeholders a template may use, and nothing else (an unknown one is refused on save). */
export const MAILING_PLACEHOLDERS = ['contact.name', 'company.name', 'company.shortName', 'manager.name', 'unsubscribeUrl'] as const;
export type MailingPlaceholder = (typeof MAILING_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The values of one recipient's placeholders. `unsubscribeUrl` is the signed link of that recipient. */
export type PersonalisationValues = {
  contactName: string | null;
  companyName: string;
  companyShortName: string | null;
  managerName: string | null;
  unsubscribeUrl: string;
};

/** What mjml 4 returns. */
type MjmlResult = { html: string; errors?: { formattedMessage?: string; message: string }[] };

/** A sanitized template with its placeholders still in place. */
export type CompiledMailing = { subject: string; html: string; text: string; warnings: string[] };

/** One recipient's message. */
export type PersonalisedMailing = { subject: string; html: string; text: string };

/** MJML's own elements a template may use. `mj-raw`, `mj-style` and `mj-include` (raw HTML, CSS, files from the server's disk) are not among them. */
const MJML_TAGS = [
  'mjml', 'mj-head', 'mj-body', 'mj-attributes', 'mj-all', 'mj-class', 'mj-title', 'mj-preview', 'mj-breakpoint', 'mj-font',
  'mj-section', 'mj-column', 'mj-group', 'mj-wrapper', 'mj-hero', 'mj-text', 'mj-image', 'mj-button', 'mj-divider', 'mj-spacer',
  'mj-table', 'mj-social', 'mj-social-element', 'mj-navbar', 'mj-navbar-link', 'mj-accordion', 'mj-accordion-element',
  'mj-accordion-title', 'mj-accordion-text', 'mj-carousel', 'mj-carousel-image',
  // every MJML element name also used as an attribute-style element inside mj-attributes
  'mj-html-attributes', 'mj-html-attribute', 'mj-selector',
];

/** HTML allowed inside `mj-text` / `mj-table` and in the rendered document. No script, iframe, form, object, embed, link or base. */
const HTML_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'center', 'code', 'div', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img',
  'li', 'ol', 'p', 'pre', 's', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
];

/** The rendered document's frame (MJML writes it; a template's source may not contain it). */
const DOCUMENT_TAGS = ['html', 'head', 'body', 'meta', 'title', 'style'];

const URL_SCHEMES = ['http', 'https', 'mailto', 'tel'];

/** An attribute that runs code or loads something the allow-list does not govern. */
function dangerousAttribute(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('on')) return true;
  if (['srcdoc', 'formaction', 'action', 'xlink:href'].includes(lower)) return true;
  const compact = value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
  if (/^(javascript|vbscript|data):/.test(compact) && lower !== 'alt' && lower !== 'title') return true;
  // CSS that runs code or loads from anywhere but http(s) (MJML's background images are https URLs)
  if (lower === 'style' && (/(expression\(|javascript:|vbscript:|behavior:|-moz-binding|@import)/i.test(compact) || /url\((?!['"]?https?:)/i.test(compact))) return true;
  return false;
}

/** Attributes without code: every one except event handlers and code-carrying URLs (MJML has too many layout attributes to list). */
function withoutDangerousAttributes(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const kept: sanitizeHtml.Attributes = {};
  for (const [name, value] of Object.entries(attribs)) if (!dangerousAttribute(name, value)) kept[name] = value;
  return { tagName, attribs: kept };
}

const SOURCE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...MJML_TAGS, ...HTML_TAGS],
  allowedAttributes: false,
  allowedSchemes: URL_SCHEMES,
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'background'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'mj-style', 'mj-raw', 'iframe', 'object', 'embed', 'template', 'svg', 'math'],
  transformTags: { '*': withoutDangerousAttributes },
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
};

const RENDERED_OPTIONS: sanitizeHtml.IOptions = {
  ...SOURCE_OPTIONS,
  allowedTags: [...DOCUMENT_TAGS, ...HTML_TAGS],
  // MJML's own <style> blocks (media queries make the layout responsive); a template cannot bring its own (mj-style is removed on save)
  allowVulnerableTags: true,
  nonTextTags: ['script', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math'],
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
};

/** The MJML source without anything that could run or load code; what is stored. */
export function sanitizeMjml(source: string): string {
  return sanitizeHtml(source, SOURCE_OPTIONS);
}

/** A rendered document without anything that could run code (the second line of defence, on every render). */
export function sanitizeRenderedHtml(html: string): string {
  const body = sanitizeHtml(html, RENDERED_OPTIONS);
  return body.startsWith('<!doctype') ? body : `<!doctype html>\n${body}`;
}

/** The placeholders of `text` that are not among {@link MAILING_PLACEHOLDERS}. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) if (!(MAILING_PLACEHOLDERS as readonly string[]).includes(match[1])) unknown.add(match[1] || '(empty)');
  return [...unknown];
}

/** Refuses (BAD_USER_INPUT on the field) a subject or body with a placeholder no recipient has a value for. */
export function assertKnownPlaceholders(values: { subject?: string; bodyMjml?: string }): void {
  for (const field of ['subject', 'bodyMjml'] as const) {
    const text = values[field];
    if (text === undefined) continue;
    const unknown = unknownPlaceholders(text);
    if (unknown.length) {
      throw new UserInputError(field, `Unknown placeholder ${unknown.map((name) => `{{${name}}}`).join(', ')}: use ${MAILING_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ')}`, { reason: 'mailing.placeholder.unknown' });
    }
  }
}

/**
 * Renders a (sanitized) MJML template to sanitized HTML and its text alternative, placeholders kept. Invalid MJML
 * still renders (validation "soft"); its problems come back as `warnings`. No include is read from disk.
 */
export function compileMailing(input: { subject: string; bodyMjml: string }): CompiledMailing {
  const source = sanitizeMjml(input.bodyMjml);
  const wrapped = /<mjml[\s>]/i.test(source) ? source : `<mjml><mj-body>${source}</mj-body></mjml>`;
  let html: string;
  const warnings: string[] = [];
  try {
    // mjml 4 renders synchronously (its published types describe mjml 5's promise)
    const result = mjml2html(wrapped, { validationLevel: 'soft', ignoreIncludes: true, keepComments: false, fonts: {}, minify: false }) as unknown as MjmlResult;
    html = result.html;
    for (const error of result.errors ?? []) warnings.push(error.formattedMessage ?? error.message);
  } catch (error) {
    // malformed beyond what "soft" tolerates: show the problem instead of a message
    warnings.push(error instanceof Error ? error.message : String(error));
    html = '<!doctype html><html><body></body></html>';
  }
  const safe = sanitizeRenderedHtml(html);
  const text = convert(safe, { wordwrap: 100, selectors: [{ selector: 'img', format: 'skip' }, { selector: 'a', options: { hideLinkHrefIfSameAsText: true } }] });
  return { subject: singleLine(input.subject), html: safe, text, warnings };
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A header-safe line: no CR/LF (header injection), no control characters. */
function singleLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function valueOf(name: string, values: PersonalisationValues): string {
  switch (name as MailingPlaceholder) {
    case 'contact.name':
      return values.contactName ?? '';
    case 'company.name':
      return values.companyName;
    case 'company.shortName':
      return values.companyShortName ?? values.companyName;
    case 'manager.name':
      return values.managerName ?? '';
    case 'unsubscribeUrl':
      return values.unsubscribeUrl;
    default:
      return '';
  }
}

/** One recipient's message from a compiled template: values HTML-escaped in the HTML, plain in the text and subject. */
export function personalise(compiled: CompiledMailing, values: PersonalisationValues): PersonalisedMailing {
  return {
    subject: singleLine(compiled.subject.replace(PLACEHOLDER, (_, name: string) => singleLine(valueOf(name, values)))),
    html: compiled.html.replace(PLACEHOLDER, (_, name: string) => escapeHtml(valueOf(name, values))),
    text: compiled.text.replace(PLACEHOLDER, (_, name: string) => valueOf(name, values)),
  };
}

/** Compile and personalise in one step (a preview; the worker compiles once per mailing and personalises per recipient). */
export function renderMailingFor(input: { subject: string; bodyMjml: string }, values: PersonalisationValues): PersonalisedMailing & { warnings: string[] } {
  const compiled = compileMailing(input);
  return { ...personalise(compiled, values), warnings: compiled.warnings };
}
