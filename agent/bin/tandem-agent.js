#!/usr/bin/env node
// Committed shim so npm links the bin at install time, before dist/ is built.
await import('../dist/main.js');
