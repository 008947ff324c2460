#!/usr/bin/env node
'use strict';
// The `strata` executable. `--version` is answered here, before the engine loads, so that it
// stays instant; everything else goes to the compiled CLI.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`strata ${require('../package.json').version}\n`);
} else {
  require('../dist/electron/cli/main.js').main(args);
}
