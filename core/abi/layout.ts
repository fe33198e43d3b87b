// Lays records out on one target the way gcc does: field alignment, bit-field placement, packing, holes and padding.
import type { CType, EnumDecl, Expr, LayoutAttributes, Member, RecordDecl, TranslationUnitDecls } from '../c/ast';
import { Token } from '../c/token';
import { MAX_NESTING } from '../c/nesting';
import type { Span } from '../source';
import { evaluate, EvalError, type EvalContext, type Value } from './const-eval';
import type { SizeAlign, Target } from './targets';

export class LayoutError extends Error {
  span: Span | undefined;

  constructor(message: string, token?: Token | Span) {
    super(message);
    if (token instanceof Token) {
      const w = token.written;
      this.span = { file: w.file, start: w.start, end: w.end };
    } else this.span = token;
  }
}

export interface TypeInfo extends SizeAlign {
  /** The alignment came from an `aligned` attribute (gcc's TYPE_USER_ALIGN): i386's field cap does not apply. */
  userAligned: boolean;
  /** An 8-byte integer or double (or an array of them): capped to 4 inside records on i386. */
  scalar64: boolean;
}

// TypeInfo objects are built by this one function (object spreads with overrides are a V8 slow path).
function makeTypeInfo(size: number, align: number, userAligned: boolean, scalar64: boolean): TypeInfo {
  return { size, align, userAligned, scalar64 };
}

export interface MemberLayout {
  member: Member;
  /** Byte offset from the start of the record (for bit-fields, the byte holding the first bit). */
  offset: number;
  size: number;
  align: number;
  bitOffset?: number;
  bitWidth?: number;
  /** Layout of a record-typed member (not arrays of records). */
  nested?: RecordLayout;
  flexible?: boolean;
}

export interface FieldLayout {
  /** The `offsetof` designator; null for an anonymous struct/union member. */
  path: string | null;
  member: Member;
  depth: number;
  type: string;
  offset: number;
  size: number;
  align: number;
  bitOffset?: number;
  bitWidth?: number;
  anonymous?: boolean;
}

export interface Hole {
  offset: number;
  size: number;
  /**
   * Path of the named field that ends last at or before the hole's start, the first of several (null when none does:
   * the hole starts the record or follows only unnamed bit-fields).
   */
  after: string | null;
}

export interface RecordLayout {
  decl: RecordDecl;
  target: Target;
  size: number;
  align: number;
  userAligned: boolean;
  members: MemberLayout[];
  fields: FieldLayout[];
  /** How many levels of records nest inside this one (0 when no member is a record). */
  nesting: number;
  holes: Hole[];
  /**
   * Bytes the author filled with unnamed bit-fields (`__u32 :24;`) that no named member shares: padding made explicit,
   * so no hole, but no member either.
   */
  explicitPadding: Hole[];
  tailPadding: number;
}

interface EnumInfo {
  values: Value[];
  size: number;
  unsigned: boolean;
}

const VA_LIST: Record<string, SizeAlign> = {
  x86_64: { size: 24, align: 8 },
  x32: { size: 16, align: 4 },
  aarch64: { size: 32, align: 8 },
  riscv64: { size: 8, align: 8 },
};

const MODE_BYTES: Record<string, number> = { QI: 1, HI: 2, SI: 4, DI: 8, TI: 16, byte: 1 };

/**
 * The largest size Sysarg computes exactly: offsets are also counted in bits, in doubles (exact below 2^53). gcc takes
 * objects up to PTRDIFF_MAX, 2^63 - 1 bytes on 64-bit targets; beyond 2^50 bytes Sysarg reports an error instead of
 * an inexact size.
 */
const EXACT_SIZE_LIMIT = 2 ** 50;

/** Typedef, attribute and array links typeInfo follows by recursion before it walks the rest of a chain in a loop. */
const CHAIN_RECURSION = 64;

/** Most members a record may list counting those of nested records (the largest in /usr/include/linux has 335). */
const MAX_FIELDS = 16384;

/** gcc's limit on the size of an object (PTRDIFF_MAX), or Sysarg's own where that is lower. */
function maxObjectSize(target: Target): number {
  return target.pointer.size === 4 ? 0x7fffffff : EXACT_SIZE_LIMIT;
}

/** Why a type of `size` bytes cannot exist on `target`, or undefined. */
function sizeProblem(size: number, target: Target): string | undefined {
  const max = maxObjectSize(target);
  if (size <= max) return undefined;
  return max === EXACT_SIZE_LIMIT ? `is larger than 2^50 bytes, the largest size Sysarg computes exactly` : `exceeds the maximum object size on ${target.name} (${max} bytes)`;
}

export class LayoutEngine implements EvalContext {
  private readonly records = new Map<RecordDecl, RecordLayout | LayoutError>();
  private readonly enums = new Map<EnumDecl, EnumInfo | 'busy'>();
  private readonly busy = new Set<RecordDecl>();
  readonly longBits: number;

  constructor(
    readonly target: Target,
    readonly decls: TranslationUnitDecls,
  ) {
    this.longBits = (target.types.long as SizeAlign).size * 8;
  }

  /** The layout of a record, or the reason it has none (incomplete, unknown type, bad constant...). */
  layout(decl: RecordDecl): RecordLayout | LayoutError {
    let result = this.records.get(decl);
    if (result) return result;
    try {
      result = this.computeLayout(decl);
    } catch (error) {
      if (error instanceof EvalError) result = new LayoutError(error.message, error.token);
      else if (error instanceof LayoutError && !error.span) ((error.span = decl.nameSpan), (result = error));
      else if (error instanceof LayoutError) result = error;
      else throw error;
    }
    this.records.set(decl, result);
    return result;
  }

  /**
   * A record's layout as the name it is reported by. An untagged record is known by its first typedef name, and that
   * typedef's own attributes set the name's alignment, not its size: for `typedef struct {...} T
   * __attribute__((aligned))` gcc gives `_Alignof(T)` 16 where the struct's is 8 (glibc's `__pthread_unwind_buf_t`).
   */
  namedLayout(decl: RecordDecl): RecordLayout | LayoutError {
    const layout = this.layout(decl);
    if (decl.tag !== null || layout instanceof LayoutError) return layout;
    const typedef = this.decls.typedefs.get(decl.typedefNames[0]);
    if (!typedef) return layout;
    try {
      const named = this.typeInfo({ kind: 'typedef', decl: typedef });
      return named.align === layout.align ? layout : { ...layout, align: named.align, userAligned: named.userAligned };
    } catch (error) {
      if (error instanceof LayoutError) return error.span ? error : ((error.span = typedef.nameSpan), error);
      if (error instanceof EvalError) return new LayoutError(error.message, error.token);
      throw error;
    }
  }

  private requireLayout(decl: RecordDecl, at?: Token): RecordLayout {
    const result = this.layout(decl);
    if (result instanceof LayoutError) throw at ? new LayoutError(result.message, at) : result;
    return result;
  }

  // ---- types ---------------------------------------------------------------------------------------------

  /**
   * Size and alignment of a type. Typedefs, attributes and array dimensions wrap a type in a chain that a file may
   * make thousands long (`typedef T0 T1; typedef T1 T2; ...`): past CHAIN_RECURSION links the rest of the chain is
   * walked in a loop (recursion is kept for the short chains of real code, where it is the cheaper of the two).
   */
  typeInfo(type: CType, at?: Token, depth = 0): TypeInfo {
    switch (type.kind) {
      case 'base': {
        const base = this.target.types[type.name];
        if (!base) throw new LayoutError(`'${type.name}' does not exist on ${this.target.name}`, at);
        if (type.name === 'void') throw new LayoutError('void has no size', at);
        const scalar64 = base.size === 8 && (type.name.includes('long long') || type.name === 'double' || type.name === 'long' || type.name === 'unsigned long');
        if (type.complex) return { size: base.size * 2, align: base.align, userAligned: false, scalar64: scalar64 || base.size === 4 };
        return { size: base.size, align: base.align, userAligned: false, scalar64 };
      }
      case 'pointer':
        return makeTypeInfo(this.target.pointer.size, this.target.pointer.align, false, this.target.pointer.size === 8);
      case 'array':
        return this.wrap(type, depth < CHAIN_RECURSION ? this.typeInfo(type.of, at, depth + 1) : this.chainInfo(type.of, at), at);
      case 'record': {
        const decl = this.complete(type.decl);
        if (decl.members === null) throw new LayoutError(`${decl.kind} ${decl.tag} is incomplete (declared, never defined)`, at);
        const layout = this.requireLayout(decl, at);
        return { size: layout.size, align: layout.align, userAligned: layout.userAligned, scalar64: false };
      }
      case 'enum': {
        const info = this.enumInfo(type.decl, at);
        return { size: info.size, align: info.size, userAligned: false, scalar64: info.size === 8 };
      }
      case 'typedef':
        return this.withAttributes(depth < CHAIN_RECURSION ? this.typeInfo(type.decl.type, at, depth + 1) : this.chainInfo(type.decl.type, at), type.decl.attributes, at);
      case 'attributed':
        return this.withAttributes(depth < CHAIN_RECURSION ? this.typeInfo(type.of, at, depth + 1) : this.chainInfo(type.of, at), type.attributes, at);
      case 'va-list': {
        const va = VA_LIST[this.target.name] ?? this.target.pointer;
        return makeTypeInfo(va.size, va.align, false, false);
      }
      case 'function':
        throw new LayoutError('a function has no size', at);
      case 'error':
        throw new LayoutError(type.message, at);
    }
  }

  /** typeInfo for a chain of typedefs, attributes and array dimensions of any length, walked in a loop. */
  private chainInfo(type: CType, at?: Token): TypeInfo {
    const chain: CType[] = [];
    let t = type;
    while (t.kind === 'typedef' || t.kind === 'attributed' || t.kind === 'array') {
      chain.push(t);
      t = t.kind === 'typedef' ? t.decl.type : t.of;
    }
    let info = this.typeInfo(t, at);
    for (let i = chain.length - 1; i >= 0; i--) info = this.wrap(chain[i], info, at);
    return info;
  }

  /** The type info of a typedef, attributed type or array, from that of the type it wraps. */
  private wrap(type: CType, inner: TypeInfo, at?: Token): TypeInfo {
    if (type.kind === 'typedef') return this.withAttributes(inner, type.decl.attributes, at);
    if (type.kind === 'attributed') return this.withAttributes(inner, type.attributes, at);
    if (type.kind !== 'array') return inner;
    if (type.length === null) return makeTypeInfo(0, inner.align, inner.userAligned, inner.scalar64);
    const n = this.evaluateNumber(type.length);
    if (n < 0) throw new LayoutError(`array size is negative (${n})`, at ?? type.length.token);
    const problem = sizeProblem(inner.size * n, this.target);
    if (problem) throw new LayoutError(`size of array ${problem}`, at ?? type.length.token);
    return makeTypeInfo(inner.size * n, inner.align, inner.userAligned, inner.scalar64);
  }

  /** Typedef-level attributes: aligned may raise or lower the alignment; mode and vector_size change the size. */
  private withAttributes(info: TypeInfo, attrs: LayoutAttributes, at?: Token): TypeInfo {
    let out = info;
    if (attrs.mode) {
      const bytes = attrs.mode === 'word' ? this.longBits / 8 : attrs.mode === 'pointer' ? this.target.pointer.size : MODE_BYTES[attrs.mode];
      if (!bytes) throw new LayoutError(`unknown machine mode '${attrs.mode}'`, at);
      out = { size: bytes, align: bytes === 16 ? 16 : bytes, userAligned: false, scalar64: bytes === 8 };
    }
    if (attrs.vectorSize) {
      const n = this.evaluateNumber(attrs.vectorSize);
      // An 8-byte vector counts as a 64-bit scalar for i386's field cap (without MMX it is laid out as DImode).
      const cap = this.target.vectorAlignCap;
      out = { size: n, align: cap ? Math.min(n, cap) : n, userAligned: false, scalar64: n === 8 };
    }
    if (attrs.aligned.length > 0) out = makeTypeInfo(out.size, this.explicitAlignment(attrs.aligned), true, out.scalar64);
    return out;
  }

  explicitAlignment(aligned: (Expr | null)[]): number {
    let max = 0;
    for (const e of aligned) {
      const n = e === null ? this.target.biggestAlignment : this.evaluateNumber(e);
      if (n <= 0 || (n & (n - 1)) !== 0) throw new LayoutError(`requested alignment ${n} is not a positive power of 2`, e?.token);
      max = Math.max(max, n);
    }
    return max;
  }

  // ---- enums ---------------------------------------------------------------------------------------------

  private enumInfo(decl: EnumDecl, at?: Token): EnumInfo {
    const known = this.enums.get(decl);
    if (known === 'busy') throw new LayoutError(`enum ${decl.tag ?? ''} refers to itself`, at);
    if (known) return known;
    if (decl.enumerators === null && !decl.fixedType) throw new LayoutError(`enum ${decl.tag} is incomplete`, at);
    this.enums.set(decl, 'busy');
    try {
      const info = this.computeEnum(decl);
      this.enums.set(decl, info);
      return info;
    } catch (error) {
      this.enums.delete(decl);
      throw error;
    }
  }

  /** Enumerator values so far, while their enum is being evaluated (later ones may refer to earlier ones). */
  private readonly partialEnums = new Map<EnumDecl, Value[]>();

  private computeEnum(decl: EnumDecl): EnumInfo {
    const values: Value[] = [];
    this.partialEnums.set(decl, values);
    let next = 0n;
    let min = 0n;
    let max = 0n;
    try {
      for (const e of decl.enumerators ?? []) {
        const v = e.value ? evaluate(e.value, this).v : next;
        values.push({ v, unsigned: false, bits: 32 });
        next = v + 1n;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    } finally {
      this.partialEnums.delete(decl);
    }
    if (decl.fixedType) {
      const int = this.integerType(decl.fixedType);
      const size = this.typeInfo(decl.fixedType).size;
      return { values, size, unsigned: int?.unsigned ?? false };
    }
    const unsigned = min >= 0n;
    const fits = (bytes: number): boolean => {
      const bits = BigInt(bytes * 8);
      return unsigned ? max < 1n << bits : min >= -(1n << (bits - 1n)) && max < 1n << (bits - 1n);
    };
    let size: number;
    if (decl.attributes.packed) size = [1, 2, 4, 8].find(fits) ?? 8;
    else size = fits(4) ? 4 : 8;
    for (const v of values) v.bits = size === 8 ? 64 : 32;
    return { values, size, unsigned };
  }

  /** The definition of a record that was only declared where it was named (C: one type per file-scope tag). */
  complete(decl: RecordDecl): RecordDecl {
    if (decl.members !== null || decl.tag === null) return decl;
    const defined = this.decls.tags.get(decl.tag);
    return defined && 'members' in defined && defined.members !== null && defined.kind === decl.kind ? defined : decl;
  }

  /** The complete record a type names (through typedefs), if it names one. */
  recordOf(type: CType): RecordDecl | undefined {
    const t = stripTypedefs(type);
    if (t.kind !== 'record') return undefined;
    const decl = this.complete(t.decl);
    return decl.members !== null ? decl : undefined;
  }

  // ---- EvalContext ---------------------------------------------------------------------------------------

  enumConstant(name: string, at: Token): Value | undefined {
    const entry = this.decls.enumConstants.get(name);
    if (!entry) return undefined;
    const partial = this.partialEnums.get(entry.decl);
    if (partial) {
      if (entry.index < partial.length) return partial[entry.index];
      throw new LayoutError(`enumerator '${name}' is used before its value is known`, at);
    }
    return this.enumInfo(entry.decl, at).values[entry.index];
  }

  sizeOf(type: CType, at: Token): number {
    return this.typeInfo(type, at).size;
  }

  alignOf(type: CType, at: Token): number {
    return this.typeInfo(type, at).align;
  }

  offsetOf(type: CType, path: string[], at: Token): number {
    let record = this.recordOf(type);
    let offset = 0;
    for (const name of path) {
      if (!record) throw new LayoutError(`offsetof: '${name}' is not inside a struct or union`, at);
      const found = findMember(this.requireLayout(record, at), name);
      if (!found) throw new LayoutError(`offsetof: no member '${name}' in ${record.kind} ${record.tag ?? '(anonymous)'}`, at);
      offset += found.offset;
      record = this.recordOf(found.member.member.type);
    }
    return offset;
  }

  integerType(type: CType): { bits: number; unsigned: boolean } | undefined {
    const t = stripTypedefs(type);
    if (t.kind === 'enum') {
      const info = this.enumInfo(t.decl);
      return { bits: info.size * 8, unsigned: info.unsigned };
    }
    if (t.kind !== 'base' || t.complex) return undefined;
    if (t.name === 'float' || t.name === 'double' || t.name === 'long double' || t.name === 'void' || t.name.startsWith('_Float') || t.name === '__float80') return undefined;
    const size = (this.target.types[t.name] as SizeAlign).size;
    const unsigned = t.name.startsWith('unsigned') || t.name === '_Bool' || (t.name === 'char' && !this.target.charSigned);
    return { bits: size * 8, unsigned };
  }

  typeOf(expr: Expr): CType | undefined {
    if (expr.kind === 'string') return expr.type;
    return this.memberType(expr);
  }

  private memberType(expr: Expr): CType | undefined {
    if (expr.kind !== 'member') return undefined;
    const baseType = this.exprType(expr.base);
    const record = baseType ? this.recordOf(expr.arrow ? pointee(baseType) : baseType) : undefined;
    if (!record) return undefined;
    const found = findMember(this.requireLayout(record, expr.token), expr.name);
    return found?.member.member.type;
  }

  private exprType(expr: Expr): CType | undefined {
    if (expr.kind === 'cast') return expr.type;
    if (expr.kind === 'member') return this.memberType(expr);
    return undefined;
  }

  evaluateNumber(expr: Expr): number {
    const v = evaluate(expr, this).v;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new LayoutError(`constant ${v} is too large`, expr.token);
    return Number(v);
  }

  // ---- records -------------------------------------------------------------------------------------------

  private computeLayout(decl: RecordDecl): RecordLayout {
    if (decl.members === null) throw new LayoutError(`${decl.kind} ${decl.tag} is incomplete (declared, never defined)`, undefined);
    if (this.busy.has(decl)) throw new LayoutError(`${decl.kind} ${decl.tag ?? '(anonymous)'} contains itself`, undefined);
    this.busy.add(decl);
    try {
      return new RecordPlacer(this, decl).place();
    } finally {
      this.busy.delete(decl);
    }
  }
}

/** Places the members of one record (gcc's stor-layout.c place_field, for the ABIs Sysarg knows). */
class RecordPlacer {
  private bitpos = 0;
  private size = 0;
  private recordAlign = 1;
  private userAligned = false;
  private readonly members: MemberLayout[] = [];
  private readonly packed: boolean;
  private readonly pack: number;
  private readonly target: Target;

  constructor(
    private readonly engine: LayoutEngine,
    private readonly decl: RecordDecl,
  ) {
    this.packed = decl.attributes.packed;
    this.pack = decl.pragmaPack;
    this.target = engine.target;
  }

  place(): RecordLayout {
    const members = this.decl.members as Member[];
    for (const m of members) {
      try {
        if (m.bitWidth) this.placeBitfield(m);
        else this.placeField(m, m.type.kind === 'array' && m.type.length === null);
      } catch (error) {
        if (error instanceof EvalError) throw new LayoutError(`${m.name ?? 'member'}: ${error.message}`, error.token);
        if (error instanceof LayoutError && !error.span) error.span = m.nameSpan ?? m.span;
        throw error;
      }
    }
    if (this.decl.attributes.aligned.length > 0) {
      this.recordAlign = Math.max(this.recordAlign, this.engine.explicitAlignment(this.decl.attributes.aligned));
      this.userAligned = true;
    }
    const end = this.decl.kind === 'union' ? this.size : Math.ceil(this.bitpos / 8);
    const size = roundUp(end, this.recordAlign);
    const problem = sizeProblem(size, this.target);
    if (problem) throw new LayoutError(`${this.name()} ${problem}`, this.decl.nameSpan);
    const nesting = this.checkFlatSize();
    const fields = flattenFields(this.members, '', 0, 0);
    const { holes, explicitPadding, tailPadding } = findPadding(this.members, size);
    return { decl: this.decl, target: this.target, size, align: this.recordAlign, userAligned: this.userAligned, members: this.members, fields, nesting, holes, explicitPadding, tailPadding };
  }

  /**
   * The record's nesting depth, after checking that listing its members with those of nested records (as the layout
   * report does, one path each) stays within bounds: a few lines of `struct b2 { struct b1 x, y; };` double the list
   * each time, and a chain of thousands of records nests paths thousands deep.
   */
  private checkFlatSize(): number {
    let count = 0;
    let nesting = 0;
    for (const m of this.members) {
      if (m.member.name === null && !m.nested) continue;
      count += 1 + (m.nested ? m.nested.fields.length : 0);
      if (m.nested) nesting = Math.max(nesting, m.nested.nesting + 1);
    }
    if (nesting > MAX_NESTING) throw new LayoutError(`${this.name()} nests records more than ${MAX_NESTING} levels deep`, this.decl.nameSpan);
    if (count > MAX_FIELDS) throw new LayoutError(`${this.name()} has more than ${MAX_FIELDS} members counting those of nested records`, this.decl.nameSpan);
    return nesting;
  }

  private name(): string {
    return `${this.decl.kind} ${this.decl.tag ?? '(anonymous)'}`;
  }

  private memberAlignAttr(m: Member): number | undefined {
    return m.attributes.aligned.length > 0 ? this.engine.explicitAlignment(m.attributes.aligned) : undefined;
  }

  private fieldAlign(m: Member, info: TypeInfo): { align: number; user: boolean } {
    const explicit = this.memberAlignAttr(m);
    const packed = this.packed || m.attributes.packed;
    let align: number;
    let user = explicit !== undefined;
    if (packed) align = explicit ?? 1;
    else {
      // As gcc's layout_decl: a type aligned beyond the attribute's value wins, and then only the type's own
      // `aligned` keeps i386 from capping it (`double x __attribute__((aligned(4)))` is aligned to 4 there, not 8).
      const typeWins = explicit === undefined || info.align > explicit;
      align = typeWins ? info.align : explicit;
      user = typeWins ? info.userAligned : true;
      if (!user && this.target.scalarFieldAlignCap && info.scalar64) align = Math.min(align, this.target.scalarFieldAlignCap);
    }
    if (this.pack) align = Math.min(align, this.pack);
    return { align, user };
  }

  private placeField(m: Member, flexible: boolean): void {
    const info = this.engine.typeInfo(m.type);
    const { align, user } = this.fieldAlign(m, info);
    if (user) this.userAligned = true;
    this.recordAlign = Math.max(this.recordAlign, align);
    const offset = this.decl.kind === 'union' ? 0 : roundUp(Math.ceil(this.bitpos / 8), align);
    const nestedType = this.engine.recordOf(m.type);
    const nested = nestedType ? (this.engine.layout(nestedType) as RecordLayout) : undefined;
    this.members.push({ member: m, offset, size: info.size, align, nested, flexible: flexible || undefined });
    if (this.decl.kind === 'union') this.size = Math.max(this.size, info.size);
    else this.bitpos = (offset + info.size) * 8;
  }

  private placeBitfield(m: Member): void {
    const width = this.engine.evaluateNumber(m.bitWidth as Expr);
    const info = this.engine.typeInfo(m.type);
    const typeBits = info.size * 8;
    if (width < 0) throw new LayoutError(`bit-field '${m.name ?? ''}' has negative width`, (m.bitWidth as Expr).token);
    if (width > typeBits) throw new LayoutError(`width of bit-field '${m.name ?? ''}' (${width} bits) exceeds its type (${typeBits} bits)`, (m.bitWidth as Expr).token);
    let typeAlign = info.align;
    if (!info.userAligned && this.target.scalarFieldAlignCap && info.scalar64) typeAlign = Math.min(typeAlign, this.target.scalarFieldAlignCap);
    const named = m.name !== null;
    const start = this.decl.kind === 'union' ? 0 : this.bitpos;
    let pos = start;
    if (width === 0) {
      // A zero-width bit-field pads to its type's alignment; neither packed nor #pragma pack affect it.
      pos = roundUp(pos, typeAlign * 8);
      if (this.target.alignAnonymousBitfields) this.recordAlign = Math.max(this.recordAlign, typeAlign);
    } else {
      const packed = this.packed || m.attributes.packed;
      const explicit = this.memberAlignAttr(m);
      if (explicit) {
        pos = roundUp(pos, explicit * 8);
        this.recordAlign = Math.max(this.recordAlign, explicit);
        this.userAligned = true;
      }
      // A bit-field may not span more units of its type's alignment than the type has, except when packed (gcc
      // since 4.4, char-sized types too: "offset of packed bit-field has changed in GCC 4.4") or under #pragma pack
      // (gcc's place_field skips the rule whenever a maximum field alignment is set: pack(8) too).
      if (!packed && !this.pack && excessUnitSpan(pos, width, typeAlign * 8, typeBits)) pos = roundUp(pos, typeAlign * 8);
      if (named || this.target.alignAnonymousBitfields) {
        let contributes = typeAlign;
        if (this.pack) contributes = Math.min(contributes, this.pack);
        else if (packed) contributes = 1;
        this.recordAlign = Math.max(this.recordAlign, contributes);
      }
    }
    this.members.push({ member: m, offset: Math.floor(pos / 8), size: Math.ceil((pos % 8 + width) / 8), align: typeAlign, bitOffset: pos, bitWidth: width });
    if (this.decl.kind === 'union') this.size = Math.max(this.size, Math.ceil((pos + width) / 8));
    else this.bitpos = pos + width;
  }
}

/** gcc's excess_unit_span: would the field cross more alignment units than its type has? */
function excessUnitSpan(bitpos: number, width: number, alignBits: number, typeBits: number): boolean {
  const offset = bitpos % alignBits;
  return Math.floor((offset + width + alignBits - 1) / alignBits) > Math.floor(typeBits / alignBits);
}

function roundUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

export function stripTypedefs(type: CType): CType {
  let t = type;
  while (t.kind === 'typedef' || t.kind === 'attributed') t = t.kind === 'typedef' ? t.decl.type : t.of;
  return t;
}

function pointee(type: CType): CType {
  const t = stripTypedefs(type);
  return t.kind === 'pointer' ? t.to : t;
}

/** Finds a member by name, looking through anonymous struct/union members (their offsets add up). */
function findMember(layout: RecordLayout, name: string): { member: MemberLayout; offset: number } | undefined {
  for (const m of layout.members) {
    if (m.member.name === name) return { member: m, offset: m.offset };
    if (m.member.name === null && m.nested) {
      const inner = findMember(m.nested, name);
      if (inner) return { member: inner.member, offset: m.offset + inner.offset };
    }
  }
  return undefined;
}

/**
 * Every member, nested ones after their record, into `out`: one list for the whole tree (each level's list copied into
 * its parent's made a record nested D deep cost D² copies, and a spread of a long list can overflow the stack).
 */
function flattenFields(members: MemberLayout[], prefix: string, base: number, depth: number, out: FieldLayout[] = []): FieldLayout[] {
  for (const m of members) {
    const name = m.member.name;
    if (name === null && !m.nested) continue; // unnamed bit-field: padding, not a member
    const offset = base + m.offset;
    const field: FieldLayout = {
      path: name === null ? null : prefix + name,
      member: m.member,
      depth,
      type: m.member.typeText,
      offset,
      size: m.size,
      align: m.align,
    };
    if (m.bitWidth !== undefined) {
      field.bitOffset = base * 8 + (m.bitOffset as number);
      field.bitWidth = m.bitWidth;
    }
    if (name === null) field.anonymous = true;
    out.push(field);
    if (m.nested) flattenFields(m.nested.members, name === null ? prefix : `${prefix}${name}.`, offset, depth + 1, out);
  }
  return out;
}

interface ByteRange {
  start: number;
  end: number;
}

/** A member's bytes, by its path (null: an unnamed bit-field), for naming what a hole follows. */
interface MemberBytes extends ByteRange {
  path: string | null;
}

const NO_HOLES: Hole[] = [];

/**
 * Bytes no member covers (holes between members at any depth, and padding after the last one), and bytes only
 * unnamed bit-fields cover (explicit padding).
 */
function findPadding(members: MemberLayout[], size: number): { holes: Hole[]; explicitPadding: Hole[]; tailPadding: number } {
  // Ranges rather than a map of bytes: a record's size is the user's to choose, up to gigabytes.
  const covered: ByteRange[] = [];
  const held: MemberBytes[] = [];
  const unnamed = markCovered(members, 0, '', covered, held);
  // Members come in offset order but for unions and bit-fields; sorting copies the array, so only when needed.
  if (!inOrder(covered)) covered.sort((a, b) => a.start - b.start);
  const holes: Hole[] = [];
  let reach = 0;
  for (const range of covered) {
    const start = Math.min(range.start, size);
    const end = Math.min(range.end, size);
    // A member of no size (a flexible array) covers nothing, but the bytes before it lie between members: a hole.
    if (end === start && range.end > range.start) continue;
    if (start > reach) holes.push({ offset: reach, size: start - reach, after: lastNamedEndingBy(held, reach) });
    if (end > reach) reach = end;
  }
  return { holes, explicitPadding: unnamed > 0 ? explicitPadding(held, size) : NO_HOLES, tailPadding: size - reach };
}

/** Bytes covered by unnamed bit-fields and by no named member. */
function explicitPadding(held: MemberBytes[], size: number): Hole[] {
  const named: ByteRange[] = [];
  const unnamed: ByteRange[] = [];
  for (const m of held) (m.path === null ? unnamed : named).push({ start: Math.min(m.start, size), end: Math.min(m.end, size) });
  named.sort((a, b) => a.start - b.start);
  unnamed.sort((a, b) => a.start - b.start);
  const after = namedEndingBy(held);
  const out: Hole[] = [];
  let n = 0;
  let namedReach = 0;
  let done = 0;
  for (const range of unnamed) {
    let start = Math.max(range.start, done);
    while (start < range.end) {
      for (; n < named.length && named[n].start <= start; n++) namedReach = Math.max(namedReach, named[n].end);
      if (namedReach > start) {
        start = namedReach;
        continue;
      }
      const end = Math.min(range.end, n < named.length ? named[n].start : range.end);
      const last = out[out.length - 1];
      if (last && last.offset + last.size === start) last.size += end - start;
      else out.push({ offset: start, size: end - start, after: after(start) });
      start = end;
    }
    done = Math.max(done, range.end);
  }
  return out;
}

function inOrder(ranges: { start: number }[]): boolean {
  for (let i = 1; i < ranges.length; i++) if (ranges[i].start < ranges[i - 1].start) return false;
  return true;
}

/**
 * The named member that ends last at or before `offset` (the first of several). A scan per hole: for the few holes
 * of most records it is cheaper than namedEndingBy's sort (the sweep for holes too measured +0.8 % instructions
 * over /usr/include/linux).
 */
function lastNamedEndingBy(held: MemberBytes[], offset: number): string | null {
  let after: string | null = null;
  let best = -1;
  for (const m of held) if (m.path !== null && m.end <= offset && m.end > best) ((best = m.end), (after = m.path));
  return after;
}

/**
 * lastNamedEndingBy for offsets asked in increasing order, in one sweep over the members sorted by end: explicit
 * padding may come in thousands of stretches (a struct of `char a; int :8;` pairs).
 */
function namedEndingBy(held: MemberBytes[]): (offset: number) => string | null {
  // A stable sort keeps members that end together in declaration order, and only a later end replaces the best.
  const sorted = held.filter((m) => m.path !== null).sort((a, b) => a.end - b.end);
  let next = 0;
  let best: MemberBytes | undefined;
  return (offset) => {
    for (; next < sorted.length && sorted[next].end <= offset; next++) if (!best || sorted[next].end > best.end) best = sorted[next];
    return best ? best.path : null;
  };
}

/** Collects the byte ranges members cover (with zero-size markers) and each member's bytes; returns how many are unnamed bit-fields. */
function markCovered(members: MemberLayout[], base: number, prefix: string, covered: ByteRange[], held: MemberBytes[]): number {
  let unnamed = 0;
  for (const m of members) {
    const path = m.member.name === null ? null : prefix + m.member.name;
    if (m.nested) {
      unnamed += markCovered(m.nested.members, base + m.offset, m.member.name === null ? prefix : `${path}.`, covered, held);
      continue;
    }
    let start = base + m.offset;
    let end = start + m.size;
    if (m.bitWidth !== undefined) {
      if (m.bitWidth === 0) continue;
      const bit = base * 8 + (m.bitOffset as number);
      start = Math.floor(bit / 8);
      end = Math.ceil((bit + m.bitWidth) / 8);
    }
    if (end > start) {
      covered.push({ start, end });
      held.push({ start, end, path });
      if (path === null) unnamed++;
    } else if (m.bitWidth === undefined) covered.push({ start, end: start });
  }
  return unnamed;
}
