import type { z } from 'zod';
import type { Role } from '../domain/roles';

/**
 * Who may call a method. Enforced in main by the dispatcher, never only hidden in the UI.
 * 'public' methods work before sign-in (status, setup, sign-in itself).
 */
export type Access = 'public' | 'signed_in' | readonly Role[];

export interface MethodSpec<Name extends string, Input extends z.ZodType, Output> {
  readonly name: Name;
  readonly input: Input;
  readonly access: Access;
  /** Phantom field: carries the output type; never set at runtime. */
  readonly types?: { readonly output: Output };
}

/** Curried so the output type is given explicitly while name and input are inferred. */
export function method<Output>() {
  return <const Name extends string, Input extends z.ZodType>(
    name: Name,
    input: Input,
    access: Access,
  ): MethodSpec<Name, Input, Output> => ({ name, input, access });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds methods of every shape
export type AnyMethod = MethodSpec<string, z.ZodType, any>;

export type ContractOf<T extends readonly AnyMethod[]> = { readonly [M in T[number] as M['name']]: M };

const METHOD_NAME = /^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/;

/** Builds the name → method table; a duplicate or malformed name fails at start-up. */
export function defineContract<const T extends readonly AnyMethod[]>(methods: T): ContractOf<T> {
  const table: Record<string, AnyMethod> = {};
  for (const m of methods) {
    if (!METHOD_NAME.test(m.name)) throw new Error(`API contract: method name "${m.name}" is not of the form domain.verb`);
    if (Object.hasOwn(table, m.name)) throw new Error(`API contract: duplicate method name "${m.name}"`);
    table[m.name] = m;
  }
  return Object.freeze(table) as ContractOf<T>;
}
