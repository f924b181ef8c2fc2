import { ConnectionType, NotFoundError, isUuid, type ConnectionShape, type SubgraphContext } from '@kartoteka/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { User, userStub } from '../user/user.stub';
import { ImportColumnMapping, ImportCounters, ImportJob, ImportRowView } from './import-job.entity';
import { ImportRowsArgs, SetImportMappingInput, StartImportInput } from './import.input';
import { suggestMapping } from './import.mapping';
import { ImportService } from './import.service';

export const ImportRowConnection = ConnectionType(ImportRowView, 'ImportRow');

@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Authorized('counterparties:import')
  @Query(() => ImportJob, { description: 'An import of counterparties (poll it for the preview\'s and the run\'s progress)' })
  importJob(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<ImportJob> {
    if (!isUuid(id)) throw new NotFoundError('ImportJob', id.slice(0, 40));
    return new ImportService(context).job(id);
  }

  @Authorized('counterparties:import')
  @Query(() => [ImportJob], { description: 'The latest imports, newest first' })
  importJobs(@Arg('first', () => Int, { defaultValue: 20 }) first: number, @Ctx() context: SubgraphContext): Promise<ImportJob[]> {
    return new ImportService(context).recent(Math.min(Math.max(first, 1), 100));
  }

  @Authorized('counterparties:import')
  @Query(() => ImportRowConnection, { description: 'Rows of an import in file order, with their verdicts and outcomes' })
  importRows(@Args() args: ImportRowsArgs, @Ctx() context: SubgraphContext): Promise<ConnectionShape<ImportRowView>> {
    return new ImportService(context).rows(args.jobId, args.status, args.first, args.after);
  }

  @Authorized('counterparties:import')
  @Mutation(() => ImportJob, { description: 'Maps the file\'s columns to fields and starts the preview (status MAPPED, then PREVIEWED)' })
  setImportMapping(@Arg('input') input: SetImportMappingInput, @Ctx() context: SubgraphContext): Promise<ImportJob> {
    return new ImportService(context).setMapping(input.jobId, input.columns, input.duplicatePolicy);
  }

  @Authorized('counterparties:import')
  @Mutation(() => ImportJob, { description: 'Writes the previewed rows in the background (status RUNNING, then COMPLETED)' })
  startImport(@Arg('input') input: StartImportInput, @Ctx() context: SubgraphContext): Promise<ImportJob> {
    return new ImportService(context).start(input.jobId, input.duplicatePolicy);
  }

  @Authorized('counterparties:import')
  @Mutation(() => ImportJob, { description: 'Stops an import; rows already written stay' })
  cancelImport(@Arg('jobId', () => ID) jobId: string, @Ctx() context: SubgraphContext): Promise<ImportJob> {
    return new ImportService(context).cancel(jobId);
  }

  @FieldResolver(() => [ImportColumnMapping], { description: 'The mapping in force (empty before setImportMapping)' })
  mapping(@Root() job: ImportJob): ImportColumnMapping[] {
    return job.mapping;
  }

  @FieldResolver(() => [ImportColumnMapping], { description: 'A mapping guessed from the header names (RU and EN)' })
  suggestedMapping(@Root() job: ImportJob): ImportColumnMapping[] {
    return suggestMapping(job.headers);
  }

  @FieldResolver(() => ImportCounters)
  counters(@Root() job: ImportJob): ImportCounters {
    return {
      valid: job.validCount,
      invalid: job.invalidCount,
      duplicate: job.duplicateCount,
      created: job.createdCount,
      updated: job.updatedCount,
      skipped: job.skippedCount,
      refused: job.refusedCount,
    };
  }

  @FieldResolver(() => Int, { description: 'Rows the current phase goes through: the file\'s data rows' })
  total(@Root() job: ImportJob): number {
    return job.rowCount;
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy(@Root() job: ImportJob): User | null {
    return job.createdByKind === 'user' ? userStub(job.createdById) : null;
  }
}
