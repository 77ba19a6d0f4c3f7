// A real OpenID provider (oidc-provider, a certified implementation) for Waymark's single sign-on tests.
//
//   PORT=5300 REDIRECT_URIS=http://127.0.0.1:5000/sso/callback node tests/sso/provider.mjs
//
// The login page is oidc-provider's own: any login and password are accepted, and the login
// becomes the account's `sub` and email address (ACCOUNTS, a JSON object, adds claims per login).
// Consent is given automatically, so a person sees the login form and nothing else.
//
// One client tells the truth. Each of the others misbehaves in one way, so that the tests can show
// Waymark refusing it: its ID token is rewritten after oidc-provider made it, and signed again
// with the provider's own key (or, for "waymark-bad-signature", with a key the JWKS does not hold).
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const PORT = Number(process.env.PORT ?? 5300);
const ISSUER = `http://127.0.0.1:${PORT}`;
const REDIRECT_URIS = (process.env.REDIRECT_URIS ?? '').split(',').filter(Boolean);
const ACCOUNTS = JSON.parse(process.env.ACCOUNTS ?? '{}');
const SECRET = 'waymark-test-secret';

const now = () => Math.floor(Date.now() / 1000);
const replayed = new Map();  // client id -> the first ID token it was given
const MISBEHAVIOURS = {
  'waymark-wrong-issuer': (claims) => ({ ...claims, iss: 'https://login.example.invalid/another-tenant/v2.0' }),
  'waymark-wrong-audience': (claims) => ({ ...claims, aud: 'another-service' }),
  'waymark-expired': (claims) => ({ ...claims, iat: now() - 7200, exp: now() - 3600 }),
  'waymark-bad-signature': (claims) => claims,
};

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const { privateKey: strangerKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'waymark-test', alg: 'RS256', use: 'sig' };

const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString());

function resign(idToken, change, key) {
  const [header, payload] = idToken.split('.');
  const body = `${header}.${encode(change(decode(payload)))}`;
  return `${body}.${crypto.sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

function misbehave(clientId, idToken) {
  if (clientId === 'waymark-replayed-nonce') {  // every sign-in after the first gets the first one's token
    if (!replayed.has(clientId)) replayed.set(clientId, idToken);
    return replayed.get(clientId);
  }
  const change = MISBEHAVIOURS[clientId];
  if (!change) return idToken;
  return resign(idToken, change, clientId === 'waymark-bad-signature' ? strangerKey : privateKey);
}

const client = (clientId) => ({
  client_id: clientId,
  client_secret: SECRET,
  redirect_uris: REDIRECT_URIS,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(ISSUER, {
  clients: ['waymark', 'waymark-replayed-nonce', ...Object.keys(MISBEHAVIOURS)].map(client),
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },  // the default forces PKCE on public clients only
  conformIdTokenClaims: false,     // the scopes' claims go into the ID token, not only to /me
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'employee_number'],
  },
  async findAccount(ctx, sub) {
    const [first, last = ''] = sub.split('@')[0].split('.');
    const title = (word) => word.charAt(0).toUpperCase() + word.slice(1);
    return {
      accountId: sub,
      async claims() {
        return {
          sub, email: sub, email_verified: true, given_name: title(first), family_name: title(last),
          name: `${title(first)} ${title(last)}`.trim(), ...(ACCOUNTS[sub] ?? {}),
        };
      },
    };
  },
  async loadExistingGrant(ctx) {   // consent is given for every client: only the login form is shown
    const id = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (id) return ctx.oidc.provider.Grant.find(id);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.method === 'POST' && ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    const { aud } = decode(ctx.body.id_token.split('.')[1]);
    ctx.body = { ...ctx.body, id_token: misbehave(aud, ctx.body.id_token) };
  }
});

provider.listen(PORT, '127.0.0.1', () => console.log(`oidc-provider ready ${ISSUER}`));
