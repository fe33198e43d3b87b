// The `sysarg.*` settings as the server uses them, read from the client and checked (bad values fall back to defaults).
import { isAbsolute, join } from 'node:path';
import { isTargetName } from '../core/abi/targets';
import { DEFAULT_SETTINGS, type SysargSettings, type TargetName } from '../core/protocol';

export function normalizeSettings(raw: unknown): SysargSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  const targets = strings(value.targets).filter(isTargetName) as TargetName[];
  const inlay = value.inlayHints as { enabled?: unknown } | undefined;
  return {
    targets: targets.length > 0 ? [...new Set(targets)] : DEFAULT_SETTINGS.targets,
    includePaths: strings(value.includePaths),
    defines: strings(value.defines).filter((d) => /^[A-Za-z_]\w*(=.*)?$/s.test(d)),
    kernelTree: typeof value.kernelTree === 'boolean' ? value.kernelTree : DEFAULT_SETTINGS.kernelTree,
    baseline: value.baseline === 'none' || value.baseline === 'git' ? value.baseline : DEFAULT_SETTINGS.baseline,
    newOnly: typeof value.newOnly === 'boolean' ? value.newOnly : DEFAULT_SETTINGS.newOnly,
    compileCommands: typeof value.compileCommands === 'string' ? value.compileCommands.trim() : DEFAULT_SETTINGS.compileCommands,
    inlayHints: { enabled: typeof inlay?.enabled === 'boolean' ? inlay.enabled : DEFAULT_SETTINGS.inlayHints.enabled },
  };
}

/** Include paths with relative entries resolved against the first workspace folder. */
export function resolveIncludePaths(paths: string[], workspaceRoot: string | undefined): string[] {
  return paths.map((p) => (isAbsolute(p) || !workspaceRoot ? p : join(workspaceRoot, p)));
}
