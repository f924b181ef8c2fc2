import type { SubgraphContext } from '@kartoteka/kit';
import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ProjectFinance } from './project-finance.type';
import { ProjectFinanceService } from './project-finance.service';
import { Project } from './project.stub';

/** Adds the project's actuals to the deals subgraph's entity (nullable: a refusal or a failure blanks only this field). */
@Resolver(() => Project)
export class ProjectFinanceResolver {
  @Authorized('finance:read')
  @FieldResolver(() => ProjectFinance, { nullable: true, description: 'Contracted, invoiced, delivered, paid and overdue on the project\'s linked documents, from finance\'s signed facts; batched across projects' })
  finance(@Root() project: Project, @Ctx() context: SubgraphContext): Promise<ProjectFinance> {
    return new ProjectFinanceService(context).of(project.id);
  }
}
