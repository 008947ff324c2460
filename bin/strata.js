#!/usr/bin/env node
'use strict';
// The `strata` executable. `--version` is answered here, before the engine loads, so that it
// stays instant; everything else goes to the compiled CLI. The password's key starts deriving
// first, on the threadpool, while the CLI loads (see electron/cli/early-unlock.ts).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`strata ${require('../package.json').version}\n`);
} else {
  require('../dist/electron/cli/early-unlock.js').deriveEarly(args);
  require('../dist/electron/cli/main.js').main(args);
}
