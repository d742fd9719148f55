#!/usr/bin/env node
// Committed shim so npm links the bin at install time, before dist/ is built.
import process from 'node:process';

const { main } = await import('../dist/cli/tandemctl.js');
process.exit(await main(process.argv.slice(2)));
