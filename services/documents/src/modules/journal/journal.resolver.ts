import type { SubgraphContext } from '@kartoteka/kit';
import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { DocumentType } from '../document/document.entity';
import { UpdateDocumentJournalInput } from './journal.input';
import { JournalService, type JournalState } from './journal.service';

@ObjectType('DocumentJournal', { description: 'The registration journal of a document type in a year' })
export class DocumentJournalType implements JournalState {
  @Field(() => DocumentType)
  type!: DocumentType;

  @Field(() => Int)
  year!: number;

  @Field({ description: 'Prefix of registration numbers, e.g. «Д» in Д-2026-00015' })
  prefix!: string;

  @Field(() => Int, { description: 'The last number taken in the year; 0 when none' })
  lastNumber!: number;

  @Field({ description: 'The number the next registration takes, unless another one takes it first' })
  nextNumber!: string;
}

@Resolver(() => DocumentJournalType)
export class JournalResolver {
  @Authorized('documents:read')
  @Query(() => [DocumentJournalType], { description: 'The journals of every document type in a year (the current year by default)' })
  documentJournals(@Arg('year', () => Int, { nullable: true }) year: number | null, @Ctx() context: SubgraphContext): Promise<JournalState[]> {
    return new JournalService(context.em).list(year);
  }

  @Authorized('documents:configure')
  @Mutation(() => DocumentJournalType, { description: 'Changes the number prefix of a document type (administrators); returns its journal of the current year' })
  updateDocumentJournal(@Arg('input') input: UpdateDocumentJournalInput, @Ctx() context: SubgraphContext): Promise<JournalState> {
    return new JournalService(context.em).updatePrefix(input.type, input.prefix);
  }
}
