import { Kind, valueFromASTUntyped, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields selected directly under the field being resolved (fragments and inline fragments included), by
 * response name's field name: lets a resolver read in one query what its child fields will ask for (and prime
 * their DataLoaders), instead of one query per child field. Directives (`@skip`, `@include`) are not evaluated:
 * a field they leave out is at worst read for nothing.
 */
export function selectedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Map<string, FieldNode> {
  const fields = new Map<string, FieldNode>();
  const visit = (selectionSet: SelectionSetNode | undefined, depth: number) => {
    if (!selectionSet || depth > 8) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!fields.has(selection.name.value)) fields.set(selection.name.value, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, depth + 1);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet, depth + 1);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, 0);
  return fields;
}

/** The value of argument `name` of a selected field (variables substituted), or undefined when it is not given. */
export function argumentValue(field: FieldNode, name: string, info: Pick<GraphQLResolveInfo, 'variableValues'>): unknown {
  const argument = field.arguments?.find((arg) => arg.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, info.variableValues) : undefined;
}
