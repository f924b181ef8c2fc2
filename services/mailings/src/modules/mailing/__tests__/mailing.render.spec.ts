import { assertKnownPlaceholders, compileMailing, personalise, renderMailingFor, sanitizeMjml, unknownPlaceholders } from '../mailing.render';

const values = { contactName: 'Анна <b>Ли</b>', companyName: 'ООО "Ромашка" & Co', companyShortName: null, managerName: 'Пётр', unsubscribeUrl: 'https://crm.example/rest/mailings/unsubscribe/tok' };

const HOSTILE = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hello <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><a href="javascript:alert(1)">x</a>
  <a href=" JaVaScRiPt:alert(1)">y</a><iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name=a></form>
  <span style="background:url(javascript:alert(1))">s</span><svg onload="alert(1)"><script>alert(2)</script></svg></mj-text>
  <mj-raw><script>alert(3)</script></mj-raw>
  <mj-button href="javascript:alert(4)" onclick="alert(5)">Go</mj-button>
  <mj-image src="data:text/html;base64,PHNjcmlwdD4=" />
  <mj-include path="/etc/passwd" />
</mj-column></mj-section></mj-body></mjml>`;

function assertClean(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/javascript:/i);
  expect(html).not.toMatch(/<iframe|<form|<input|<svg|<object|<embed/i);
  expect(html).not.toMatch(/data:text\/html/i);
  expect(html).not.toMatch(/root:/);
  expect(html).not.toMatch(/__pwned|alert\(/);
}

describe('mailing template rendering', () => {
  it('renders MJML to responsive HTML and a text alternative, personalised with escaped values', () => {
    const { html, text, subject, warnings } = renderMailingFor(
      { subject: 'Offer for {{company.shortName}}', bodyMjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Dear {{contact.name}}, from {{manager.name}}</mj-text><mj-button href="{{unsubscribeUrl}}">Unsubscribe</mj-button></mj-column></mj-section></mj-body></mjml>' },
      values,
    );
    expect(warnings).toEqual([]);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('@media only screen');
    expect(html).toContain('Dear Анна &lt;b&gt;Ли&lt;/b&gt;, from Пётр');
    expect(html).toContain('href="https://crm.example/rest/mailings/unsubscribe/tok"');
    expect(html).not.toContain('fonts.googleapis.com');
    expect(text).toContain('Dear Анна <b>Ли</b>, from Пётр');
    expect(text).toContain('https://crm.example/rest/mailings/unsubscribe/tok');
    expect(subject).toBe('Offer for ООО "Ромашка" & Co');
  });

  it('never lets script, event handlers, javascript: URLs, iframes, forms or includes survive, on save or on render', () => {
    const saved = sanitizeMjml(HOSTILE);
    assertClean(saved);
    expect(saved).toContain('<mj-button');
    const { html, text } = personalise(compileMailing({ subject: 's', bodyMjml: HOSTILE }), values);
    assertClean(html);
    expect(text).not.toMatch(/alert|__pwned/);
    // the same when the stored source was never sanitized (render is the second line of defence)
    assertClean(compileMailing({ subject: 's', bodyMjml: '<mj-text><a href="javascript:x()" onmouseover="x()">a</a><script>x()</script></mj-text>' }).html);
  });

  it('keeps the subject on one line (no header injection)', () => {
    const { subject } = personalise(compileMailing({ subject: 'Hi {{contact.name}}\r\nBcc: x@evil.example', bodyMjml: '<mj-text>x</mj-text>' }), { ...values, contactName: 'A\r\nB' });
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('knows its placeholders and refuses others on the field they are in', () => {
    expect(unknownPlaceholders('{{contact.name}} {{ company.name }} {{unsubscribeUrl}}')).toEqual([]);
    expect(unknownPlaceholders('{{contact.email}} {{}}')).toEqual(['contact.email', '(empty)']);
    expect(() => assertKnownPlaceholders({ subject: 'ok {{manager.name}}', bodyMjml: '<mj-text>{{deal.amount}}</mj-text>' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'bodyMjml' }) }),
    );
    expect(() => assertKnownPlaceholders({ subject: '{{x}}' })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ field: 'subject' }) }));
  });

  it('reports invalid MJML as warnings instead of failing', () => {
    const { warnings, html } = compileMailing({ subject: 's', bodyMjml: '<mjml><mj-body><mj-section><mj-text>not in a column</mj-text></mj-section></mj-body></mjml>' });
    expect(warnings.length).toBeGreaterThan(0);
    expect(html).toMatch(/<html/i);
  });
});
