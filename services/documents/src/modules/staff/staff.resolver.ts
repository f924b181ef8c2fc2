import type { SubgraphContext } from '@kartoteka/kit';
import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { StaffArgs } from './staff.args';
import { StaffMemberEntity } from './staff-member.entity';
import { StaffService, type StaffMember } from './staff.service';

@Resolver(() => StaffMemberEntity)
export class StaffResolver {
  @Authorized('documents:read')
  @Query(() => [StaffMemberEntity], { description: 'Active staff by name, for pickers of approvers and readers' })
  staff(@Args() args: StaffArgs, @Ctx() context: SubgraphContext): Promise<StaffMember[]> {
    return new StaffService(context.em).search(args);
  }
}
