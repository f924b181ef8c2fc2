import {
  defaultFieldResolver,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLScalarType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { UserInputError } from '../errors/domain-errors';
import { fieldPath, jsonProblem, textProblem, type InputProblem } from './input-values';

/** Scalars GraphQL itself checks (the gateway does too, before a subgraph sees the request). */
const BUILT_IN_SCALARS = new Set(['String', 'ID', 'Int', 'Float', 'Boolean']);
/** Free-form JSON: depth, size and text limits of JSON_INPUT_LIMITS apply. */
const JSON_SCALARS = new Set(['JSON', 'JSONObject']);

const SCALAR_MESSAGES: Record<string, string> = {
  SafeInt: `Enter a whole number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`,
  JSONObject: 'Must be a JSON object',
  JSON: 'Must be a JSON value',
  DateTimeISO: 'Enter an ISO 8601 date-time, e.g. 2026-03-31T09:00:00Z',
};

/** What a custom scalar's parser returns instead of throwing; the guard turns it into BAD_USER_INPUT with the field. */
class InvalidScalarValue {
  constructor(readonly scalar: string) {}
}

/** Input objects nest as deep as the schema says; this only stops a self-referencing input type going on forever. */
const MAX_INPUT_NESTING = 64;

function problemOf(type: GraphQLInputType, value: unknown, path: (string | number)[]): InputProblem | null {
  if (value === null || value === undefined) return null;
  if (path.length > MAX_INPUT_NESTING) return { path, message: 'The input is nested too deeply' };
  if (isNonNullType(type)) return problemOf(type.ofType, value, path);
  if (isListType(type)) {
    if (!Array.isArray(value)) return problemOf(type.ofType, value, path);
    for (let index = 0; index < value.length; index += 1) {
      const problem = problemOf(type.ofType, value[index], [...path, index]);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      const problem = field ? problemOf(field.type, child, [...path, name]) : null;
      if (problem) return problem;
    }
    return null;
  }
  if (!isScalarType(type)) return null; // enums: already checked by GraphQL
  if (value instanceof InvalidScalarValue) return { path, message: SCALAR_MESSAGES[value.scalar] ?? `Not a valid ${value.scalar}` };
  if (typeof value === 'string' && (type.name === 'String' || type.name === 'ID')) {
    const message = textProblem(value);
    return message ? { path, message } : null;
  }
  if (JSON_SCALARS.has(type.name)) {
    const problem = jsonProblem(value);
    return problem ? { path: [...path, ...problem.path], message: problem.message } : null;
  }
  return null;
}

/**
 * The first problem of a field's coerced arguments, with the argument path (`input.contract.startDate`,
 * `after`, `definition.stages.0.key`).
 */
export function argumentProblem(args: readonly GraphQLArgument[], values: Record<string, unknown>): InputProblem | null {
  for (const arg of args) {
    const problem = problemOf(arg.type, values[arg.name], [arg.name]);
    if (problem) return problem;
  }
  return null;
}

/**
 * `field` of BAD_USER_INPUT: the path inside the argument, without the `input.` of a mutation's single
 * `input` argument (as class-validator failures and services report it: `title`, `contract.startDate`).
 */
export function argumentField(path: readonly (string | number)[]): string {
  return fieldPath(path[0] === 'input' && path.length > 1 ? path.slice(1) : path);
}

function isFederationScalar(name: string): boolean {
  return name.startsWith('_') || name.includes('__') || name === 'FieldSet';
}

/**
 * A custom scalar whose parser throws makes GraphQL fail the whole request (a variable coercion or
 * validation error the gateway sees as an untyped HTTP 400). Parsed leniently instead, the failure reaches
 * the guard as a marker and becomes BAD_USER_INPUT naming the field.
 */
function parseLeniently(scalar: GraphQLScalarType): void {
  const parseValue = scalar.parseValue.bind(scalar);
  const parseLiteral = scalar.parseLiteral.bind(scalar);
  scalar.parseValue = (value: unknown) => {
    try {
      return parseValue(value);
    } catch {
      return new InvalidScalarValue(scalar.name);
    }
  };
  scalar.parseLiteral = (node: ValueNode, variables?: Record<string, unknown> | null) => {
    try {
      const parsed: unknown = parseLiteral(node, variables);
      return parsed === undefined ? new InvalidScalarValue(scalar.name) : parsed;
    } catch {
      return new InvalidScalarValue(scalar.name);
    }
  };
}

/**
 * Every argument of every field of the subgraph is checked, once, here — before the field's resolver (and
 * its type-graphql validation) runs, whether the value came as a variable or an inline literal, however deep
 * in input objects and lists: text must be storable (no NUL, no lone surrogate: String and ID alike), JSON
 * must stay within JSON_INPUT_LIMITS, custom scalars must parse (SafeInt: whole and safe). A problem is
 * BAD_USER_INPUT with `field`, and nothing is written. Field-specific rules (dates, money, lengths) are
 * class-validator decorators on the inputs (input-fields.ts).
 */
export function guardInputs(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isScalarType(type) && !BUILT_IN_SCALARS.has(type.name) && !isFederationScalar(type.name)) parseLeniently(type);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.length || field.name.startsWith('_')) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const args = field.args;
      field.resolve = (source, values, context, info) => {
        const problem = argumentProblem(args, values);
        if (problem) throw new UserInputError(argumentField(problem.path), problem.message);
        return resolve(source, values, context, info);
      };
    }
  }
}
