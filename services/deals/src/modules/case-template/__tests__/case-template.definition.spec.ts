import { GraphQLError } from 'graphql';
import { EQUIPMENT_DEFINITIONS } from '../../../seed/equipment-template.seed';
import { DEFAULT_DEFINITION } from '../case-template.defaults';
import { type CaseDefinition, parseDefinition, parseDefinitionStructure, parseTemplateDocument } from '../case-template.definition';
import { formJsonSchema, formUiSchema, missingFields, validateFormData } from '../case-template.form';

const MINIMAL = {
  stages: [
    { key: 'open', name: 'В работе', probability: 40, outcome: 'OPEN' },
    { key: 'won', name: 'Успех', probability: 100, outcome: 'WON' },
    { key: 'lost', name: 'Отказ', probability: 0, outcome: 'LOST' },
  ],
  form: { fields: [], sections: [] },
};

/** The error a call throws: `field` and message. */
function refusal(work: () => unknown): { field: unknown; message: string; extensions: Record<string, unknown> } {
  try {
    work();
  } catch (error) {
    if (error instanceof GraphQLError) return { field: error.extensions.field, message: error.message, extensions: error.extensions };
    throw error;
  }
  throw new Error('expected a refusal');
}

function withStages(stages: unknown[]): Record<string, unknown> {
  return { ...MINIMAL, stages };
}

describe('case template definitions', () => {
  it('fills in the defaults of a minimal definition and accepts the shipped ones', () => {
    const parsed = parseDefinition(MINIMAL);
    expect(parsed.stages[0]).toEqual({ key: 'open', name: 'В работе', probability: 40, outcome: 'OPEN', requiredFields: [], actions: [] });
    const withAction = parseDefinition(withStages([{ ...MINIMAL.stages[0], actions: [{ key: 'call', kind: 'CALL', title: 'Позвонить' }] }, ...MINIMAL.stages.slice(1)]));
    expect(withAction.stages[0].actions[0]).toEqual({ key: 'call', kind: 'CALL', title: 'Позвонить', assignee: { type: 'OWNER' }, dueOffsetDays: 0, required: false });
    expect(parseDefinition(DEFAULT_DEFINITION)).toEqual(DEFAULT_DEFINITION);
    for (const definition of EQUIPMENT_DEFINITIONS) expect(parseDefinition(definition)).toEqual(definition);
  });

  const stage = MINIMAL.stages[0];
  const invalid: [string, Record<string, unknown>, string][] = [
    ['a key starting with a digit', withStages([{ ...stage, key: '1st' }, ...MINIMAL.stages.slice(1)]), 'definition.stages.0.key'],
    ['a blank stage name', withStages([MINIMAL.stages[0], { ...MINIMAL.stages[1], name: '  ' }, MINIMAL.stages[2]]), 'definition.stages.1.name'],
    ['a probability above 100', withStages([...MINIMAL.stages.slice(0, 2), { ...MINIMAL.stages[2], probability: 101 }]), 'definition.stages.2.probability'],
    ['an unknown outcome', withStages([{ ...stage, outcome: 'PAUSED' }, ...MINIMAL.stages.slice(1)]), 'definition.stages.0.outcome'],
    ['a missing stage name', withStages([{ key: 'x', probability: 1, outcome: 'OPEN' }, ...MINIMAL.stages.slice(1)]), 'definition.stages.0.name'],
    ['an unknown property', { ...MINIMAL, colour: 'red' }, 'definition.colour'],
    ['an unknown action kind', withStages([{ ...stage, actions: [{ key: 'a', kind: 'FAX', title: 'Факс' }] }, ...MINIMAL.stages.slice(1)]), 'definition.stages.0.actions.0.kind'],
    ['a USER assignee without a user', withStages([{ ...stage, actions: [{ key: 'a', kind: 'TASK', title: 'Т', assignee: { type: 'USER' } }] }, ...MINIMAL.stages.slice(1)]), 'definition.stages.0.actions.0.assignee.userId'],
    ['an unknown assignee type', withStages([{ ...stage, actions: [{ key: 'a', kind: 'TASK', title: 'Т', assignee: { type: 'BOSS' } }] }, ...MINIMAL.stages.slice(1)]), 'definition.stages.0.actions.0.assignee.type'],
    ['a duplicate stage key', withStages([...MINIMAL.stages, { ...MINIMAL.stages[2], name: 'Ещё отказ' }]), 'definition.stages.3.key'],
    ['no open stage', withStages(MINIMAL.stages.slice(1)), 'definition.stages'],
    ['no won stage', withStages([stage, MINIMAL.stages[2]]), 'definition.stages'],
    ['two won stages', withStages([...MINIMAL.stages, { ...MINIMAL.stages[1], key: 'won2' }]), 'definition.stages.3.outcome'],
    ['no lost stage', withStages(MINIMAL.stages.slice(0, 2)), 'definition.stages'],
    ['a required field that does not exist', withStages([{ ...stage, requiredFields: ['budget'] }, ...MINIMAL.stages.slice(1)]), 'definition.stages.0.requiredFields.0'],
    ['a duplicate action key', withStages([{ ...stage, actions: [{ key: 'a', kind: 'CALL', title: '1' }, { key: 'a', kind: 'TASK', title: '2' }] }, ...MINIMAL.stages.slice(1)]), 'definition.stages.0.actions.1.key'],
    ['options on a text field', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'TEXT', options: [{ value: 'a', label: 'A' }] }], sections: [{ title: 'S', fields: ['f'] }] } }, 'definition.form.fields.0.options'],
    ['a select without options', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'SELECT' }], sections: [{ title: 'S', fields: ['f'] }] } }, 'definition.form.fields.0.options'],
    ['a duplicate option', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'MULTI_SELECT', options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'B' }] }], sections: [{ title: 'S', fields: ['f'] }] } }, 'definition.form.fields.0.options.1.value'],
    ['max below min', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'NUMBER', min: 5, max: 1 }], sections: [{ title: 'S', fields: ['f'] }] } }, 'definition.form.fields.0.max'],
    ['a bad pattern', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'TEXT', pattern: '([' }], sections: [{ title: 'S', fields: ['f'] }] } }, 'definition.form.fields.0.pattern'],
    ['a pattern on a number', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'NUMBER', pattern: '\\d+' }], sections: [{ title: 'S', fields: ['f'] }] } }, 'definition.form.fields.0.pattern'],
    ['a duplicate field key', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'TEXT' }, { key: 'f', label: 'G', type: 'DATE' }], sections: [{ title: 'S', fields: ['f'] }] } }, 'definition.form.fields.1.key'],
    ['a field in no section', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'TEXT' }, { key: 'g', label: 'G', type: 'DATE' }], sections: [{ title: 'S', fields: ['f'] }] } }, 'definition.form.fields.1'],
    ['a field in two sections', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'TEXT' }], sections: [{ title: 'S', fields: ['f'] }, { title: 'T', fields: ['f'] }] } }, 'definition.form.sections.1.fields.0'],
    ['a section with an unknown field', { ...MINIMAL, form: { fields: [], sections: [{ title: 'S', fields: ['nope'] }] } }, 'definition.form.sections.0.fields.0'],
    ['a wrongly typed field type', { ...MINIMAL, form: { fields: [{ key: 'f', label: 'F', type: 'COLOUR' }], sections: [] } }, 'definition.form.fields.0.type'],
  ];

  it.each(invalid)('refuses %s with the JSON path of the problem', (_name, definition, field) => {
    expect(refusal(() => parseDefinition(definition)).field).toBe(field);
  });

  it('checks only the structure for a draft', () => {
    expect(parseDefinitionStructure(withStages([stage])).stages).toHaveLength(1);
    expect(refusal(() => parseDefinitionStructure({ stages: 'x', form: {} })).field).toBe('definition.stages');
  });

  it('reads an export file and names paths relative to it', () => {
    const file = { format: 'kartoteka.case-template', version: 1, name: ' Сервис ', description: null, definition: MINIMAL };
    expect(parseTemplateDocument(file)).toMatchObject({ name: 'Сервис', description: null, definition: parseDefinition(MINIMAL) });
    expect(refusal(() => parseTemplateDocument({ ...file, format: 'other' })).field).toBe('format');
    expect(refusal(() => parseTemplateDocument({ ...file, version: 2 })).field).toBe('version');
    expect(refusal(() => parseTemplateDocument({ ...file, name: '' })).field).toBe('name');
    expect(refusal(() => parseTemplateDocument({ ...file, definition: withStages([stage, { ...stage }, ...MINIMAL.stages.slice(1)]) })).field).toBe('definition.stages.1.key');
  });
});

describe('form schemas', () => {
  const definition: CaseDefinition = EQUIPMENT_DEFINITIONS[1];

  it('derives a JSON Schema with every field type and a JSON Forms layout of the sections', () => {
    const schema = formJsonSchema(definition);
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(schema).toMatchObject({ type: 'object', required: ['equipmentType'], additionalProperties: false });
    expect(properties.equipmentType).toEqual({ type: 'string', title: 'Тип оборудования', oneOf: expect.arrayContaining([{ const: 'servers', title: 'Серверы' }]) });
    expect(properties.quantity).toEqual({ type: 'number', title: 'Количество, шт.', minimum: 1, maximum: 10000 });
    expect(properties.services).toMatchObject({ type: 'array', uniqueItems: true, maxItems: 4, items: { type: 'string', oneOf: expect.any(Array) } });
    expect(properties.budget).toMatchObject({ type: 'object', properties: { amountMinor: { type: 'integer', minimum: 0 }, currency: { type: 'string' } }, required: ['amountMinor', 'currency'] });
    expect(properties.deliveryDate).toEqual({ type: 'string', title: 'Желаемая дата поставки', format: 'date' });
    expect(properties.needsInstallation).toEqual({ type: 'boolean', title: 'Требуется монтаж на площадке' });
    for (const key of ['contactPerson', 'engineer', 'specificationFile']) expect(properties[key]).toMatchObject({ type: 'string', format: 'uuid' });
    expect(properties.tenderNumber).toMatchObject({ type: 'string', pattern: '^[0-9]{11,19}$' });
    expect(properties.siteAddress).toMatchObject({ type: 'string', minLength: 5, maxLength: 300 });

    const ui = formUiSchema(definition) as { type: string; elements: { type: string; label: string; elements: Record<string, unknown>[] }[] };
    expect(ui.type).toBe('VerticalLayout');
    expect(ui.elements.map((group) => [group.type, group.label])).toEqual(definition.form.sections.map((section) => ['Group', section.title]));
    expect(ui.elements[3].elements).toEqual([
      { type: 'Control', scope: '#/properties/specificationFile', label: 'Спецификация (файл)' },
      { type: 'Control', scope: '#/properties/requirements', label: 'Технические требования', options: { multi: true } },
    ]);
  });

  const valid = {
    equipmentType: 'servers',
    quantity: 12,
    services: ['installation', 'support'],
    needsInstallation: true,
    budget: { amountMinor: 1_500_000_00, currency: 'RUB' },
    deliveryDate: '2026-03-31',
    tenderNumber: '01234567890',
    siteAddress: 'г. Москва, ул. Складочная, д. 1',
    contactPerson: '3f2b8a52-3a7e-4c55-9a4c-1f1b2c3d4e5f',
    engineer: '00000000-0000-4000-8000-000000000002',
    specificationFile: '6a1c7e4e-0000-4000-8000-000000000000',
    requirements: 'Гарантия 36 месяцев',
  };

  it('accepts valid data and drops empty values', () => {
    expect(validateFormData(definition, { ...valid, requirements: '', services: [] }, null)).toEqual({ ...valid, requirements: undefined, services: undefined });
  });

  const violations: [string, Record<string, unknown>, string, RegExp][] = [
    ['a missing required select', { equipmentType: null }, 'formData.equipmentType', /Fill in «Тип оборудования»/],
    ['an option not in the list', { equipmentType: 'toasters' }, 'formData.equipmentType', /choose one of the options/],
    ['a number below min', { quantity: 0 }, 'formData.quantity', /must be at least 1/],
    ['a number as text', { quantity: 'много' }, 'formData.quantity', /must be a number/],
    ['a negative amount', { budget: { amountMinor: -1, currency: 'RUB' } }, 'formData.budget', /at least 0/],
    ['a bad currency', { budget: { amountMinor: 1, currency: 'рубли' } }, 'formData.budget', /ISO 4217/],
    ['a date that does not exist', { deliveryDate: '2026-02-30' }, 'formData.deliveryDate', /YYYY-MM-DD/],
    ['a pattern mismatch', { tenderNumber: 'A-17' }, 'formData.tenderNumber', /does not match/],
    ['a text too short', { siteAddress: 'Мск' }, 'formData.siteAddress', /at least 5 characters/],
    ['a non-uuid user', { engineer: 'olga' }, 'formData.engineer', /uuid/],
    ['an unknown field', { colour: 'red' }, 'formData.colour', /no such field/],
    ['too many options', { services: ['installation', 'installation'] }, 'formData.services', /each option once/],
  ];

  it.each(violations)('refuses %s naming the field', (_name, change, field, message) => {
    const result = refusal(() => validateFormData(definition, { ...valid, ...change }, null));
    expect(result.field).toBe(field);
    expect(result.message).toMatch(message);
    expect(result.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('tells which of the given fields are not filled in (a checkbox only when ticked)', () => {
    const withBoolean: CaseDefinition = { ...definition, form: { ...definition.form, fields: definition.form.fields.map((field) => ({ ...field, required: false })) } };
    expect(missingFields(withBoolean, ['quantity', 'siteAddress', 'needsInstallation'], { quantity: 3, needsInstallation: false })).toEqual(['siteAddress', 'needsInstallation']);
  });
});
