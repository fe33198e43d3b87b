// Which files Sysarg reads as C and which as patches, by their names (a patch by another name is told by its text).
import { COMPILE_COMMANDS_FILE } from './c/compile-commands';

/** The extensions of headers and sources whose structs and flags Sysarg reads. */
const C_EXTENSIONS = ['h', 'c', 'hh', 'hpp', 'cc', 'cpp', 'inc'];

/** The extensions of patches and mails of patches (b4 writes a series as a .mbx mailbox). */
const PATCH_EXTENSIONS = ['patch', 'diff', 'mbox', 'mbx', 'eml'];

export const C_FILE_NAME = new RegExp(`\\.(${C_EXTENSIONS.join('|')})$`, 'i');

/** C sources, where kernel code copies structs in (evidence of which structs are extensible syscall arguments). */
export const C_SOURCE_NAME = /\.c$/;

export const PATCH_FILE_NAME = new RegExp(`\\.(${PATCH_EXTENSIONS.join('|')})$`, 'i');

/**
 * Every file Sysarg reads, compilation databases too, as one glob (what an editor is asked to watch on disk). One
 * pattern, not one per kind: with a second watcher, code-server's VS Code now and then dropped the first one's event
 * for a .c file written just before (the e2e test of copy_struct_from_user() evidence failed 1 run in 3 or 4).
 */
export const READ_FILES_GLOB = `**/{${[...C_EXTENSIONS, ...PATCH_EXTENSIONS].map((e) => `*.${e}`).join(',')},${COMPILE_COMMANDS_FILE}}`;
