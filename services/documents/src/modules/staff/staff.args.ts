import { ArgsType, Field, Int } from 'type-graphql';
import { STAFF_SEARCH_MAX } from './staff.service';

@ArgsType()
export class StaffArgs {
  @Field(() => String, { nullable: true, description: 'Part of a name or e-mail' })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Only members holding this role, e.g. LAWYER' })
  role?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: `How many, 1..${STAFF_SEARCH_MAX}` })
  first?: number | null;
}
