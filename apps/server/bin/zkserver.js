#!/usr/bin/env node
// Committed launcher: npm links a workspace bin at install time only if its file exists, and
// dist/ appears only after `npm run build`. This file exists from the clone on.
await import('../dist/cli.js');
