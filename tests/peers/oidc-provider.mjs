// Starts npm `oidc-provider` (a certified OpenID Provider nobody here wrote) on 127.0.0.1
// with a free port, clients that authenticate with client assertions (RFC 7523), and
// client credentials, introspection and revocation on; prints one JSON line: {"issuer"}.
// The clients' public keys come from tests/fixtures/keys, their kids from jose's RFC 7638
// thumbprint (not gtx's).
import http from 'node:http';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';
import { calculateJwkThumbprint } from 'jose';

const keys = new URL('../fixtures/keys/', import.meta.url);
async function jwks(file) {
  const jwk = createPublicKey(readFileSync(new URL(file, keys))).export({ format: 'jwk' });
  jwk.kid = await calculateJwkThumbprint(jwk);
  return { keys: [jwk] };
}

const clients = [
  { client_id: 'key-ec', jwks: await jwks('ec.pub.pem'), token_endpoint_auth_method: 'private_key_jwt' },
  { client_id: 'key-rsa', jwks: await jwks('rsa.pub.pem'), token_endpoint_auth_method: 'private_key_jwt' },
  { client_id: 'key-ed25519', jwks: await jwks('ed25519.pub.pem'), token_endpoint_auth_method: 'private_key_jwt' },
  {
    client_id: 'secret-jwt',
    client_secret: 'peer-client-secret-for-hs256-0123456789abcdef',
    token_endpoint_auth_method: 'client_secret_jwt',
  },
].map((c) => ({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [], ...c }));

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const provider = new Provider(issuer, {
  clients,
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: false },
  },
});
// Quiet: the test reads only stdout's first line.
provider.on('server_error', () => {});
server.on('request', provider.callback());
process.stdout.write(JSON.stringify({ issuer }) + '\n');
// The test stops reading stdout after that line: notices the provider prints later (on
// revocation, for one) would meet a closed pipe and end the server mid-request.
console.log = console.info = (...args) => console.error(...args);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
