import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ActionKind, CaseDefinition, StageDefinition, StageOutcome } from './case-template.definition';
import { formJsonSchema, formUiSchema, type JsonSchemaObject } from './case-template.form';

/** GraphQL enums over the definition's string unions: names and values are the codes. */
export const CaseStageOutcome = { OPEN: 'OPEN', WON: 'WON', LOST: 'LOST' } as const satisfies { [K in StageOutcome]: K };
registerEnumType(CaseStageOutcome, {
  name: 'CaseStageOutcome',
  description: 'Whether deals in a stage are still open, won or lost',
});

export const DealActionKind = {
  CALL: 'CALL',
  MEETING: 'MEETING',
  TASK: 'TASK',
  SEND_OFFER: 'SEND_OFFER',
  PREPARE_CONTRACT: 'PREPARE_CONTRACT',
  REQUEST_APPROVAL: 'REQUEST_APPROVAL',
  CUSTOM: 'CUSTOM',
} as const satisfies { [K in ActionKind]: K };
registerEnumType(DealActionKind, {
  name: 'DealActionKind',
  description: 'Kind of a stage action',
  valuesConfig: {
    SEND_OFFER: { description: 'Creates a draft commercial offer in the documents service' },
    PREPARE_CONTRACT: { description: 'Creates a draft contract in the documents service' },
    REQUEST_APPROVAL: { description: 'Starts the approval route of the deal\'s newest contract' },
  },
});

@ObjectType({ description: 'An action a stage asks for' })
export class CaseStageAction {
  @Field() key!: string;
  @Field(() => DealActionKind) kind!: ActionKind;
  @Field() title!: string;
  @Field({ description: 'The deal cannot move on from the stage until it is done' }) required!: boolean;
  @Field(() => Int, { description: 'Due this many days after the deal enters the stage' }) dueOffsetDays!: number;
  @Field({ description: 'OWNER (the deal\'s owner) or USER' }) assigneeType!: string;
  @Field(() => ID, { nullable: true, description: 'The assignee when assigneeType is USER' }) assigneeUserId!: string | null;
  @Field(() => String, { nullable: true, description: 'SEND_OFFER / PREPARE_CONTRACT: code of the document template the file is generated from' }) templateCode!: string | null;
}

@ObjectType({ description: 'A stage of a case template' })
export class CaseStage {
  @Field() key!: string;
  @Field() name!: string;
  @Field(() => Int, { description: 'Chance of winning, 0..100' }) probability!: number;
  @Field(() => CaseStageOutcome) outcome!: StageOutcome;
  @Field(() => [String], { description: 'Form fields to fill in before leaving the stage' }) requiredFields!: string[];
  @Field(() => [CaseStageAction]) actions!: CaseStageAction[];
}

@ObjectType({ description: 'What a definition would publish: the form\'s JSON Schema and UI schema, and the stages' })
export class CaseTemplatePreview {
  @Field(() => GraphQLJSONObject, { description: 'JSON Schema (draft-07) of the form data' }) jsonSchema!: JsonSchemaObject;
  @Field(() => GraphQLJSONObject, { description: 'JSON Forms UI schema of the form' }) uiSchema!: JsonSchemaObject;
  @Field(() => [CaseStage]) stages!: CaseStage[];
}

export function caseStage(stage: StageDefinition): CaseStage {
  return Object.assign(new CaseStage(), {
    key: stage.key,
    name: stage.name,
    probability: stage.probability,
    outcome: stage.outcome,
    requiredFields: stage.requiredFields,
    actions: stage.actions.map((action) =>
      Object.assign(new CaseStageAction(), {
        key: action.key,
        kind: action.kind,
        title: action.title,
        required: action.required,
        dueOffsetDays: action.dueOffsetDays,
        assigneeType: action.assignee.type,
        assigneeUserId: action.assignee.type === 'USER' ? action.assignee.userId : null,
        templateCode: action.templateCode ?? null,
      }),
    ),
  });
}

export function caseStages(definition: CaseDefinition): CaseStage[] {
  return definition.stages.map(caseStage);
}

export function preview(definition: CaseDefinition): CaseTemplatePreview {
  return Object.assign(new CaseTemplatePreview(), { jsonSchema: formJsonSchema(definition), uiSchema: formUiSchema(definition), stages: caseStages(definition) });
}
