// Entry point of the bundled language server (dist/server.js): picks the transport from argv and starts serving.
import { startServer } from './server';

startServer();
