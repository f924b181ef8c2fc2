import 'reflect-metadata';
import { graphql, type GraphQLSchema } from 'graphql';
import { Arg, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { createFormatError } from '../../errors/format-error';
import { buildFederatedSchema } from '../build-subgraph';
import { AmountMinorField, IsoDateField, JsonObjectField, OptionalIsoDateField } from '../input-fields';
import { MAX_AMOUNT_MINOR } from '../money';

const calls: unknown[] = [];
const formatError = createFormatError({ exposeInternals: false });

@InputType()
class LineInput {
  @Field() title!: string;
  @AmountMinorField() amountMinor!: number;
}

@InputType()
class DetailsInput {
  @IsoDateField('YYYY-MM-DD') dueDate!: string;
}

@InputType()
class ThingInput {
  @Field() title!: string;
  @Field(() => ID, { nullable: true }) ownerId?: string | null;
  @Field(() => [LineInput], { nullable: true }) @IsOptional() @ValidateNested() lines?: LineInput[] | null;
  @Field(() => DetailsInput, { nullable: true }) @IsOptional() @ValidateNested() details?: DetailsInput | null;
  @OptionalIsoDateField('YYYY-MM-DD') date?: string | null;
  @JsonObjectField({ nullable: true }) data?: Record<string, unknown> | null;
}

@ObjectType()
class Int0 {
  @Field() count!: number;
}

@ObjectType()
class Thing {
  @Field() title!: string;
}

@Resolver()
class ThingResolver {
  @Query(() => Int0)
  things(@Arg('search', () => String, { nullable: true }) search: string | null): Int0 {
    calls.push(search);
    return Object.assign(new Int0(), { count: 0 });
  }

  @Mutation(() => Thing)
  createThing(@Arg('input', () => ThingInput) input: ThingInput): Thing {
    calls.push(input);
    return Object.assign(new Thing(), { title: input.title });
  }
}

let schema: GraphQLSchema;
beforeAll(async () => {
  ({ schema } = await buildFederatedSchema({ resolvers: [ThingResolver] }));
});
beforeEach(() => {
  calls.length = 0;
});

const CREATE = 'mutation($input: ThingInput!) { createThing(input: $input) { title } }';

async function run(source: string, variableValues: Record<string, unknown> = {}) {
  const result = await graphql({ schema, source, variableValues, contextValue: {} });
  // as a server answers: through the one formatError (class-validator failures get their `field` there)
  const errors = result.errors?.map((error) => formatError(error.toJSON(), error));
  return { errors: errors?.map((error) => ({ message: error.message, ...error.extensions })), data: result.data };
}

describe('the schema-wide input guard', () => {
  it('lets valid input through to the resolver', async () => {
    const result = await run(CREATE, { input: { title: 'ok 😀', lines: [{ title: 'a', amountMinor: MAX_AMOUNT_MINOR }], details: { dueDate: '2024-02-29' }, data: { a: [1, { b: 'c' }] } } });
    expect(result.errors).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['NUL at the top', { title: 'a\u0000' }, 'title'],
    ['a lone surrogate in a list item', { title: 'a', lines: [{ title: 'ok', amountMinor: 1 }, { title: '\udfff', amountMinor: 1 }] }, 'lines.1.title'],
    ['NUL in an ID', { title: 'a', ownerId: '\u0000' }, 'ownerId'],
    ['a fraction for a SafeInt', { title: 'a', lines: [{ title: 'x', amountMinor: 1.5 }] }, 'lines.0.amountMinor'],
    ['a SafeInt beyond 2^53', { title: 'a', lines: [{ title: 'x', amountMinor: 2 ** 60 }] }, 'lines.0.amountMinor'],
    ['a string for a SafeInt', { title: 'a', lines: [{ title: 'x', amountMinor: '5' }] }, 'lines.0.amountMinor'],
    ['JSON too deep', { title: 'a', data: JSON.parse(`${'{"x":'.repeat(40)}1${'}'.repeat(40)}`) }, `data.${Array(32).fill('x').join('.')}`],
    ['JSON that is not an object', { title: 'a', data: 'text' }, 'data'],
    ['NUL inside JSON', { title: 'a', data: { list: ['\u0000'] } }, 'data.list.0'],
  ])('refuses %s before the resolver runs', async (_label, input, field) => {
    const result = await run(CREATE, { input });
    expect(result.errors?.[0]).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0].message).toMatch(/\w{3,}/);
    expect(calls).toHaveLength(0);
  });

  it('checks inline literals the same way as variables', async () => {
    expect((await run('{ things(search: "a\\u0000b") { count } }')).errors?.[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
    expect((await run('mutation { createThing(input: { title: "t", lines: [{ title: "x", amountMinor: 1.5 }] }) { title } }')).errors?.[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines.0.amountMinor' });
    expect((await run(`mutation { createThing(input: { title: "t", data: ${'{ x: '.repeat(40)}1${' }'.repeat(40)} }) { title } }`)).errors?.[0]).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(calls).toHaveLength(0);
  });

  it('field rules: real dates (nested too), amounts within MAX_AMOUNT_MINOR', async () => {
    expect((await run(CREATE, { input: { title: 'a', details: { dueDate: '2026-02-30' } } })).errors?.[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: 'details.dueDate' });
    expect((await run(CREATE, { input: { title: 'a', date: '2026-13-01' } })).errors?.[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
    expect((await run(CREATE, { input: { title: 'a', lines: [{ title: 'x', amountMinor: MAX_AMOUNT_MINOR + 1 }] } })).errors?.[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines.0.amountMinor' });
    expect((await run(CREATE, { input: { title: 'a', lines: [{ title: 'x', amountMinor: -1 }] } })).errors?.[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines.0.amountMinor' });
    expect(calls).toHaveLength(0);
  });
});
