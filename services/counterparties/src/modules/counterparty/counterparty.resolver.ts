import { argumentValue, ConnectionArgs, type ConnectionShape, ConnectionType, type CountedConnection, DEFAULT_PAGE_SIZE, listCountsOf, MAX_PAGE_SIZE, selectedFields, type SubgraphContext } from '@kartoteka/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { User, userStub } from '../user/user.stub';
import { CounterpartyConnection } from './counterparty-connection.resolver';
import { Counterparty, CounterpartyBankAccount, CounterpartyContact } from './counterparty.entity';
import { CounterpartyChange } from './counterparty-change.entity';
import { CounterpartiesArgs, CreateCounterpartyInput, UpdateCounterpartyInput } from './counterparty.input';
import { MAX_IDS, type CardParts } from './counterparty.repository';
import { CARD_LOADERS, CounterpartyService } from './counterparty.service';

export const CounterpartyChangeConnection = ConnectionType(CounterpartyChange, 'CounterpartyChange');

/**
 * The parts of the card the query asks for under `counterparty`, read with it in one statement. The history's
 * first page only when its arguments are a valid first page (no `after`): anything else is left to the field
 * resolver, whose arguments are checked before it runs.
 */
function cardPartsOf(info: GraphQLResolveInfo): CardParts {
  const fields = selectedFields(info);
  const history = fields.get('history');
  let historyFirst: number | null = null;
  const after = history ? argumentValue(history, 'after', info) : undefined;
  if (history && (after === undefined || after === null)) {
    const first = argumentValue(history, 'first', info) ?? DEFAULT_PAGE_SIZE;
    if (typeof first === 'number' && Number.isInteger(first) && first >= 1 && first <= MAX_PAGE_SIZE) historyFirst = first;
  }
  return { contacts: fields.has('contacts'), bankAccounts: fields.has('bankAccounts'), historyFirst };
}

@Resolver(() => Counterparty)
export class CounterpartyResolver {
  @Authorized('counterparties:read')
  @Query(() => CounterpartyConnection, { description: 'Active counterparties by name; with a search, by relevance. Archived ones only with status: ARCHIVED' })
  counterparties(@Args() args: CounterpartiesArgs, @Ctx() context: SubgraphContext, @Info() info: GraphQLResolveInfo): Promise<CountedConnection<Counterparty>> {
    return new CounterpartyService(context).list({ ...args, ...listCountsOf(info) });
  }

  @Authorized('counterparties:read')
  @Query(() => [Counterparty], {
    description: `Counterparties by id (at most ${MAX_IDS}), archived or not, in the order of the ids; ids of none are left out (e.g. the recently opened ones)`,
  })
  counterpartiesByIds(@Arg('ids', () => [ID]) ids: string[], @Ctx() context: SubgraphContext): Promise<Counterparty[]> {
    return new CounterpartyService(context).byIds(ids);
  }

  @Authorized('counterparties:read')
  @Query(() => Counterparty, { nullable: true, description: 'A counterparty, archived or not; null when there is none with this id' })
  counterparty(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext, @Info() info: GraphQLResolveInfo): Promise<Counterparty | null> {
    return new CounterpartyService(context).findCard(id, cardPartsOf(info), context.loaders);
  }

  @Authorized('counterparties:write')
  @Mutation(() => Counterparty)
  createCounterparty(@Arg('input') input: CreateCounterpartyInput, @Ctx() context: SubgraphContext): Promise<Counterparty> {
    return new CounterpartyService(context).create(input);
  }

  @Authorized('counterparties:write')
  @Mutation(() => Counterparty, { description: 'Changes the given fields; lists replace the whole list. A stale version fails with CONFLICT' })
  updateCounterparty(@Arg('input') input: UpdateCounterpartyInput, @Ctx() context: SubgraphContext): Promise<Counterparty> {
    return new CounterpartyService(context).update(input);
  }

  @Authorized('counterparties:write')
  @Mutation(() => Counterparty, { description: 'Moves to the archive (status ARCHIVED), freeing its INN + KPP; archiving an archived counterparty changes nothing' })
  archiveCounterparty(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Counterparty> {
    return new CounterpartyService(context).archive(id);
  }

  @Authorized('counterparties:write')
  @Mutation(() => Counterparty, { description: 'Returns from the archive with the status it had (fails if another active counterparty has its INN + KPP); restoring an active one changes nothing' })
  restoreCounterparty(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Counterparty> {
    return new CounterpartyService(context).restore(id);
  }

  @FieldResolver(() => [CounterpartyBankAccount])
  async bankAccounts(@Root() counterparty: Counterparty, @Ctx() context: SubgraphContext): Promise<CounterpartyBankAccount[]> {
    const loader = context.loaders.get(CARD_LOADERS.bankAccounts, (ids) => new CounterpartyService(context).bankAccountsOf(ids));
    return (await loader.load(counterparty.id)) ?? [];
  }

  @FieldResolver(() => [CounterpartyContact])
  async contacts(@Root() counterparty: Counterparty, @Ctx() context: SubgraphContext): Promise<CounterpartyContact[]> {
    const loader = context.loaders.get(CARD_LOADERS.contacts, (ids) => new CounterpartyService(context).contactsOf(ids));
    return (await loader.load(counterparty.id)) ?? [];
  }

  @FieldResolver(() => User, { nullable: true })
  responsibleManager(@Root() counterparty: Counterparty): User | null {
    return userStub(counterparty.responsibleManagerId);
  }

  @FieldResolver(() => CounterpartyChangeConnection, { description: 'Changes, newest first' })
  async history(@Root() counterparty: Counterparty, @Args() args: ConnectionArgs, @Ctx() context: SubgraphContext): Promise<ConnectionShape<CounterpartyChange>> {
    // One loader per page shape: the same page of many counterparties' histories is loaded in one batch.
    const loader = context.loaders.get(CARD_LOADERS.history(args.first, args.after), (ids) => new CounterpartyService(context).historyOf(ids, args.first, args.after));
    return (await loader.load(counterparty.id)) ?? { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
  }
}

@Resolver(() => CounterpartyChange)
export class CounterpartyChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The user who made the change; null for changes made with an API key (see actorName)' })
  actor(@Root() change: CounterpartyChange): User | null {
    return change.actorKind === 'user' ? userStub(change.actorId) : null;
  }
}
