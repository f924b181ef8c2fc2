/**
 * The placeholders the mailings service personalizes (subject and body), listed under the editor for
 * click-to-insert. Their labels live in the i18n files (`editor.placeholders.<key>`).
 */
export const PLACEHOLDERS = [
  { key: 'contactName', token: '{{contact.name}}' },
  { key: 'companyName', token: '{{company.name}}' },
  { key: 'companyShortName', token: '{{company.shortName}}' },
  { key: 'managerName', token: '{{manager.name}}' },
  { key: 'unsubscribeUrl', token: '{{unsubscribeUrl}}' },
] as const;

/**
 * The body a new mailing starts with: a valid MJML document with a heading, a paragraph using the placeholders,
 * the manager's signature and a footer with the recipient's own unsubscribe link (`{{unsubscribeUrl}}`: every
 * message also carries it as `List-Unsubscribe`, but people look for it in the text), so "Preview" shows something
 * at once and the author edits instead of starting blank.
 */
export const starterTemplate = (texts: { greeting: string; body: string; signature: string; footer: string; unsubscribe: string }): string => `<mjml>
  <mj-body background-color="#f4f6f8">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="20px" font-weight="600">{{company.name}}</mj-text>
        <mj-text font-size="15px" line-height="1.5">${texts.greeting}</mj-text>
        <mj-text font-size="15px" line-height="1.5">${texts.body}</mj-text>
        <mj-text font-size="15px" line-height="1.5">${texts.signature}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="12px 24px">
      <mj-column>
        <mj-text font-size="12px" line-height="1.5" color="#526175">${texts.footer} <a href="{{unsubscribeUrl}}" style="color:#526175">${texts.unsubscribe}</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;
