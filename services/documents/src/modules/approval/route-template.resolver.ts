import type { SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RouteTemplatesArgs } from './approval.input';
import { RouteTemplate, RouteTemplateStage } from './route-template.entity';
import { CreateRouteTemplateInput, UpdateRouteTemplateInput } from './route-template.input';
import { RouteTemplateService, stagesOf } from './route-template.service';

@Resolver(() => RouteTemplate)
export class RouteTemplateResolver {
  @Authorized('documents:read')
  @Query(() => [RouteTemplate], { description: 'Approval route templates, by document type' })
  routeTemplates(@Args() { documentType, includeInactive }: RouteTemplatesArgs, @Ctx() context: SubgraphContext): Promise<RouteTemplate[]> {
    return new RouteTemplateService(context).list(documentType ?? null, includeInactive ?? false);
  }

  @Authorized('documents:read')
  @Query(() => RouteTemplate, { nullable: true })
  routeTemplate(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<RouteTemplate | null> {
    return new RouteTemplateService(context).findById(id);
  }

  @Authorized('documents:configure')
  @Mutation(() => RouteTemplate)
  createRouteTemplate(@Arg('input') input: CreateRouteTemplateInput, @Ctx() context: SubgraphContext): Promise<RouteTemplate> {
    return new RouteTemplateService(context).create(input);
  }

  @Authorized('documents:configure')
  @Mutation(() => RouteTemplate, { description: 'Changes a template; running routes keep the stages they started with' })
  updateRouteTemplate(@Arg('input') input: UpdateRouteTemplateInput, @Ctx() context: SubgraphContext): Promise<RouteTemplate> {
    return new RouteTemplateService(context).update(input);
  }

  @FieldResolver(() => [RouteTemplateStage])
  stages(@Root() template: RouteTemplate): RouteTemplateStage[] {
    return stagesOf(template);
  }
}
