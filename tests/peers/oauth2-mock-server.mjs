// Starts npm `oauth2-mock-server` (a third-party authorization server) on 127.0.0.1 with a
// free port and a 127.0.0.1 issuer, then prints one JSON line: {"issuer": "..."}.
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
const { port } = server.address();
server.issuer.url = `http://127.0.0.1:${port}`;
process.stdout.write(JSON.stringify({ issuer: server.issuer.url }) + '\n');
process.on('SIGTERM', async () => { await server.stop(); process.exit(0); });
