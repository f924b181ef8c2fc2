import { ConnectionType, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Counterparty, counterpartyStub } from '../counterparty/counterparty.stub';
import { Deal } from '../deal/deal.entity';
import { DealService } from '../deal/deal.service';
import { Project } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { User, userStub } from '../user/user.stub';
import { TaskComment } from './task-comment.entity';
import { Task } from './task.entity';
import { AddTaskCommentInput, CreateTaskInput, MyTasksArgs, TasksArgs, TaskTransitionInput, UpdateTaskInput } from './task.input';
import { TaskService } from './task.service';

export const TaskConnection = ConnectionType(Task, 'Task');

@Resolver(() => Task)
export class TaskResolver {
  @Authorized('tasks:read')
  @Query(() => Task, { nullable: true, description: 'A task by id; null if there is none' })
  task(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Task | null> {
    return new TaskService(context).findById(id);
  }

  @Authorized('tasks:read')
  @Query(() => TaskConnection, { description: 'Tasks by due time (none last), then id' })
  tasks(@Args() { assigneeId, status, dueBefore, dueAfter, counterpartyId, documentId, dealId, projectId, first, after }: TasksArgs, @Ctx() context: SubgraphContext) {
    return new TaskService(context).list({ assigneeId, statuses: status ? [status] : null, dueBefore, dueAfter, counterpartyId, documentId, dealId, projectId }, { first, after });
  }

  @Authorized('tasks:read')
  @Query(() => TaskConnection, { description: 'The calling staff member\'s tasks by due time: the open ones unless a status is given' })
  myTasks(@Args() { status, dueBefore, dueAfter, first, after }: MyTasksArgs, @Ctx() context: SubgraphContext) {
    return new TaskService(context).mine(status, { first, after }, { dueBefore, dueAfter });
  }

  @Authorized('tasks:write')
  @Mutation(() => Task, { description: 'Creates a task (assigned to the creator when no assignee is given)' })
  createTask(@Arg('input') input: CreateTaskInput, @Ctx() context: SubgraphContext): Promise<Task> {
    return new TaskService(context).create(input);
  }

  @Authorized('tasks:read')
  @Mutation(() => Task, { description: 'Changes a task: its author and assignee may, others need tasks:write' })
  updateTask(@Arg('input') input: UpdateTaskInput, @Ctx() context: SubgraphContext): Promise<Task> {
    return new TaskService(context).update(input);
  }

  @Authorized('tasks:read')
  @Mutation(() => Task, { description: 'Marks a task done; its reminders in the inbox count as handled' })
  completeTask(@Arg('input') input: TaskTransitionInput, @Ctx() context: SubgraphContext): Promise<Task> {
    return new TaskService(context).complete(input);
  }

  @Authorized('tasks:read')
  @Mutation(() => Task, { description: 'Opens a done or cancelled task again' })
  reopenTask(@Arg('input') input: TaskTransitionInput, @Ctx() context: SubgraphContext): Promise<Task> {
    return new TaskService(context).reopen(input);
  }

  @Authorized('tasks:read')
  @Mutation(() => TaskComment, { description: 'Adds a plain-text comment to a task' })
  addTaskComment(@Arg('input') input: AddTaskCommentInput, @Ctx() context: SubgraphContext): Promise<TaskComment> {
    return new TaskService(context).addComment(input);
  }

  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() task: Task): User | null {
    return userStub(task.assigneeId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who created the task (null for partner systems)' })
  author(@Root() task: Task): User | null {
    return userStub(task.authorId);
  }

  @FieldResolver(() => User, { nullable: true })
  completedBy(@Root() task: Task): User | null {
    return userStub(task.completedById);
  }

  @FieldResolver(() => Counterparty, { nullable: true, description: 'The linked counterparty (resolved by the counterparties service)' })
  counterparty(@Root() task: Task): Counterparty | null {
    return task.counterpartyId ? counterpartyStub(task.counterpartyId) : null;
  }

  @Authorized('deals:read')
  @FieldResolver(() => Deal, { nullable: true })
  deal(@Root() task: Task, @Ctx() context: SubgraphContext): Promise<Deal | null> {
    return task.dealId ? new DealService(context).dealById(task.dealId) : Promise.resolve(null);
  }

  @Authorized('projects:read')
  @FieldResolver(() => Project, { nullable: true })
  project(@Root() task: Task, @Ctx() context: SubgraphContext): Promise<Project | null> {
    return task.projectId ? new ProjectService(context).projectById(task.projectId) : Promise.resolve(null);
  }

  @FieldResolver(() => [TaskComment], { description: 'Comments, oldest first (batched across tasks)' })
  comments(@Root() task: Task, @Ctx() context: SubgraphContext): Promise<TaskComment[]> {
    return new TaskService(context).commentsOf(task.id);
  }
}

@Resolver(() => TaskComment)
export class TaskCommentResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The staff member who wrote it; null for partner systems' })
  author(@Root() comment: TaskComment): User | null {
    return comment.authorKind === 'user' ? userStub(comment.authorId) : null;
  }
}
