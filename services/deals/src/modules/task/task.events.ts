import type { EntityManager } from '@mikro-orm/postgresql';
import { publishEvent, TASK_CREATED, type Identity, type TaskCreated } from '@kartoteka/kit';
import type { Task } from './task.entity';

/** `deals.task.created`, in the transaction that creates the task (for the counterparty timeline and others). */
export async function publishTaskCreated(em: EntityManager, task: Task, identity: Identity, at: Date): Promise<void> {
  const payload: TaskCreated = {
    taskId: task.id,
    title: task.title,
    assigneeId: task.assigneeId,
    // a staff member (the timeline names them); a partner system's API key is no user
    createdById: identity.kind === 'user' ? identity.id : null,
    dueAt: task.dueAt ? task.dueAt.toISOString() : null,
    priority: task.priority,
    counterpartyId: task.counterpartyId,
    dealId: task.dealId,
    projectId: task.projectId,
    documentId: task.documentId,
    createdAt: at.toISOString(),
  };
  await publishEvent(em, TASK_CREATED, payload);
}
