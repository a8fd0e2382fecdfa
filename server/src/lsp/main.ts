// Language server entry (bundled to dist/server.js): transport from argv (--stdio, --node-ipc, --socket=N).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);

// A bug in one handler must not take the editor's server down; it is logged to the client's output instead.
process.on('uncaughtException', (error) => connection.console.error(`model-lint: uncaught error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`model-lint: unhandled rejection: ${String(reason)}`));

startServer(connection);
