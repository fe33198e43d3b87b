// Declarations the parser produces: records, members, typedefs, enums, types and constant expressions.
import type { BaseTypeName } from '../abi/targets';
import { emptyList } from '../empty';
import type { Span } from '../source';
import type { Token } from './token';

export type Expr =
  | { kind: 'int'; value: bigint; unsigned: boolean; longness: number; token: Token }
  | { kind: 'ident'; name: string; token: Token }
  | { kind: 'unary'; op: string; arg: Expr; token: Token }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; token: Token }
  | { kind: 'cond'; test: Expr; then: Expr; otherwise: Expr; token: Token }
  | { kind: 'cast'; type: CType; arg: Expr; token: Token }
  | { kind: 'sizeof-type'; type: CType; token: Token }
  | { kind: 'sizeof-expr'; arg: Expr; token: Token }
  | { kind: 'alignof-type'; type: CType; token: Token }
  | { kind: 'offsetof'; type: CType; path: string[]; token: Token }
  | { kind: 'member'; base: Expr; name: string; arrow: boolean; token: Token }
  /** A string literal (adjacent ones joined): only its type, an array, matters to a layout (`sizeof("abc")`). */
  | { kind: 'string'; type: CType; token: Token }
  | { kind: 'unsupported'; what: string; token: Token };

/** GNU attributes that change layout, from wherever they were written on a declaration. */
export interface LayoutAttributes {
  /** `aligned(N)` arguments; `null` for a bare `aligned` (the target's biggest alignment). */
  aligned: (Expr | null)[];
  packed: boolean;
  /** `mode(QI|HI|SI|DI|TI|word|pointer)` */
  mode?: string;
  /** `vector_size(N)` */
  vectorSize?: Expr;
}

export function emptyAttributes(): LayoutAttributes {
  return { aligned: emptyList(), packed: false };
}

export type CType =
  | { kind: 'base'; name: BaseTypeName; complex?: boolean }
  | { kind: 'pointer'; to: CType }
  | { kind: 'array'; of: CType; length: Expr | null }
  | { kind: 'function'; returns: CType }
  | { kind: 'record'; decl: RecordDecl }
  | { kind: 'enum'; decl: EnumDecl }
  | { kind: 'typedef'; decl: TypedefDecl }
  /** A type carrying attributes of its own (e.g. `int __attribute__((mode(DI)))` in a typedef). */
  | { kind: 'attributed'; of: CType; attributes: LayoutAttributes }
  | { kind: 'va-list' }
  | { kind: 'error'; message: string };

export interface RecordDecl {
  id: number;
  kind: 'struct' | 'union';
  tag: string | null;
  /** Null while only declared (`struct foo;`). */
  members: Member[] | null;
  attributes: LayoutAttributes;
  /** `#pragma pack(N)` in force where the body was written (0 = none). */
  pragmaPack: number;
  /** The whole definition, from the keyword to the closing brace. */
  span: Span;
  /** The tag (or the keyword of an untagged record). */
  nameSpan: Span;
  /** Typedef names given to this record (an untagged record is reported by its first one). */
  typedefNames: string[];
  /** The record this one was defined inside, if any. */
  parent: RecordDecl | null;
  /** The `{` ... `}` were not both written (half-typed code). */
  incompleteBody?: boolean;
}

export interface Member {
  name: string | null;
  nameSpan: Span | null;
  /** From the start of the declaration's specifiers to the end of its declarator. */
  span: Span;
  type: CType;
  /** Written type text, e.g. "__u64" or "struct foo *". */
  typeText: string;
  bitWidth: Expr | null;
  attributes: LayoutAttributes;
}

export interface TypedefDecl {
  name: string;
  type: CType;
  attributes: LayoutAttributes;
  span: Span;
  nameSpan: Span;
}

export interface Enumerator {
  name: string;
  value: Expr | null;
  nameSpan: Span;
}

export interface EnumDecl {
  id: number;
  tag: string | null;
  enumerators: Enumerator[] | null;
  attributes: LayoutAttributes;
  span: Span;
  nameSpan: Span;
  /** Fixed underlying type (C23 `enum e : T`). */
  fixedType?: CType;
}

export interface TranslationUnitDecls {
  /** Every record definition or declaration, in order of first appearance. */
  records: RecordDecl[];
  enums: EnumDecl[];
  typedefs: Map<string, TypedefDecl>;
  /** Enumeration constants by name. */
  enumConstants: Map<string, { decl: EnumDecl; index: number }>;
  /** Struct/union/enum tags at file scope. */
  tags: Map<string, RecordDecl | EnumDecl>;
}
