import type { ErrorTranslator } from '@jsonforms/core';

type Translate = (key: string, params?: Record<string, unknown>) => string;
type AjvError = Parameters<ErrorTranslator>[0];

/** Keywords of the JSON Schema rules a template field can carry, said in the UI language. */
const KNOWN = new Set(['required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'format', 'type', 'enum', 'const', 'minItems', 'maxItems', 'uniqueItems']);

/**
 * JSON Forms' error translator for a case form: ajv's verdicts in the UI language (with the rule's limit);
 * the server's verdicts (`keyword: 'server'`) keep the API's message.
 */
export const caseErrorTranslator =
  (t: Translate): ErrorTranslator =>
  (error: AjvError) => {
    if (error.keyword === 'server') return error.message ?? '';
    // A select's value outside its options fails `oneOf` (of `{ const, title }`).
    if (error.keyword === 'oneOf') return t('caseForm.error.enum');
    if (!KNOWN.has(error.keyword)) return t('caseForm.error.invalid');
    const params = (error.params ?? {}) as Record<string, unknown>;
    if (error.keyword === 'format' && params.format === 'date') return t('caseForm.error.date');
    return t(`caseForm.error.${error.keyword}`, { limit: params.limit, format: params.format, pattern: params.pattern });
  };
