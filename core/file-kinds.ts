// Which files Sysarg reads as C and which as patches, by their names (a patch by another name is told by its text).

/** Headers and sources whose structs and flags Sysarg reads. */
export const C_FILE_NAME = /\.(h|c|hh|hpp|cc|cpp|inc)$/i;

/** C sources, where kernel code copies structs in (evidence of which structs are extensible syscall arguments). */
export const C_SOURCE_NAME = /\.c$/;

/** Patches and mails of patches (b4 writes a series as a .mbx mailbox). */
export const PATCH_FILE_NAME = /\.(patch|diff|mbox|mbx|eml)$/i;
