#!/usr/bin/env node
require('../dist/server.js'); // model-lint language server; transport from argv: --stdio or --node-ipc
