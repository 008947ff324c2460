#!/usr/bin/env node
'use strict';
// The `strata` executable. `--version` is answered here, before the engine loads, so that it
// stays instant; everything else goes to the compiled CLI. The password's key is derived
// first, while the process is small (see electron/cli/early-unlock.ts: scrypt's 32 MiB).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`strata ${require('../package.json').version}\n`);
} else {
  const start = () => require('../dist/electron/cli/main.js').main(args);
  require('../dist/electron/cli/early-unlock.js').deriveEarly(args).then(start, start);
}
