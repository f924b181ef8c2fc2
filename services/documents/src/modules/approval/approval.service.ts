import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ConflictError,
  type ConnectionShape,
  decodeCursor,
  encodeCursor,
  ForbiddenError,
  groupByKeys,
  hasPermission,
  isUuid,
  NotFoundError,
  type SubgraphContext,
  toConnection,
  UserInputError,
} from '@kartoteka/kit';
import { auditedTransaction, deferAudit } from '../audit/audited-transaction';
import { actorOf, isDocumentsAdmin, isOwner, readableSql, requireStaff } from '../document/document-access';
import { DocumentVersion } from '../document/document-version.entity';
import { DocumentVersionService } from '../document/document-version.service';
import { Document, DocumentStatus, DocumentType } from '../document/document.entity';
import { todayUtc } from '../document/document.dates';
import { DocumentReader } from '../document/document.reader';
import { changeStatus } from '../document/document-status-change.service';
import { publishDealDocumentStatus, publishDocumentSigned } from '../document/document.events';
import { JournalService } from '../journal/journal.service';
import { NotificationService } from '../notification/notification.service';
import { StaffService } from '../staff/staff.service';
import { ApprovalRoute, ApprovalStage, ApprovalStep } from './approval-route.entity';
import { CompletionRule, ResubmitMode, RouteStatus, StageMode, StageStatus, StepStatus } from './approval.enums';
import { RouteTemplate, type RouteStageSpec } from './route-template.entity';
import { rolesMayApprove, RouteTemplateService } from './route-template.service';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;
const HOUR_MS = 3_600_000;

/** One route with its stages and steps, loaded into a transaction to be advanced in memory. */
type RouteState = { route: ApprovalRoute; stages: ApprovalStage[]; steps: Map<string, ApprovalStep[]> };
/** What happened during one change, to be told afterwards (notifications). */
type Outcome = { newTasks: ApprovalStep[]; signed: boolean; reachedSignOff: boolean };

function required(stage: ApprovalStage, steps: ApprovalStep[]): number {
  if (stage.rule === CompletionRule.ANY) return 1;
  if (stage.rule === CompletionRule.QUORUM) return Math.min(stage.quorum ?? steps.length, steps.length);
  return steps.length;
}

function unique(ids: (string | null | undefined)[]): string[] {
  return [...new Set(ids.filter((id): id is string => Boolean(id)))];
}

/** Everyone who holds a pending step of the route (after a change): their approval requests stay open. */
function pendingAssignees(state: RouteState): string[] {
  return unique([...state.steps.values()].flat().filter((step) => step.status === StepStatus.PENDING).flatMap((step) => step.assigneeIds));
}

/**
 * The approval engine: routes (one per submission round) of stages (sequential or parallel, completed by
 * all / any / a quorum of approvals) of steps (one approver, or any member of a role). The last stage is
 * the sign-off; completing it signs the document. Every change locks the document row first, so decisions
 * on one document are serialized and a second decision on a decided step gets CONFLICT.
 */
export class ApprovalService {
  constructor(private readonly context: Context) {}

  // ---- commands ----

  async start(documentId: string, templateId: string | null): Promise<Document> {
    const identity = this.context.identity;
    await auditedTransaction(this.context.em, async (em) => {
      const document = await this.documents(em).lockReadable(em, documentId);
      if (document.status === DocumentStatus.REJECTED) throw new UserInputError('documentId', 'The document was rejected: resubmit it after rework', { reason: 'approval.use-resubmit' });
      if (document.status !== DocumentStatus.DRAFT) throw new UserInputError('documentId', `A document in status ${document.status} cannot be sent for approval`, { reason: 'approval.not-draft' });
      if (document.currentVersionNumber < 1) throw new UserInputError('documentId', 'Attach the document\'s file(s) before sending it for approval', { reason: 'approval.no-version' });
      let template: RouteTemplate | null;
      if (templateId) {
        template = isUuid(templateId) ? await em.findOne(RouteTemplate, { id: templateId, active: true }) : null;
        if (!template) throw new UserInputError('routeTemplateId', 'There is no such active route template', { reason: 'approval.template-not-found' });
        if (template.documentType !== document.type) throw new UserInputError('routeTemplateId', `This template is for ${template.documentType}, not ${document.type}`, { reason: 'approval.template-type' });
      } else {
        template = await new RouteTemplateService({ ...this.context, em }).defaultFor(em, document.type);
        if (!template) throw new UserInputError('routeTemplateId', `There is no route template for ${document.type}; an administrator creates one`, { reason: 'approval.template-not-found' });
      }
      const assignees = await this.resolveAssignees(em, template.stageSpecs);
      const version = await em.findOneOrFail(DocumentVersion, { documentId: document.id, number: document.currentVersionNumber });
      const round = await this.nextRound(em, document.id);
      const route = em.create(ApprovalRoute, {
        documentId: document.id,
        round,
        templateId: template.id,
        templateName: template.name,
        status: RouteStatus.ACTIVE,
        startedById: actorOf(identity).actorId,
        versionId: version.id,
        versionNumber: version.number,
      });
      const state: RouteState = { route, stages: [], steps: new Map() };
      template.stageSpecs.forEach((spec, position, all) => {
        const stage = em.create(ApprovalStage, { routeId: route.id, position, name: spec.name, mode: spec.mode, rule: spec.rule, quorum: spec.quorum, signOff: position === all.length - 1, status: StageStatus.WAITING });
        state.stages.push(stage);
        state.steps.set(
          stage.id,
          spec.steps.map((stepSpec, stepPosition) =>
            em.create(ApprovalStep, { routeId: route.id, stageId: stage.id, documentId: document.id, position: stepPosition, role: stepSpec.role, assigneeIds: assignees[position][stepPosition], deadlineHours: stepSpec.deadlineHours, status: StepStatus.WAITING }),
          ),
        );
      });
      changeStatus(em, document, DocumentStatus.ON_APPROVAL, actorOf(identity));
      const outcome: Outcome = { newTasks: [], signed: false, reachedSignOff: false };
      this.activate(state, state.stages[0], outcome);
      await this.advance(em, state, document, outcome);
      await em.flush();
      deferAudit(em, { documentId: document.id, action: 'ROUTE_STARTED', ...actorOf(identity), versionId: version.id, details: { routeId: route.id, round, template: template.name, versionNumber: version.number } });
      await this.tell(em, document, outcome);
    });
    return this.reload(documentId);
  }

  approve(stepId: string, comment: string | null): Promise<ApprovalStep> {
    return this.decide(stepId, StepStatus.APPROVED, comment?.trim() || null);
  }

  reject(stepId: string, comment: string): Promise<ApprovalStep> {
    const text = comment.trim();
    if (!text) throw new UserInputError('comment', 'Say why the document is rejected: the author reworks it from your comment');
    return this.decide(stepId, StepStatus.REJECTED, text);
  }

  async delegate(stepId: string, toUserId: string, comment: string | null): Promise<ApprovalStep> {
    const me = requireStaff(this.context.identity);
    if (!isUuid(toUserId)) throw new UserInputError('toUserId', 'Not a valid user id');
    const target = toUserId.toLowerCase();
    await auditedTransaction(this.context.em, async (em) => {
      const step = await this.lockStep(em, stepId);
      if (!step.assigneeIds.includes(me.id) && !isDocumentsAdmin(me)) throw new ForbiddenError('Only the approver of this step (or an administrator) can delegate it');
      if (step.status !== StepStatus.PENDING && step.status !== StepStatus.WAITING) throw new ConflictError('This step has already been decided', { reason: 'approval.step-decided', status: step.status });
      if (step.assigneeIds.length === 1 && step.assigneeIds[0] === target) throw new UserInputError('toUserId', 'The step is already assigned to this employee');
      const [member] = await new StaffService(em).findByIds([target]);
      if (!member || !member.active) throw new UserInputError('toUserId', 'This employee is not an active staff member', { reason: 'approver.unknown' });
      if (!rolesMayApprove(member.roles)) throw new UserInputError('toUserId', `${member.name} may not approve documents (no approver role)`, { reason: 'approver.not-allowed' });
      const from = step.assigneeIds;
      const fromRole = step.role;
      // The step is now addressed to the delegate, not to the role: who delegated and from whom stay on the
      // step (delegatedBy, delegatedFrom, delegatedFromRole — the role is kept across further delegations)
      // and every delegation in the audit trail (STEP_DELEGATED: from, fromRole, to).
      step.delegatedFromRole = step.role ?? step.delegatedFromRole;
      step.delegatedFromIds = from;
      step.role = null;
      step.assigneeIds = [target];
      step.delegatedById = me.id;
      step.delegatedAt = new Date();
      if (step.status === StepStatus.PENDING) step.dueAt = new Date(Date.now() + step.deadlineHours * HOUR_MS);
      await em.flush();
      const document = await em.findOneOrFail(Document, { id: step.documentId });
      // Those who delegated the step away (and hold no other pending step of the document) are done with it.
      const stillPending = await em.find(ApprovalStep, { documentId: step.documentId, status: StepStatus.PENDING });
      await this.notifications(em).approvalHandled(document.id, unique(stillPending.flatMap((pending) => pending.assigneeIds)), new Date());
      deferAudit(em, { documentId: step.documentId, action: 'STEP_DELEGATED', ...actorOf(me), details: { stepId: step.id, from, fromRole, to: target, comment: comment?.trim() || null } });
      if (step.status === StepStatus.PENDING) {
        await this.notifications(em).notify({ userIds: [target], kind: 'APPROVAL_TASK', documentId: document.id, documentTitle: document.title, documentNumber: document.number, actorName: me.name, comment: comment?.trim() || null, dueAt: step.dueAt });
      }
      await this.notifications(em).documentChanged(document.id);
    });
    return this.context.em.findOneOrFail(ApprovalStep, { id: stepId }, { refresh: true });
  }

  /** After rework: a new round on the newest version, to everyone or only to those who had not approved. */
  async resubmit(documentId: string, mode: ResubmitMode, fileIds: string[] | null, comment: string | null): Promise<Document> {
    const identity = this.context.identity;
    await auditedTransaction(this.context.em, async (em) => {
      const document = await this.documents(em).lockReadable(em, documentId);
      if (!isOwner(identity, document) && !isDocumentsAdmin(identity) && document.authorId !== null) throw new ForbiddenError('Only the author or the responsible employee can resubmit the document');
      if (document.status !== DocumentStatus.REJECTED) throw new UserInputError('documentId', 'Only a rejected document is resubmitted', { reason: 'approval.not-rejected' });
      if (fileIds?.length) await new DocumentVersionService({ ...this.context, em }).addWithin(em, document, fileIds, comment, false);
      const last = await em.findOne(ApprovalRoute, { documentId: document.id }, { orderBy: { round: 'desc' } });
      if (!last || last.status !== RouteStatus.REJECTED) throw new UserInputError('documentId', 'There is no rejected route to resubmit', { reason: 'approval.not-rejected' });
      if (document.currentVersionNumber <= last.versionNumber) throw new UserInputError('fileIds', 'Upload the reworked version before resubmitting', { reason: 'approval.no-new-version' });
      const version = await em.findOneOrFail(DocumentVersion, { documentId: document.id, number: document.currentVersionNumber });
      const previous = await this.load(em, last);
      const route = em.create(ApprovalRoute, {
        documentId: document.id,
        round: last.round + 1,
        templateId: last.templateId,
        templateName: last.templateName,
        status: RouteStatus.ACTIVE,
        startedById: actorOf(identity).actorId,
        versionId: version.id,
        versionNumber: version.number,
      });
      const state: RouteState = { route, stages: [], steps: new Map() };
      let carried = 0;
      for (const old of previous.stages) {
        const stage = em.create(ApprovalStage, { routeId: route.id, position: old.position, name: old.name, mode: old.mode, rule: old.rule, quorum: old.quorum, signOff: old.signOff, status: StageStatus.WAITING });
        state.stages.push(stage);
        const steps = (previous.steps.get(old.id) ?? []).map((oldStep) => {
          const keep = mode === ResubmitMode.NOT_YET_APPROVED && !old.signOff && oldStep.status === StepStatus.APPROVED;
          if (keep) carried += 1;
          return em.create(ApprovalStep, {
            routeId: route.id,
            stageId: stage.id,
            documentId: document.id,
            position: oldStep.position,
            role: oldStep.role,
            assigneeIds: oldStep.assigneeIds,
            delegatedById: oldStep.delegatedById,
            delegatedAt: oldStep.delegatedAt,
            delegatedFromRole: oldStep.delegatedFromRole,
            delegatedFromIds: oldStep.delegatedFromIds,
            deadlineHours: oldStep.deadlineHours,
            status: keep ? StepStatus.APPROVED : StepStatus.WAITING,
            ...(keep
              ? { decidedById: oldStep.decidedById, decidedAt: oldStep.decidedAt, comment: oldStep.comment, decisionVersionId: oldStep.decisionVersionId, decisionVersionNumber: oldStep.decisionVersionNumber, carriedOver: true }
              : {}),
          });
        });
        state.steps.set(stage.id, steps);
      }
      changeStatus(em, document, DocumentStatus.ON_APPROVAL, actorOf(identity), comment?.trim() || null);
      const outcome: Outcome = { newTasks: [], signed: false, reachedSignOff: false };
      this.activate(state, state.stages[0], outcome);
      await this.advance(em, state, document, outcome);
      await em.flush();
      deferAudit(em, { documentId: document.id, action: 'ROUTE_RESUBMITTED', ...actorOf(identity), versionId: version.id, details: { routeId: route.id, round: route.round, mode, versionNumber: version.number, carriedOver: carried } });
      await this.tell(em, document, outcome);
    });
    return this.reload(documentId);
  }

  /** The author (or responsible) takes the document back from approval; it returns to draft. */
  recall(documentId: string, comment: string | null): Promise<Document> {
    return this.finish(documentId, RouteStatus.RECALLED, comment, (document) => {
      if (!isOwner(this.context.identity, document) && !isDocumentsAdmin(this.context.identity)) throw new ForbiddenError('Only the author or the responsible employee can recall the document');
    });
  }

  /** An administrator stops the route; the document returns to draft. */
  stop(documentId: string, comment: string | null): Promise<Document> {
    return this.finish(documentId, RouteStatus.STOPPED, comment, () => {
      if (!isDocumentsAdmin(this.context.identity)) throw new ForbiddenError('Only an administrator can stop a route');
    });
  }

  /**
   * Pending steps past their deadline that were not reported yet: one DEADLINE_PASSED notification to their
   * approvers and to the document's author and responsible. Run by the scheduled job.
   */
  async notifyOverdue(em: EntityManager, now: Date): Promise<number> {
    const rows = await em.execute<{ id: string; document_id: string; assignee_ids: string[] | string; due_at: Date }[]>(
      `update approval_steps set overdue_notified_at = ? where status = 'PENDING' and due_at < ? and overdue_notified_at is null returning id, document_id, assignee_ids, due_at`,
      [now, now],
    );
    for (const row of rows) {
      const document = await em.findOne(Document, { id: row.document_id });
      if (!document) continue;
      const assignees = Array.isArray(row.assignee_ids) ? row.assignee_ids : row.assignee_ids.replace(/[{}]/g, '').split(',').filter(Boolean);
      await this.notifications(em).notify({ userIds: unique([...assignees, document.authorId, document.responsibleId]), kind: 'DEADLINE_PASSED', documentId: document.id, documentTitle: document.title, documentNumber: document.number, dueAt: new Date(row.due_at) });
    }
    return rows.length;
  }

  // ---- reads ----

  /** Rounds of a document, newest first (batched). */
  routesOf(documentId: string): Promise<ApprovalRoute[]> {
    return this.context.loaders
      .get<ApprovalRoute[]>('approval:routes', async (ids) => groupByKeys(ids, await this.context.em.find(ApprovalRoute, { documentId: { $in: [...ids] } }, { orderBy: { round: 'desc' } }), (route) => route.documentId))
      .load(documentId)
      .then((routes) => routes ?? []);
  }

  stagesOf(routeId: string): Promise<ApprovalStage[]> {
    return this.context.loaders
      .get<ApprovalStage[]>('approval:stages', async (ids) => groupByKeys(ids, await this.context.em.find(ApprovalStage, { routeId: { $in: [...ids] } }, { orderBy: { position: 'asc' } }), (stage) => stage.routeId))
      .load(routeId)
      .then((stages) => stages ?? []);
  }

  stepsOf(stageId: string): Promise<ApprovalStep[]> {
    return this.context.loaders
      .get<ApprovalStep[]>('approval:steps', async (ids) => groupByKeys(ids, await this.context.em.find(ApprovalStep, { stageId: { $in: [...ids] } }, { orderBy: { position: 'asc' } }), (step) => step.stageId))
      .load(stageId)
      .then((steps) => steps ?? []);
  }

  stageById(stageId: string): Promise<ApprovalStage | null> {
    return this.context.loaders
      .get<ApprovalStage>('approval:stage-by-id', async (ids) => {
        const rows = await this.context.em.find(ApprovalStage, { id: { $in: [...ids] } });
        const index = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => index.get(id) ?? null);
      })
      .load(stageId);
  }

  /**
   * The steps of a document waiting for a decision now (any approver; batched across documents): whoever holds
   * one of them must act. Empty when the document is not on approval.
   */
  async pendingStepsOf(documentId: string): Promise<ApprovalStep[]> {
    const steps = await this.context.loaders
      .get<ApprovalStep[]>('approval:pending', async (ids) =>
        groupByKeys(ids, await this.context.em.find(ApprovalStep, { documentId: { $in: [...ids] }, status: StepStatus.PENDING }, { orderBy: { position: 'asc', id: 'asc' } }), (step) => step.documentId),
      )
      .load(documentId);
    return steps ?? [];
  }

  /** The caller's pending steps on a document (batched across documents, e.g. the card's list). */
  async myPendingStepsOf(documentId: string): Promise<ApprovalStep[]> {
    const identity = this.context.identity;
    if (identity.kind !== 'user') return [];
    const steps = await this.context.loaders
      .get<ApprovalStep[]>('approval:my-pending', async (ids) =>
        groupByKeys(ids, await this.context.em.find(ApprovalStep, { documentId: { $in: [...ids] }, status: StepStatus.PENDING, assigneeIds: { $contains: [identity.id] } }, { orderBy: { position: 'asc' } }), (step) => step.documentId),
      )
      .load(documentId);
    return steps ?? [];
  }

  /** "My tasks": the caller's pending steps on documents they may read, earliest deadline first. */
  async myTasks(first: number, after: string | null): Promise<ConnectionShape<ApprovalStep>> {
    const me = requireStaff(this.context.identity);
    const access = readableSql('d', me);
    let cursorSql = '';
    const cursorParams: string[] = [];
    if (after) {
      const [dueAt, id] = decodeCursor(after, ['timestamp?', 'uuid']);
      if (typeof dueAt !== 'string' || Number.isNaN(Date.parse(dueAt)) || typeof id !== 'string' || !isUuid(id)) throw new UserInputError('after', 'The cursor is not valid for this list');
      cursorSql = 'and (s.due_at, s.id) > (?::timestamptz, ?::uuid)';
      cursorParams.push(dueAt, id);
    }
    const base = `from approval_steps s join documents d on d.id = s.document_id where s.status = 'PENDING' and ?::uuid = any(s.assignee_ids) and ${access.sql}`;
    const connection = this.context.em.getConnection();
    const [rows, counts] = await Promise.all([
      connection.execute<Record<string, unknown>[]>(`select s.* ${base} ${cursorSql} order by s.due_at asc, s.id asc limit ?`, [me.id, ...access.params, ...cursorParams, first + 1]),
      connection.execute<{ total: number }[]>(`select count(*)::int as total ${base}`, [me.id, ...access.params]),
    ]);
    const steps = rows.map((row) => this.context.em.map(ApprovalStep, row));
    return toConnection(steps, first, counts[0]?.total ?? 0, (step) => encodeCursor([step.dueAt?.toISOString() ?? null, step.id]));
  }

  canDecide(step: ApprovalStep): boolean {
    const identity = this.context.identity;
    return identity.kind === 'user' && step.status === StepStatus.PENDING && step.assigneeIds.includes(identity.id) && hasPermission(identity, 'documents:approve');
  }

  // ---- the engine ----

  private async decide(stepId: string, decision: StepStatus.APPROVED | StepStatus.REJECTED, comment: string | null): Promise<ApprovalStep> {
    const me = requireStaff(this.context.identity);
    await auditedTransaction(this.context.em, async (em) => {
      // Under the document's row lock: the route, its stages and steps (this one among them) read once each.
      const { document, route, state, step: live } = await this.lockDecision(em, stepId);
      if (!live.assigneeIds.includes(me.id)) throw new ForbiddenError('Only the assigned approver can decide this step');
      if (!hasPermission(me, 'documents:approve')) throw new ForbiddenError('Missing permission documents:approve');
      if (route.status !== RouteStatus.ACTIVE || live.status !== StepStatus.PENDING) {
        throw new ConflictError(live.status === StepStatus.WAITING ? 'This step is not yet yours to decide' : 'This step has already been decided or the route has ended', { reason: 'approval.step-not-pending', status: live.status });
      }
      live.status = decision;
      live.decidedById = me.id;
      live.decidedAt = new Date();
      live.comment = comment;
      live.decisionVersionId = route.versionId;
      live.decisionVersionNumber = route.versionNumber;
      // The decision is recorded first (audit order: decision, then what it caused).
      await em.flush();
      deferAudit(em, { documentId: document.id, action: decision === StepStatus.APPROVED ? 'STEP_APPROVED' : 'STEP_REJECTED', ...actorOf(me), versionId: route.versionId, details: { stepId: live.id, routeId: route.id, round: route.round, versionNumber: route.versionNumber, comment } });
      const outcome: Outcome = { newTasks: [], signed: false, reachedSignOff: false };
      if (decision === StepStatus.REJECTED) {
        for (const stage of state.stages) {
          if (stage.id === live.stageId) stage.status = StageStatus.REJECTED;
          else if (stage.status === StageStatus.WAITING || stage.status === StageStatus.ACTIVE) stage.status = StageStatus.CANCELLED;
          for (const other of state.steps.get(stage.id) ?? []) {
            if (other.status === StepStatus.PENDING || other.status === StepStatus.WAITING) other.status = StepStatus.CANCELLED;
          }
        }
        route.status = RouteStatus.REJECTED;
        route.finishedAt = new Date();
        changeStatus(em, document, DocumentStatus.REJECTED, actorOf(me), comment);
      } else {
        await this.advance(em, state, document, outcome);
      }
      await em.flush();
      // The decided step's request, and those of steps this decision closed (ANY/QUORUM, rejection), are handled.
      await this.notifications(em).approvalHandled(document.id, pendingAssignees(state), new Date());
      const owners = unique([document.authorId, document.responsibleId]).filter((id) => id !== me.id);
      if (decision === StepStatus.REJECTED) {
        await this.notifications(em).notify({ userIds: owners, kind: 'REWORK_NEEDED', documentId: document.id, documentTitle: document.title, documentNumber: document.number, actorName: me.name, comment });
      } else if (!outcome.signed) {
        await this.notifications(em).notify({ userIds: owners, kind: 'DECISION_MADE', documentId: document.id, documentTitle: document.title, documentNumber: document.number, actorName: me.name, comment });
      }
      await this.tell(em, document, outcome);
    });
    return this.context.em.findOneOrFail(ApprovalStep, { id: stepId }, { refresh: true });
  }

  /** Moves the route forward from its active stage as far as the approvals allow. */
  private async advance(em: EntityManager, state: RouteState, document: Document, outcome: Outcome): Promise<void> {
    for (;;) {
      const stage = state.stages.find((candidate) => candidate.status === StageStatus.ACTIVE);
      if (!stage) return;
      const steps = state.steps.get(stage.id) ?? [];
      const approvals = steps.filter((step) => step.status === StepStatus.APPROVED).length;
      if (approvals >= required(stage, steps)) {
        for (const step of steps) if (step.status === StepStatus.PENDING || step.status === StepStatus.WAITING) step.status = StepStatus.SKIPPED;
        stage.status = StageStatus.COMPLETED;
        stage.completedAt = new Date();
        const next = state.stages.filter((candidate) => candidate.position > stage.position).sort((a, b) => a.position - b.position)[0];
        if (!next) {
          await this.complete(em, state, document, outcome);
          return;
        }
        if (next.signOff) {
          changeStatus(em, document, DocumentStatus.APPROVED, actorOf(this.context.identity));
          outcome.reachedSignOff = true;
        }
        this.activate(state, next, outcome);
        continue;
      }
      if (stage.mode === StageMode.SEQUENTIAL && !steps.some((step) => step.status === StepStatus.PENDING)) {
        const waiting = steps.find((step) => step.status === StepStatus.WAITING);
        if (waiting) this.pend(waiting, outcome);
      }
      return;
    }
  }

  private activate(state: RouteState, stage: ApprovalStage, outcome: Outcome): void {
    stage.status = StageStatus.ACTIVE;
    const waiting = (state.steps.get(stage.id) ?? []).filter((step) => step.status === StepStatus.WAITING);
    if (stage.mode === StageMode.PARALLEL) waiting.forEach((step) => this.pend(step, outcome));
    else if (waiting.length) this.pend(waiting[0], outcome);
  }

  private pend(step: ApprovalStep, outcome: Outcome): void {
    step.status = StepStatus.PENDING;
    step.dueAt = new Date(Date.now() + step.deadlineHours * HOUR_MS);
    outcome.newTasks.push(step);
  }

  /**
   * The sign-off is complete: the route ends and the document is signed (registered if it was not), by the
   * approver whose decision completed it. A contract whose start date has come goes in force in the same
   * transaction; SIGNED stays observable all the same: `signedAt`/`signedBy`, the status history (SIGNED,
   * then IN_FORCE), a status-changed event for each status and one `documents.document.signed` event.
   */
  private async complete(em: EntityManager, state: RouteState, document: Document, outcome: Outcome): Promise<void> {
    const actor = actorOf(this.context.identity);
    state.route.status = RouteStatus.COMPLETED;
    state.route.finishedAt = new Date();
    changeStatus(em, document, DocumentStatus.SIGNED, actor);
    document.signedAt = new Date();
    document.signedById = actor.actorKind === 'user' ? actor.actorId : null;
    outcome.signed = true;
    await em.flush();
    if (!document.registeredAt) await new JournalService(em).registerWithin(document, actor);
    deferAudit(em, { documentId: document.id, action: 'DOCUMENT_SIGNED', ...actor, versionId: state.route.versionId, details: { routeId: state.route.id, round: state.route.round, versionNumber: state.route.versionNumber, number: document.number } });
    if (document.type === DocumentType.CONTRACT && document.startDate && document.startDate <= todayUtc()) {
      // A deal hears SIGNED too, not only IN_FORCE (which `tell` publishes afterwards in this transaction).
      await publishDealDocumentStatus(em, document);
      changeStatus(em, document, DocumentStatus.IN_FORCE, { actorId: null, actorKind: 'system' }, 'start date reached');
      await em.flush();
      deferAudit(em, { documentId: document.id, action: 'STATUS_CHANGED', actorId: null, actorKind: 'system', details: { from: 'SIGNED', to: 'IN_FORCE', reason: 'start date reached' } });
    }
    await publishDocumentSigned(em, document);
  }

  private async finish(documentId: string, status: RouteStatus.RECALLED | RouteStatus.STOPPED, comment: string | null, authorize: (document: Document) => void): Promise<Document> {
    const identity = this.context.identity;
    await auditedTransaction(this.context.em, async (em) => {
      const document = await this.documents(em).lockReadable(em, documentId);
      authorize(document);
      const route = await em.findOne(ApprovalRoute, { documentId: document.id, status: RouteStatus.ACTIVE });
      if (!route || (document.status !== DocumentStatus.ON_APPROVAL && document.status !== DocumentStatus.APPROVED)) {
        throw new UserInputError('documentId', 'The document is not on approval', { reason: 'approval.not-active' });
      }
      const state = await this.load(em, route);
      const pendingApprovers = unique([...state.steps.values()].flat().filter((step) => step.status === StepStatus.PENDING).flatMap((step) => step.assigneeIds));
      for (const stage of state.stages) {
        if (stage.status === StageStatus.WAITING || stage.status === StageStatus.ACTIVE) stage.status = StageStatus.CANCELLED;
        for (const step of state.steps.get(stage.id) ?? []) if (step.status === StepStatus.PENDING || step.status === StepStatus.WAITING) step.status = StepStatus.CANCELLED;
      }
      route.status = status;
      route.finishedAt = new Date();
      route.finishComment = comment?.trim() || null;
      route.finishedById = actorOf(identity).actorId;
      changeStatus(em, document, DocumentStatus.DRAFT, actorOf(identity), route.finishComment);
      await em.flush();
      await this.notifications(em).approvalHandled(document.id, [], new Date());
      deferAudit(em, { documentId: document.id, action: status === RouteStatus.RECALLED ? 'ROUTE_RECALLED' : 'ROUTE_STOPPED', ...actorOf(identity), versionId: route.versionId, details: { routeId: route.id, round: route.round, comment: route.finishComment } });
      await this.notifications(em).notify({ userIds: pendingApprovers, kind: 'DECISION_MADE', documentId: document.id, documentTitle: document.title, documentNumber: document.number, actorName: identity.kind === 'anonymous' ? null : identity.name, comment: route.finishComment ?? (status === RouteStatus.RECALLED ? 'Recalled by the author' : 'Stopped by an administrator') });
      await this.notifications(em).documentChanged(document.id);
      await publishDealDocumentStatus(em, document);
    });
    return this.reload(documentId);
  }

  /** Notifications for the new tasks and the signature; a live ping for everyone watching the document. */
  private async tell(em: EntityManager, document: Document, outcome: Outcome): Promise<void> {
    const notifications = this.notifications(em);
    const actorName = this.context.identity.kind === 'anonymous' ? null : this.context.identity.name;
    for (const step of outcome.newTasks) {
      await notifications.notify({ userIds: step.assigneeIds, kind: 'APPROVAL_TASK', documentId: document.id, documentTitle: document.title, documentNumber: document.number, actorName, dueAt: step.dueAt });
    }
    if (outcome.signed) {
      await notifications.notify({ userIds: unique([document.authorId, document.responsibleId]), kind: 'DOCUMENT_SIGNED', documentId: document.id, documentTitle: document.title, documentNumber: document.number, actorName });
    }
    await notifications.documentChanged(document.id);
    await publishDealDocumentStatus(em, document);
  }

  private async lockStep(em: EntityManager, stepId: string): Promise<ApprovalStep> {
    if (!isUuid(stepId)) throw new NotFoundError('ApprovalStep', stepId);
    const found = await em.findOne(ApprovalStep, { id: stepId });
    if (!found) throw new NotFoundError('ApprovalStep', stepId);
    // The document row lock serializes every change of its routes; then read the step again.
    await this.documents(em).lockReadable(em, found.documentId);
    return em.findOneOrFail(ApprovalStep, { id: stepId }, { refresh: true });
  }

  /**
   * A decision's reads: the step (before the lock, for its document and route), the document's row lock, then the
   * route and its stages and steps — the step itself read again among them, so nothing is read twice under the lock.
   */
  private async lockDecision(em: EntityManager, stepId: string): Promise<{ document: Document; route: ApprovalRoute; state: RouteState; step: ApprovalStep }> {
    if (!isUuid(stepId)) throw new NotFoundError('ApprovalStep', stepId);
    const found = await em.findOne(ApprovalStep, { id: stepId });
    if (!found) throw new NotFoundError('ApprovalStep', stepId);
    const document = await this.documents(em).lockReadable(em, found.documentId);
    const route = await em.findOneOrFail(ApprovalRoute, { id: found.routeId }, { refresh: true });
    const state = await this.load(em, route);
    const step = [...state.steps.values()].flat().find((candidate) => candidate.id === found.id);
    if (!step) throw new NotFoundError('ApprovalStep', stepId);
    return { document, route, state, step };
  }

  private async load(em: EntityManager, route: ApprovalRoute): Promise<RouteState> {
    const stages = await em.find(ApprovalStage, { routeId: route.id }, { orderBy: { position: 'asc' }, refresh: true });
    const steps = await em.find(ApprovalStep, { routeId: route.id }, { orderBy: { position: 'asc' }, refresh: true });
    return { route, stages, steps: new Map(stages.map((stage) => [stage.id, steps.filter((step) => step.stageId === stage.id)])) };
  }

  /** Resolves each step's approver at start: the user, or the active approving members of the role. */
  private async resolveAssignees(em: EntityManager, specs: RouteStageSpec[]): Promise<string[][][]> {
    const staff = new StaffService(em);
    const users = new Map((await staff.findByIds(unique(specs.flatMap((spec) => spec.steps.map((step) => step.userId))))).map((member) => [member.id, member]));
    const roleMembers = new Map<string, string[]>();
    for (const role of unique(specs.flatMap((spec) => spec.steps.map((step) => step.role)))) {
      roleMembers.set(role, (await staff.activeMembersOfRole(role)).filter((member) => rolesMayApprove(member.roles)).map((member) => member.id));
    }
    return specs.map((spec) =>
      spec.steps.map((step) => {
        if (step.userId) {
          const member = users.get(step.userId);
          if (!member || !member.active || !rolesMayApprove(member.roles)) {
            throw new UserInputError('routeTemplateId', `An approver of stage «${spec.name}» can no longer approve documents; an administrator updates the template`, { reason: 'approval.approver-unavailable' });
          }
          return [member.id];
        }
        const members = roleMembers.get(step.role ?? '') ?? [];
        if (!members.length) throw new UserInputError('routeTemplateId', `Nobody holds the role ${step.role} needed by stage «${spec.name}»`, { reason: 'approval.role-empty' });
        return members;
      }),
    );
  }

  private async nextRound(em: EntityManager, documentId: string): Promise<number> {
    const rows = await em.execute<{ round: number | null }[]>('select max(round)::int as round from approval_routes where document_id = ?', [documentId]);
    return (rows[0]?.round ?? 0) + 1;
  }

  private documents(em: EntityManager): DocumentReader {
    return new DocumentReader({ ...this.context, em });
  }

  private notifications(em: EntityManager): NotificationService {
    return new NotificationService(em);
  }

  private reload(documentId: string): Promise<Document> {
    return this.context.em.findOneOrFail(Document, { id: documentId }, { refresh: true });
  }
}
