import { ConnectionArgs } from '@kartoteka/kit';
import { ArrayMaxSize, IsInt, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { DuplicatePolicy, ImportField } from './import-job.entity';
import type { ImportRowFilter as RowFilter } from './import.service';

export const ImportRowFilter = { PENDING: 'PENDING', VALID: 'VALID', INVALID: 'INVALID', DUPLICATE: 'DUPLICATE', REFUSED: 'REFUSED' } as const satisfies { [K in RowFilter]: K };
registerEnumType(ImportRowFilter, {
  name: 'ImportRowFilter',
  description: 'A preview verdict, or REFUSED: the rows of the refused-rows report (invalid, or refused when written)',
});

@InputType()
export class ImportColumnInput {
  @Field(() => Int, { description: 'The column\'s index in the file (0-based, as in ImportJob.headers)' })
  @IsInt()
  @Min(0, { message: 'column must be at least 0' })
  @Max(99, { message: 'column must be at most 99' })
  column!: number;

  @Field(() => ImportField)
  field!: ImportField;
}

@InputType()
export class SetImportMappingInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not an import id' })
  jobId!: string;

  @Field(() => [ImportColumnInput], { description: 'Columns left out are not imported; NAME and INN are required' })
  @ArrayMaxSize(100, { message: 'At most 100 columns' })
  @ValidateNested()
  columns!: ImportColumnInput[];

  @Field(() => DuplicatePolicy, { defaultValue: 'SKIP' })
  duplicatePolicy: DuplicatePolicy = 'SKIP';
}

@InputType()
export class StartImportInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not an import id' })
  jobId!: string;

  @Field(() => DuplicatePolicy, { nullable: true, description: 'Overrides the policy set with the mapping' })
  duplicatePolicy?: DuplicatePolicy | null;
}

@ArgsType()
export class ImportRowsArgs extends ConnectionArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'Not an import id' })
  jobId!: string;

  @Field(() => ImportRowFilter, { nullable: true, description: 'Only these rows; all when left out' })
  status?: RowFilter | null;
}
