import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, isRole, isUuid, NotFoundError, permissionsOfRoles, type RoleCode, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import type { DocumentType } from '../document/document.entity';
import { StaffService } from '../staff/staff.service';
import { User, userStub } from '../user/user.stub';
import { CompletionRule } from './approval.enums';
import type { CreateRouteTemplateInput, RouteStageInput, UpdateRouteTemplateInput } from './route-template.input';
import { RouteTemplate, RouteTemplateStage, RouteTemplateStep, type RouteStageSpec } from './route-template.entity';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

/** Whether holders of these roles may decide approval steps. */
export function rolesMayApprove(roles: readonly string[]): boolean {
  return permissionsOfRoles(roles.filter(isRole) as RoleCode[]).includes('documents:approve');
}

/** The GraphQL shape of a template's stages. The last stage is the sign-off. */
export function stagesOf(template: RouteTemplate): RouteTemplateStage[] {
  return template.stageSpecs.map((spec, index, all) =>
    Object.assign(new RouteTemplateStage(), {
      name: spec.name,
      mode: spec.mode,
      rule: spec.rule,
      quorum: spec.quorum,
      signOff: index === all.length - 1,
      steps: spec.steps.map((step) => Object.assign(new RouteTemplateStep(), { approverId: step.userId, approver: userStub(step.userId) as User | null, role: step.role, deadlineHours: step.deadlineHours })),
    }),
  );
}

export class RouteTemplateService {
  constructor(private readonly context: Context) {}

  list(documentType: DocumentType | null, includeInactive: boolean): Promise<RouteTemplate[]> {
    return this.context.em.find(RouteTemplate, { ...(documentType ? { documentType } : {}), ...(includeInactive ? {} : { active: true }) }, { orderBy: { documentType: 'asc', isDefault: 'desc', name: 'asc' } });
  }

  findById(id: string): Promise<RouteTemplate | null> {
    return isUuid(id) ? this.context.em.findOne(RouteTemplate, { id }) : Promise.resolve(null);
  }

  async create(input: CreateRouteTemplateInput): Promise<RouteTemplate> {
    const name = input.name.trim();
    if (!name) throw new UserInputError('name', 'Enter a name');
    const stageSpecs = await this.validateStages(input.stages, 'stages');
    const id = await this.context.em.transactional(async (em) => {
      if (input.isDefault) await this.clearDefault(em, input.documentType);
      const template = em.create(RouteTemplate, {
        name,
        documentType: input.documentType,
        isDefault: input.isDefault ?? false,
        stageSpecs,
        createdById: this.context.identity.kind === 'user' ? this.context.identity.id : null,
      });
      await em.flush();
      return template.id;
    });
    return this.context.em.findOneOrFail(RouteTemplate, { id });
  }

  async update(input: UpdateRouteTemplateInput): Promise<RouteTemplate> {
    const stageSpecs = input.stages ? await this.validateStages(input.stages, 'stages') : null;
    await this.context.em.transactional(async (em) => {
      const template = await em.findOne(RouteTemplate, { id: input.id });
      if (!template) throw new NotFoundError('RouteTemplate', input.id);
      if (template.version !== input.version) throw new ConflictError('The template was changed by someone else; reload it', { currentVersion: template.version });
      if (input.name !== undefined && input.name !== null) {
        const name = input.name.trim();
        if (!name) throw new UserInputError('name', 'Enter a name');
        template.name = name;
      }
      if (stageSpecs) template.stageSpecs = stageSpecs;
      if (input.active !== undefined && input.active !== null) template.active = input.active;
      if (input.isDefault) await this.clearDefault(em, template.documentType, template.id);
      if (input.isDefault !== undefined && input.isDefault !== null) template.isDefault = input.isDefault;
      if (!template.active) template.isDefault = false;
      await em.flush();
    });
    return this.context.em.findOneOrFail(RouteTemplate, { id: input.id }, { refresh: true });
  }

  /** The template to use for a document type when none is chosen. */
  defaultFor(em: EntityManager, documentType: DocumentType): Promise<RouteTemplate | null> {
    return em.findOne(RouteTemplate, { documentType, active: true }, { orderBy: { isDefault: 'desc', createdAt: 'asc' } });
  }

  private async clearDefault(em: EntityManager, documentType: DocumentType, exceptId?: string): Promise<void> {
    await em.nativeUpdate(RouteTemplate, { documentType, isDefault: true, ...(exceptId ? { id: { $ne: exceptId } } : {}) }, { isDefault: false });
  }

  /** Checks the stages and their approvers (known, active staff who may approve); returns the stored shape. */
  async validateStages(stages: RouteStageInput[], field: string): Promise<RouteStageSpec[]> {
    const userIds = stages.flatMap((stage) => stage.steps.map((step) => step.approverId?.toLowerCase()).filter((id): id is string => Boolean(id)));
    const staff = new Map((await new StaffService(this.context.em).findByIds(userIds)).map((member) => [member.id, member]));
    return stages.map((stage, stageIndex) => {
      const at = `${field}.${stageIndex}`;
      const name = stage.name.trim();
      if (!name) throw new UserInputError(`${at}.name`, 'Enter the stage name');
      if (stage.rule === CompletionRule.QUORUM) {
        if (!stage.quorum || stage.quorum > stage.steps.length) throw new UserInputError(`${at}.quorum`, `The quorum must be between 1 and the number of approvers (${stage.steps.length})`);
      }
      // One approver: every rule means the same; store ALL for clarity.
      const rule = stage.steps.length === 1 ? CompletionRule.ALL : stage.rule;
      const seen = new Set<string>();
      const steps = stage.steps.map((step, stepIndex) => {
        const stepAt = `${at}.steps.${stepIndex}`;
        const userId = step.approverId?.toLowerCase() ?? null;
        const role = step.role ?? null;
        if ((userId === null) === (role === null)) throw new UserInputError(stepAt, 'Choose either an employee or a role as the approver');
        if (userId) {
          const member = staff.get(userId);
          if (!member || !member.active) throw new UserInputError(`${stepAt}.approverId`, 'This employee is not an active staff member', { reason: 'approver.unknown' });
          if (!rolesMayApprove(member.roles)) throw new UserInputError(`${stepAt}.approverId`, `${member.name} may not approve documents (no approver role)`, { reason: 'approver.not-allowed' });
        }
        if (role && !rolesMayApprove([role])) throw new UserInputError(`${stepAt}.role`, `Role ${role} may not approve documents`, { reason: 'approver.not-allowed' });
        const key = userId ?? `role:${role}`;
        if (seen.has(key)) throw new UserInputError(stepAt, 'The same approver appears twice in this stage');
        seen.add(key);
        return { userId, role, deadlineHours: step.deadlineHours };
      });
      return { name, mode: stage.mode, rule, quorum: rule === CompletionRule.QUORUM ? (stage.quorum ?? null) : null, steps };
    });
  }
}
