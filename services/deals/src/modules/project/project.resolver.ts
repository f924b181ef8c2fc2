import { ConnectionArgs, ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { Document, documentStub } from '../document/document.stub';
import { Deal } from '../deal/deal.entity';
import { DealService } from '../deal/deal.service';
import { User, userStub } from '../user/user.stub';
import { ProjectChange } from './project-change.entity';
import { Project, ProjectRole } from './project.entity';
import { CreateProjectInput, ProjectHistoryArgs, ProjectsArgs, UpdateProjectInput } from './project.input';
import { ProjectService } from './project.service';

export const ProjectConnection = ConnectionType(Project, 'Project');
export const ProjectChangeConnection = ConnectionType(ProjectChange, 'ProjectChange');

@ObjectType({ description: 'A staff member in a project\'s team' })
export class ProjectMember {
  @Field(() => ID) userId!: string;
  @Field(() => ProjectRole) role!: ProjectRole;
  @Field(() => User, { nullable: true }) user!: User | null;
}

@ObjectType({ description: 'A changed field of a project: `from` and `to` are JSON values' })
export class ProjectFieldChange {
  @Field() field!: string;
  @Field(() => GraphQLJSON, { nullable: true }) from!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) to!: unknown;
}

@Resolver(() => Project)
export class ProjectResolver {
  @Authorized('projects:read')
  @Query(() => Project, { nullable: true, description: 'A project by id; null if there is none' })
  project(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Project | null> {
    return new ProjectService(context).findById(id);
  }

  @Authorized('projects:read')
  @Query(() => ProjectConnection, { description: 'Projects, newest first unless another order is asked for' })
  projects(@Args() { status, counterpartyId, memberId, search, orderBy, first, after }: ProjectsArgs, @Ctx() context: SubgraphContext) {
    return new ProjectService(context).list({ status, counterpartyId, memberId, search }, { first, after }, orderBy ?? undefined);
  }

  @Authorized('projects:write')
  @Mutation(() => Project, { description: 'Starts a project with one or more counterparties' })
  createProject(@Arg('input') input: CreateProjectInput, @Ctx() context: SubgraphContext): Promise<Project> {
    return new ProjectService(context).create(input);
  }

  @Authorized('projects:write')
  @Mutation(() => Project, { description: 'Changes a project (a stale version fails with CONFLICT); lists given replace the whole list' })
  updateProject(@Arg('input') input: UpdateProjectInput, @Ctx() context: SubgraphContext): Promise<Project> {
    return new ProjectService(context).update(input);
  }

  @FieldResolver(() => [Counterparty], { description: 'The counterparties (resolved by the counterparties service)' })
  counterparties(@Root() project: Project): Counterparty[] {
    return project.counterpartyIds.map(counterpartyStub);
  }

  @FieldResolver(() => [Document], {
    nullable: 'items',
    description: 'The documents grouped in the project, resolved by the documents service in one batch (null for one the caller may not read)',
  })
  documents(@Root() project: Project): Document[] {
    return project.documentIds.map(documentStub);
  }

  @FieldResolver(() => [ProjectMember], { description: 'The team, leads first' })
  team(@Root() project: Project): ProjectMember[] {
    const rank = (role: ProjectRole) => (role === ProjectRole.LEAD ? 0 : 1);
    return [...project.team]
      .sort((a, b) => rank(a.role) - rank(b.role))
      .map((member) => Object.assign(new ProjectMember(), { userId: member.userId, role: member.role, user: userStub(member.userId) }));
  }

  @Authorized('deals:read')
  @FieldResolver(() => [Deal], { description: 'The deals grouped in the project (batched: one statement per request)' })
  async deals(@Root() project: Project, @Ctx() context: SubgraphContext): Promise<Deal[]> {
    const service = new DealService(context);
    const deals = await Promise.all(project.dealIds.map((id) => service.dealById(id)));
    return deals.filter((deal): deal is Deal => deal !== null);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who created the project (null for partner systems)' })
  createdBy(@Root() project: Project): User | null {
    return userStub(project.createdById);
  }

  @FieldResolver(() => ProjectChangeConnection, { description: 'Who changed what, newest first' })
  history(@Root() project: Project, @Args() { first, after }: ProjectHistoryArgs, @Ctx() context: SubgraphContext) {
    return new ProjectService(context).historyOf(project.id, { first, after });
  }
}

@Resolver(() => ProjectChange)
export class ProjectChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The staff member who made the change; null for partner systems and the system' })
  actor(@Root() change: ProjectChange): User | null {
    return change.actorKind === 'user' ? userStub(change.actorId) : null;
  }

  @FieldResolver(() => [ProjectFieldChange])
  changes(@Root() change: ProjectChange): ProjectFieldChange[] {
    return change.changes.map((item) => Object.assign(new ProjectFieldChange(), item));
  }
}

/** Adds the counterparty's projects to the counterparties subgraph's entity (the card's projects panel). */
@Resolver(() => Counterparty)
export class CounterpartyProjectsResolver {
  @Authorized('projects:read')
  @FieldResolver(() => ProjectConnection, { nullable: true, description: 'Projects with this counterparty, newest first; one statement for any number of counterparties' })
  projects(@Root() counterparty: Counterparty, @Args() { first, after }: ConnectionArgs, @Ctx() context: SubgraphContext) {
    return new ProjectService(context).pageOfCounterparty(counterparty.id, { first, after });
  }
}
