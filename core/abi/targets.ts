// The ABIs Sysarg lays structs out for: type sizes and alignments, gcc's record rules, and gcc's predefined macros.
import type { TargetName } from '../protocol';

export type BaseTypeName =
  | 'void'
  | '_Bool'
  | 'char'
  | 'signed char'
  | 'unsigned char'
  | 'short'
  | 'unsigned short'
  | 'int'
  | 'unsigned int'
  | 'long'
  | 'unsigned long'
  | 'long long'
  | 'unsigned long long'
  | '__int128'
  | 'unsigned __int128'
  | 'float'
  | 'double'
  | 'long double'
  | '_Float16'
  | '_Float128'
  | '__float80';

export interface SizeAlign {
  size: number;
  align: number;
}

export interface Target {
  name: TargetName;
  /** Debian multiarch triple: the system include directory /usr/include/<triple>. */
  multiarch: string;
  /** Other multiarch directories whose asm/ and bits/ headers also serve this target (x86 shares one set). */
  fallbackMultiarch: string[];
  /** The kernel's name for the architecture (its arch/ directory, SRCARCH). */
  kernelArch: 'x86' | 'arm64' | 'arm' | 'riscv';
  types: Partial<Record<BaseTypeName, SizeAlign>>;
  pointer: SizeAlign;
  /**
   * gcc's ADJUST_FIELD_ALIGN on i386: 8-byte integer and double fields inside records align to 4 unless the
   * type carries a user alignment (that is what `__aligned_u64` is for).
   */
  scalarFieldAlignCap?: number;
  charSigned: boolean;
  /** `__attribute__((aligned))` without an argument, and __BIGGEST_ALIGNMENT__. */
  biggestAlignment: number;
  /** AAPCS: unnamed bit-fields' types also raise the record's alignment. */
  alignAnonymousBitfields: boolean;
  /** Vectors (`vector_size(N)`) align to N, up to this many bytes where the ABI caps it (AAPCS 8, AAPCS64 16). */
  vectorAlignCap?: number;
  /** Typedef spelling of wchar_t (gcc's __WCHAR_TYPE__); size_t's and the 64-bit types' follow from the data model. */
  wcharType: string;
  /**
   * Architecture macros (__x86_64__, __aarch64__, ...) as `NAME VALUE` lines; those that follow from the data model,
   * the sign of char and the types (__LP64__, __CHAR_UNSIGNED__, __SIZEOF_INT128__...) are added by predefinedMacros.
   */
  archMacros: string[];
}

const common64 = {
  short: { size: 2, align: 2 },
  int: { size: 4, align: 4 },
  long: { size: 8, align: 8 },
  longlong: { size: 8, align: 8 },
};

function integerTypes(longSize: number, longLongAlign: number): Partial<Record<BaseTypeName, SizeAlign>> {
  const one = { size: 1, align: 1 };
  const long = { size: longSize, align: longSize };
  const longLong = { size: 8, align: longLongAlign };
  return {
    _Bool: one,
    char: one,
    'signed char': one,
    'unsigned char': one,
    short: common64.short,
    'unsigned short': common64.short,
    int: common64.int,
    'unsigned int': common64.int,
    long,
    'unsigned long': long,
    'long long': longLong,
    'unsigned long long': longLong,
    float: { size: 4, align: 4 },
    _Float16: { size: 2, align: 2 },
  };
}

/** What gcc defines for the x86-64 instruction set, whichever data model (x86_64's LP64 or x32's ILP32). */
const X86_64_ISA_MACROS = ['__x86_64 1', '__x86_64__ 1', '__amd64 1', '__amd64__ 1', '__k8 1', '__k8__ 1', '__code_model_small__ 1', '__MMX__ 1', '__SSE__ 1', '__SSE2__ 1', '__FXSR__ 1', '__SSE_MATH__ 1', '__SSE2_MATH__ 1', '__MMX_WITH_SSE__ 1', '__SEG_FS 1', '__SEG_GS 1'];

const int128 = { '__int128': { size: 16, align: 16 }, 'unsigned __int128': { size: 16, align: 16 } };
const quad = { '_Float128': { size: 16, align: 16 } };

export const TARGETS: Record<TargetName, Target> = {
  x86_64: {
    name: 'x86_64',
    multiarch: 'x86_64-linux-gnu',
    fallbackMultiarch: ['i386-linux-gnu'],
    kernelArch: 'x86',
    types: { ...integerTypes(8, 8), ...int128, ...quad, double: { size: 8, align: 8 }, 'long double': { size: 16, align: 16 }, __float80: { size: 16, align: 16 } },
    pointer: { size: 8, align: 8 },
    charSigned: true,
    biggestAlignment: 16,
    alignAnonymousBitfields: false,
    wcharType: 'int',
    archMacros: X86_64_ISA_MACROS,
  },
  i386: {
    name: 'i386',
    multiarch: 'i386-linux-gnu',
    fallbackMultiarch: ['x86_64-linux-gnu'],
    kernelArch: 'x86',
    types: { ...integerTypes(4, 8), ...quad, double: { size: 8, align: 8 }, 'long double': { size: 12, align: 4 }, __float80: { size: 12, align: 4 } },
    pointer: { size: 4, align: 4 },
    scalarFieldAlignCap: 4,
    charSigned: true,
    biggestAlignment: 16,
    alignAnonymousBitfields: false,
    wcharType: 'long int',
    archMacros: ['__i386 1', '__i386__ 1', 'i386 1', '__i686 1', '__i686__ 1', '__pentiumpro 1', '__pentiumpro__ 1'],
  },
  x32: {
    name: 'x32',
    multiarch: 'x86_64-linux-gnux32',
    fallbackMultiarch: ['x86_64-linux-gnu', 'i386-linux-gnu'],
    kernelArch: 'x86',
    types: { ...integerTypes(4, 8), ...int128, ...quad, double: { size: 8, align: 8 }, 'long double': { size: 16, align: 16 }, __float80: { size: 16, align: 16 } },
    pointer: { size: 4, align: 4 },
    charSigned: true,
    biggestAlignment: 16,
    alignAnonymousBitfields: false,
    wcharType: 'long int',
    archMacros: X86_64_ISA_MACROS,
  },
  aarch64: {
    name: 'aarch64',
    multiarch: 'aarch64-linux-gnu',
    fallbackMultiarch: [],
    kernelArch: 'arm64',
    types: { ...integerTypes(8, 8), ...int128, double: { size: 8, align: 8 }, 'long double': { size: 16, align: 16 } },
    pointer: { size: 8, align: 8 },
    charSigned: false,
    biggestAlignment: 16,
    // AAPCS64 as gcc implements it (aarch64_align_anon_bitfield): `char c; long long : 0;` is 8-aligned, size 8.
    alignAnonymousBitfields: true,
    vectorAlignCap: 16,
    wcharType: 'unsigned int',
    archMacros: ['__aarch64__ 1', '__AARCH64EL__ 1', '__ARM_64BIT_STATE 1', '__ARM_ARCH 8', '__ARM_ARCH_ISA_A64 1', '__ARM_PCS_AAPCS64 1', '__AARCH64_CMODEL_SMALL__ 1'],
  },
  arm: {
    name: 'arm',
    multiarch: 'arm-linux-gnueabihf',
    fallbackMultiarch: ['arm-linux-gnueabi'],
    kernelArch: 'arm',
    types: { ...integerTypes(4, 8), double: { size: 8, align: 8 }, 'long double': { size: 8, align: 8 } },
    pointer: { size: 4, align: 4 },
    charSigned: false,
    biggestAlignment: 8,
    alignAnonymousBitfields: true,
    vectorAlignCap: 8,
    wcharType: 'unsigned int',
    archMacros: ['__arm__ 1', '__ARM_EABI__ 1', '__ARMEL__ 1', '__ARM_ARCH 7', '__ARM_ARCH_7A__ 1', '__ARM_PCS_VFP 1', '__APCS_32__ 1', '__thumb2__ 1'],
  },
  riscv64: {
    name: 'riscv64',
    multiarch: 'riscv64-linux-gnu',
    fallbackMultiarch: [],
    kernelArch: 'riscv',
    types: { ...integerTypes(8, 8), ...int128, double: { size: 8, align: 8 }, 'long double': { size: 16, align: 16 } },
    pointer: { size: 8, align: 8 },
    charSigned: false,
    biggestAlignment: 16,
    alignAnonymousBitfields: false,
    wcharType: 'int',
    archMacros: ['__riscv 1', '__riscv_xlen 64', '__riscv_flen 64', '__riscv_float_abi_double 1', '__riscv_cmodel_medany 1', '__riscv_atomic 1', '__riscv_mul 1', '__riscv_div 1', '__riscv_compressed 1'],
  },
};

export function isTargetName(name: string): name is TargetName {
  return Object.prototype.hasOwnProperty.call(TARGETS, name);
}

function maxHex(bits: number): string {
  return '0x' + (bits % 4 === 3 ? '7' : '') + 'f'.repeat(Math.floor(bits / 4));
}

/** Integer-type macros the way gcc spells them (the literal suffix follows the type). */
function integerMacros(t: Target): string[] {
  const longBits = (t.types.long as SizeAlign).size * 8;
  const ptrBits = t.pointer.size * 8;
  // Linux targets are LP64 or ILP32: the 64-bit types are long or long long, the pointer-sized ones long or int.
  const lp64 = longBits === 64;
  const int64Type = lp64 ? 'long int' : 'long long int';
  const sizeType = lp64 ? 'long unsigned int' : 'unsigned int';
  const ptrdiffType = lp64 ? 'long int' : 'int';
  const suffix64 = lp64 ? 'L' : 'LL';
  const ptrSuffix = lp64 ? 'L' : '';
  const uptrSuffix = lp64 ? 'UL' : 'U';
  const uint64 = lp64 ? 'long unsigned int' : 'long long unsigned int';
  const intptr = lp64 ? 'long int' : 'int';
  const uintptr = lp64 ? 'long unsigned int' : 'unsigned int';
  const wcharSigned = !t.wcharType.startsWith('unsigned');
  const wcharMax = wcharSigned ? '0x7fffffff' + (t.wcharType === 'long int' ? 'L' : '') : '0xffffffffU';
  const lines = [
    `__SCHAR_MAX__ 0x7f`, `__SHRT_MAX__ 0x7fff`, `__INT_MAX__ 0x7fffffff`,
    `__LONG_MAX__ ${maxHex(longBits - 1)}L`, `__LONG_LONG_MAX__ 0x7fffffffffffffffLL`,
    `__SCHAR_WIDTH__ 8`, `__SHRT_WIDTH__ 16`, `__INT_WIDTH__ 32`, `__LONG_WIDTH__ ${longBits}`, `__LONG_LONG_WIDTH__ 64`,
    `__PTRDIFF_WIDTH__ ${ptrBits}`, `__SIZE_WIDTH__ ${ptrBits}`, `__INTPTR_WIDTH__ ${ptrBits}`, `__INTMAX_WIDTH__ 64`,
    `__WCHAR_WIDTH__ 32`, `__WINT_WIDTH__ 32`, `__SIG_ATOMIC_WIDTH__ 32`,
    `__WCHAR_MAX__ ${wcharMax}`, `__WCHAR_MIN__ ${wcharSigned ? '(-__WCHAR_MAX__ - 1)' : '0U'}`,
    `__WINT_MAX__ 0xffffffffU`, `__WINT_MIN__ 0U`,
    `__PTRDIFF_MAX__ ${maxHex(ptrBits - 1)}${ptrSuffix}`, `__SIZE_MAX__ ${maxHex(ptrBits)}${uptrSuffix}`,
    `__INTPTR_MAX__ ${maxHex(ptrBits - 1)}${ptrSuffix}`, `__UINTPTR_MAX__ ${maxHex(ptrBits)}${uptrSuffix}`,
    `__INTMAX_MAX__ 0x7fffffffffffffff${suffix64}`, `__UINTMAX_MAX__ 0xffffffffffffffffU${suffix64}`,
    `__SIG_ATOMIC_MAX__ 0x7fffffff`, `__SIG_ATOMIC_MIN__ (-__SIG_ATOMIC_MAX__ - 1)`,
    `__SIZE_TYPE__ ${sizeType}`, `__PTRDIFF_TYPE__ ${ptrdiffType}`, `__WCHAR_TYPE__ ${t.wcharType}`,
    `__WINT_TYPE__ unsigned int`, `__INTMAX_TYPE__ ${int64Type}`, `__UINTMAX_TYPE__ ${uint64}`,
    `__CHAR16_TYPE__ short unsigned int`, `__CHAR32_TYPE__ unsigned int`, `__SIG_ATOMIC_TYPE__ int`,
    `__INT8_TYPE__ signed char`, `__INT16_TYPE__ short int`, `__INT32_TYPE__ int`, `__INT64_TYPE__ ${int64Type}`,
    `__UINT8_TYPE__ unsigned char`, `__UINT16_TYPE__ short unsigned int`, `__UINT32_TYPE__ unsigned int`, `__UINT64_TYPE__ ${uint64}`,
    `__INT_LEAST8_TYPE__ signed char`, `__INT_LEAST16_TYPE__ short int`, `__INT_LEAST32_TYPE__ int`, `__INT_LEAST64_TYPE__ ${int64Type}`,
    `__UINT_LEAST8_TYPE__ unsigned char`, `__UINT_LEAST16_TYPE__ short unsigned int`, `__UINT_LEAST32_TYPE__ unsigned int`, `__UINT_LEAST64_TYPE__ ${uint64}`,
    `__INT_FAST8_TYPE__ signed char`, `__INT_FAST16_TYPE__ ${intptr}`, `__INT_FAST32_TYPE__ ${intptr}`, `__INT_FAST64_TYPE__ ${int64Type}`,
    `__UINT_FAST8_TYPE__ unsigned char`, `__UINT_FAST16_TYPE__ ${uintptr}`, `__UINT_FAST32_TYPE__ ${uintptr}`, `__UINT_FAST64_TYPE__ ${uint64}`,
    `__INTPTR_TYPE__ ${intptr}`, `__UINTPTR_TYPE__ ${uintptr}`,
    `__INT8_MAX__ 0x7f`, `__INT16_MAX__ 0x7fff`, `__INT32_MAX__ 0x7fffffff`, `__INT64_MAX__ 0x7fffffffffffffff${suffix64}`,
    `__UINT8_MAX__ 0xff`, `__UINT16_MAX__ 0xffff`, `__UINT32_MAX__ 0xffffffffU`, `__UINT64_MAX__ 0xffffffffffffffffU${suffix64}`,
    `__INT8_C(c) c`, `__INT16_C(c) c`, `__INT32_C(c) c`, `__INT64_C(c) c ## ${suffix64}`,
    `__UINT8_C(c) c`, `__UINT16_C(c) c`, `__UINT32_C(c) c ## U`, `__UINT64_C(c) c ## U${suffix64}`,
    `__INTMAX_C(c) c ## ${suffix64}`, `__UINTMAX_C(c) c ## U${suffix64}`,
  ];
  return lines;
}

/** gcc 12's predefined macros for the target in C (gnu17) mode, as `NAME VALUE` lines. */
export function predefinedMacros(t: Target): string[] {
  const s = (name: BaseTypeName): number => (t.types[name] as SizeAlign).size;
  return [
    '__STDC__ 1', '__STDC_VERSION__ 201710L', '__STDC_HOSTED__ 1', '__STDC_UTF_16__ 1', '__STDC_UTF_32__ 1',
    '__STDC_IEC_559__ 1', '__STDC_IEC_559_COMPLEX__ 1', '__STDC_ISO_10646__ 201706L',
    '__GNUC__ 12', '__GNUC_MINOR__ 2', '__GNUC_PATCHLEVEL__ 0', '__VERSION__ "12.2.0"', '__GNUC_STDC_INLINE__ 1',
    '__GCC_IEC_559 2', '__GCC_IEC_559_COMPLEX 2', '__NO_INLINE__ 1', '__CHAR_BIT__ 8', '__BIGGEST_ALIGNMENT__ ' + t.biggestAlignment,
    '__ORDER_LITTLE_ENDIAN__ 1234', '__ORDER_BIG_ENDIAN__ 4321', '__ORDER_PDP_ENDIAN__ 3412',
    '__BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__', '__FLOAT_WORD_ORDER__ __ORDER_LITTLE_ENDIAN__',
    '__ELF__ 1', '__linux 1', '__linux__ 1', 'linux 1', '__unix 1', '__unix__ 1', 'unix 1', '__gnu_linux__ 1',
    '__USER_LABEL_PREFIX__ ', '__REGISTER_PREFIX__ ',
    `__SIZEOF_INT__ ${s('int')}`, `__SIZEOF_LONG__ ${s('long')}`, `__SIZEOF_LONG_LONG__ ${s('long long')}`,
    `__SIZEOF_SHORT__ ${s('short')}`, `__SIZEOF_FLOAT__ 4`, `__SIZEOF_DOUBLE__ 8`, `__SIZEOF_LONG_DOUBLE__ ${s('long double')}`,
    `__SIZEOF_POINTER__ ${t.pointer.size}`, `__SIZEOF_SIZE_T__ ${t.pointer.size}`, `__SIZEOF_PTRDIFF_T__ ${t.pointer.size}`,
    `__SIZEOF_WCHAR_T__ 4`, `__SIZEOF_WINT_T__ 4`,
    ...integerMacros(t),
    ...(t.pointer.size === 8 ? ['__LP64__ 1', '_LP64 1'] : ['__ILP32__ 1', '_ILP32 1']),
    ...(t.charSigned ? [] : ['__CHAR_UNSIGNED__ 1']),
    ...sizeofExtendedTypes(t),
    ...t.archMacros,
  ];
}

/** __SIZEOF_INT128__, __SIZEOF_FLOAT80__ and __SIZEOF_FLOAT128__ for the targets that have those types. */
function sizeofExtendedTypes(t: Target): string[] {
  const out: string[] = [];
  if (t.types.__int128) out.push(`__SIZEOF_INT128__ ${t.types.__int128.size}`);
  if (t.types.__float80) out.push(`__SIZEOF_FLOAT80__ ${t.types.__float80.size}`);
  if (t.types._Float128) out.push(`__SIZEOF_FLOAT128__ ${t.types._Float128.size}`);
  return out;
}
