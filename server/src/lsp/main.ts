// Language server entry (bundled to dist/server.js): transport from argv (--stdio or --node-ipc).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// Started by hand or by an editor that passes no flag: stdio is the transport every LSP client speaks.
if (!process.argv.some((arg) => /^--(stdio|node-ipc|socket|pipe)/.test(arg))) process.argv.push('--stdio');

const connection = createConnection(ProposedFeatures.all);

// A bug in one handler must not take the editor's server down; it is logged to the client's output instead.
process.on('uncaughtException', (error) => connection.console.error(`model-lint: uncaught error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`model-lint: unhandled rejection: ${String(reason)}`));

startServer(connection);
