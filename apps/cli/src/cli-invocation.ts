import { commandLine } from './shell-quote';

/**
 * How every hint, example and recorded command spells the CLI: `npx curvad` works from the
 * repository root after `npm run setup` (the root package depends on @curvad/cli, so
 * node_modules/.bin/curvad exists) without a global install.
 */
export const CLI_INVOCATION = 'npx curvad';

/** `npx curvad <args>`, each argument quoted for a POSIX shell where needed. */
export function cliCommand(args: readonly string[]): string {
  return `${CLI_INVOCATION} ${commandLine([...args])}`;
}
