
use builtin;
use str;

set edit:completion:arg-completer[gtx] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'gtx'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'gtx'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Sign in: in the browser (default), with a device code, or store an app''s client credentials, a password-grant session, or a token'
            cand logout 'Remove the profile''s stored record (client credentials and session)'
            cand token 'Get, mint, validate, inspect and clear access tokens'
            cand request 'Send an authenticated request to the environment''s API and print the response body'
            cand exec 'Run a command with a valid token in its environment (GTX_TOKEN, GTX_API_BASE, …)'
            cand status 'Show every stored profile: credential kind, session, expiry, scopes'
            cand env 'Manage environments (where an API is and how it authenticates)'
            cand completions 'Print a shell completion script'
            cand generate-docs 'Write completions/ and man/ from this binary''s command definition (for packagers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gtx;login'= {
            cand --client-id 'Client id (default: GTX_CLIENT_ID, the environment''s client_id, else prompted; with --password: the client the password grant is sent for; in the browser and with --device: the app to sign in to)'
            cand --domain 'header-token: the account''s domain; gtx sends its base64 as the client id'
            cand --username 'Username for --password (prompted if absent)'
            cand --scope 'Scopes to request (space- or comma-separated; default: the environment''s)'
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --device 'Device login (RFC 8628): show a code to enter on another device''s browser'
            cand --no-browser 'Only print the sign-in URL; do not open a browser'
            cand --client-credentials 'Store an app''s client id and secret, then mint one token to prove them'
            cand --password 'Password grant (oauth2-json): keeps the refresh token, never the password'
            cand --with-token 'Read an access token from stdin, check it, and store it'
            cand --no-verify 'With --with-token: store the token without checking it with the server'
            cand --client-secret-stdin 'Read the client secret from stdin instead of a prompt'
            cand --password-stdin 'Read the password from stdin instead of a prompt'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;logout'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --all 'Remove every profile in the store, all environments'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;token'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand get 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted'
            cand generate 'Mint a new token now (ignoring the cache), store it and print it'
            cand validate 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not'
            cand show 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself'
            cand clear 'Drop cached tokens (refresh tokens too), keep client credentials'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gtx;token;get'= {
            cand --min-ttl 'Minimum remaining lifetime in seconds; a token closer to expiry is renewed'
            cand --scope 'Scopes the token must carry (space- or comma-separated)'
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --header 'Print `Authorization: <type> <token>` instead of the bare token'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;token;generate'= {
            cand --scope 'Scopes to request (space- or comma-separated; default: the environment''s)'
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;token;validate'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;token;show'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;token;clear'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --all 'Clear cached tokens of every profile in the store'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;token;help'= {
            cand get 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted'
            cand generate 'Mint a new token now (ignoring the cache), store it and print it'
            cand validate 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not'
            cand show 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself'
            cand clear 'Drop cached tokens (refresh tokens too), keep client credentials'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gtx;token;help;get'= {
        }
        &'gtx;token;help;generate'= {
        }
        &'gtx;token;help;validate'= {
        }
        &'gtx;token;help;show'= {
        }
        &'gtx;token;help;clear'= {
        }
        &'gtx;token;help;help'= {
        }
        &'gtx;request'= {
            cand -H 'Request header ''Name: value'' (repeatable)'
            cand --header 'Request header ''Name: value'' (repeatable)'
            cand -d 'Request body: DATA as is, @FILE, or @- for stdin'
            cand --data 'Request body: DATA as is, @FILE, or @- for stdin'
            cand -f 'JSON body field with a string value (repeatable); nested keys: a.b, items[0].sku, tags[]'
            cand --raw-field 'JSON body field with a string value (repeatable); nested keys: a.b, items[0].sku, tags[]'
            cand -F 'JSON body field with a typed value: number, true/false, null, JSON, or @FILE.json'
            cand --field 'JSON body field with a typed value: number, true/false, null, JSON, or @FILE.json'
            cand -q 'Query parameter (repeatable)'
            cand --query 'Query parameter (repeatable)'
            cand -o 'Write the body to FILE (atomically) instead of stdout'
            cand --output 'Write the body to FILE (atomically) instead of stdout'
            cand --retry 'Retry connect errors, 5xx and 429 with Retry-After up to N times (idempotent methods only)'
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand -i 'Print the status line and response headers before the body'
            cand --include 'Print the status line and response headers before the body'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;exec'= {
            cand --min-ttl 'Minimum remaining lifetime of the token in seconds'
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;status'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;env'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List environments (built-in and configured)'
            cand show 'Show one environment''s settings'
            cand add 'Add an environment to the config file'
            cand set 'Set one field of an environment (built-ins get an override in the config file)'
            cand remove 'Remove an environment (for a built-in: drop its override)'
            cand use 'Make an environment the default (config `default_env`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gtx;env;list'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;env;show'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;env;add'= {
            cand --api-base 'Origin (and optional base path) of the API'
            cand --dialect 'Token-endpoint dialect'
            cand --token-url 'Token endpoint (absolute, or relative to --api-base)'
            cand --authorize-url 'Authorization endpoint for browser login'
            cand --device-url 'RFC 8628 device authorization endpoint for device login'
            cand --validate-url 'header-token validation endpoint'
            cand --introspect-url 'RFC 7662 introspection endpoint'
            cand --revoke-url 'RFC 7009 revocation endpoint'
            cand --client-id 'Public client id (header-token: base64 of the domain)'
            cand --scopes 'Default scopes (space- or comma-separated)'
            cand --redirect-port 'Fixed loopback port for browser login'
            cand --token-prefix 'Prefix every token of this environment must carry (e.g. sandbox_, live_)'
            cand --client-auth 'How oauth2 sends client credentials'
            cand --issuer 'OAuth/OpenID issuer: fill the endpoint URLs from its discovery document'
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --force 'Replace an existing environment of that name'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;env;set'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;env;remove'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;env;use'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;env;help'= {
            cand list 'List environments (built-in and configured)'
            cand show 'Show one environment''s settings'
            cand add 'Add an environment to the config file'
            cand set 'Set one field of an environment (built-ins get an override in the config file)'
            cand remove 'Remove an environment (for a built-in: drop its override)'
            cand use 'Make an environment the default (config `default_env`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gtx;env;help;list'= {
        }
        &'gtx;env;help;show'= {
        }
        &'gtx;env;help;add'= {
        }
        &'gtx;env;help;set'= {
        }
        &'gtx;env;help;remove'= {
        }
        &'gtx;env;help;use'= {
        }
        &'gtx;env;help;help'= {
        }
        &'gtx;completions'= {
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;generate-docs'= {
            cand --out-dir 'Directory that receives completions/ and man/'
            cand --env 'Environment to use (built in: sandbox, production)'
            cand --credential 'Credential name within the environment (one per app) [default: default]'
            cand --store 'Where credentials and tokens are kept [default: keyring]'
            cand --timeout 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]'
            cand --json 'Print data as one JSON document on stdout'
            cand -v 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --verbose 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
            cand --no-color 'Never colour output (also: NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gtx;help'= {
            cand login 'Sign in: in the browser (default), with a device code, or store an app''s client credentials, a password-grant session, or a token'
            cand logout 'Remove the profile''s stored record (client credentials and session)'
            cand token 'Get, mint, validate, inspect and clear access tokens'
            cand request 'Send an authenticated request to the environment''s API and print the response body'
            cand exec 'Run a command with a valid token in its environment (GTX_TOKEN, GTX_API_BASE, …)'
            cand status 'Show every stored profile: credential kind, session, expiry, scopes'
            cand env 'Manage environments (where an API is and how it authenticates)'
            cand completions 'Print a shell completion script'
            cand generate-docs 'Write completions/ and man/ from this binary''s command definition (for packagers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gtx;help;login'= {
        }
        &'gtx;help;logout'= {
        }
        &'gtx;help;token'= {
            cand get 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted'
            cand generate 'Mint a new token now (ignoring the cache), store it and print it'
            cand validate 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not'
            cand show 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself'
            cand clear 'Drop cached tokens (refresh tokens too), keep client credentials'
        }
        &'gtx;help;token;get'= {
        }
        &'gtx;help;token;generate'= {
        }
        &'gtx;help;token;validate'= {
        }
        &'gtx;help;token;show'= {
        }
        &'gtx;help;token;clear'= {
        }
        &'gtx;help;request'= {
        }
        &'gtx;help;exec'= {
        }
        &'gtx;help;status'= {
        }
        &'gtx;help;env'= {
            cand list 'List environments (built-in and configured)'
            cand show 'Show one environment''s settings'
            cand add 'Add an environment to the config file'
            cand set 'Set one field of an environment (built-ins get an override in the config file)'
            cand remove 'Remove an environment (for a built-in: drop its override)'
            cand use 'Make an environment the default (config `default_env`)'
        }
        &'gtx;help;env;list'= {
        }
        &'gtx;help;env;show'= {
        }
        &'gtx;help;env;add'= {
        }
        &'gtx;help;env;set'= {
        }
        &'gtx;help;env;remove'= {
        }
        &'gtx;help;env;use'= {
        }
        &'gtx;help;completions'= {
        }
        &'gtx;help;generate-docs'= {
        }
        &'gtx;help;help'= {
        }
    ]
    $completions[$command]
}
