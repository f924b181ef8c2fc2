import { markRaw, type Component } from 'vue';
import { rankWith, type JsonFormsRendererRegistryEntry, type JsonSchema, type TesterContext, type UISchemaElement } from '@jsonforms/core';
import { vanillaRenderers } from '@jsonforms/vue-vanilla';
import type { FieldType } from '../../model/template-definition';
import BooleanControl from './controls/BooleanControl.vue';
import ContactControl from './controls/ContactControl.vue';
import DateControl from './controls/DateControl.vue';
import FileControl from './controls/FileControl.vue';
import LongTextControl from './controls/LongTextControl.vue';
import MoneyControl from './controls/MoneyControl.vue';
import MultiSelectControl from './controls/MultiSelectControl.vue';
import NumberControl from './controls/NumberControl.vue';
import SelectControl from './controls/SelectControl.vue';
import TextControl from './controls/TextControl.vue';
import UserControl from './controls/UserControl.vue';
import { fieldKindOf } from './field-kind';

/**
 * The renderer set of a case form: JSON Forms' vanilla set for layouts (sections are `Group`s), labels and
 * anything unforeseen, with a thin Naive UI control per field type of the template on top of it.
 */
const CONTROLS: Record<FieldType, Component> = {
  TEXT: TextControl,
  LONG_TEXT: LongTextControl,
  NUMBER: NumberControl,
  MONEY: MoneyControl,
  DATE: DateControl,
  SELECT: SelectControl,
  MULTI_SELECT: MultiSelectControl,
  BOOLEAN: BooleanControl,
  CONTACT: ContactControl,
  USER: UserControl,
  FILE: FileControl,
};

const controlEntry = (type: FieldType, renderer: Component): JsonFormsRendererRegistryEntry => ({
  renderer: markRaw(renderer),
  tester: rankWith(10, (uischema: UISchemaElement, schema: JsonSchema, context: TesterContext) => fieldKindOf(uischema, schema, context) === type),
});

export const caseFormRenderers: readonly JsonFormsRendererRegistryEntry[] = Object.freeze([
  ...vanillaRenderers,
  ...(Object.entries(CONTROLS) as [FieldType, Component][]).map(([type, renderer]) => controlEntry(type, renderer)),
]);
