// Starts npm `oidc-provider` (a certified OpenID Provider nobody here wrote) on 127.0.0.1
// with a free port, clients that authenticate with client assertions (RFC 7523), client
// credentials, introspection and revocation on, and DPoP (RFC 9449) with nonces required;
// prints one JSON line: {"issuer"}. The clients' public keys come from tests/fixtures/keys,
// their kids from jose's RFC 7638 thumbprint (not gtx's). `/resource` is a protected
// resource that takes the provider's DPoP-bound access tokens with a proof checked by
// jose: signature by the embedded key, htm, htu (no query), iat, ath, and the token's jkt.
import http from 'node:http';
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify } from 'jose';

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
    dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
  },
});
const seen = new Set();
async function resource(req, res) {
  const refuse = (why) => {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': `DPoP error="invalid_token"` });
    res.end(JSON.stringify({ error: 'invalid_token', error_description: why }));
  };
  const [scheme, token] = (req.headers.authorization || '').split(' ');
  if (scheme !== 'DPoP' || !token || !req.headers.dpop) return refuse('DPoP token and proof required');
  // Client credentials tokens are their own model; others are AccessTokens.
  const at = (await provider.ClientCredentials.find(token)) || (await provider.AccessToken.find(token));
  if (!at || !at.jkt) return refuse('not a DPoP-bound access token of this provider');
  let verified;
  try {
    verified = await jwtVerify(req.headers.dpop, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
  } catch (e) {
    return refuse(`proof: ${e.message}`);
  }
  const { payload, protectedHeader } = verified;
  const htu = `${issuer}${new URL(req.url, issuer).pathname}`;
  const ath = createHash('sha256').update(token).digest('base64url');
  if (payload.htm !== req.method) return refuse('htm');
  if (payload.htu !== htu) return refuse(`htu ${payload.htu} is not ${htu}`);
  if (payload.ath !== ath) return refuse('ath');
  if (Math.abs(payload.iat - Date.now() / 1000) > 60) return refuse('iat');
  if (seen.has(payload.jti)) return refuse('jti replayed');
  seen.add(payload.jti);
  if (await calculateJwkThumbprint(protectedHeader.jwk) !== at.jkt) return refuse('key is not the token\'s');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, client_id: at.clientId }));
}
// Quiet: the test reads only stdout's first line.
provider.on('server_error', () => {});
const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/resource')) {
    resource(req, res).catch(() => { res.writeHead(500); res.end(); });
  } else {
    callback(req, res);
  }
});
process.stdout.write(JSON.stringify({ issuer }) + '\n');
// The test stops reading stdout after that line: notices the provider prints later (on
// revocation, for one) would meet a closed pipe and end the server mid-request.
console.log = console.info = (...args) => console.error(...args);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
