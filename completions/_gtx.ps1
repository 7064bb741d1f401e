
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'gtx' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'gtx'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'gtx' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in: in the browser (default), with a device code, or store an app''s client credentials, a password-grant session, or a token')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the profile''s stored record (client credentials and session)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Get, mint, validate, inspect and clear access tokens')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Send an authenticated request to the environment''s API and print the response body')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a valid token in its environment (GTX_TOKEN, GTX_API_BASE, …)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every stored profile: credential kind, session, expiry, scopes')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Manage environments (where an API is and how it authenticates)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate-docs', 'generate-docs', [CompletionResultType]::ParameterValue, 'Write completions/ and man/ from this binary''s command definition (for packagers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gtx;login' {
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Client id (default: GTX_CLIENT_ID, the environment''s client_id, else prompted; with --password: the client the password grant is sent for; in the browser and with --device: the app to sign in to)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'header-token: the account''s domain; gtx sends its base64 as the client id')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username for --password (prompted if absent)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scopes to request (space- or comma-separated; default: the environment''s)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Device login (RFC 8628): show a code to enter on another device''s browser')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Only print the sign-in URL; do not open a browser')
            [CompletionResult]::new('--client-credentials', '--client-credentials', [CompletionResultType]::ParameterName, 'Store an app''s client id and secret, then mint one token to prove them')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password grant (oauth2-json): keeps the refresh token, never the password')
            [CompletionResult]::new('--with-token', '--with-token', [CompletionResultType]::ParameterName, 'Read an access token from stdin, check it, and store it')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'With --with-token: store the token without checking it with the server')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from stdin instead of a prompt')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin instead of a prompt')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;logout' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Remove every profile in the store, all environments')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;token' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Mint a new token now (ignoring the cache), store it and print it')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Drop cached tokens (refresh tokens too), keep client credentials')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gtx;token;get' {
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Minimum remaining lifetime in seconds; a token closer to expiry is renewed')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scopes the token must carry (space- or comma-separated)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Print `Authorization: <type> <token>` instead of the bare token')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;token;generate' {
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scopes to request (space- or comma-separated; default: the environment''s)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;token;validate' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;token;show' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;token;clear' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Clear cached tokens of every profile in the store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;token;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Mint a new token now (ignoring the cache), store it and print it')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Drop cached tokens (refresh tokens too), keep client credentials')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gtx;token;help;get' {
            break
        }
        'gtx;token;help;generate' {
            break
        }
        'gtx;token;help;validate' {
            break
        }
        'gtx;token;help;show' {
            break
        }
        'gtx;token;help;clear' {
            break
        }
        'gtx;token;help;help' {
            break
        }
        'gtx;request' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request header ''Name: value'' (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request header ''Name: value'' (repeatable)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Request body: DATA as is, @FILE, or @- for stdin')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Request body: DATA as is, @FILE, or @- for stdin')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'JSON body field with a string value (repeatable); nested keys: a.b, items[0].sku, tags[]')
            [CompletionResult]::new('--raw-field', '--raw-field', [CompletionResultType]::ParameterName, 'JSON body field with a string value (repeatable); nested keys: a.b, items[0].sku, tags[]')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'JSON body field with a typed value: number, true/false, null, JSON, or @FILE.json')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'JSON body field with a typed value: number, true/false, null, JSON, or @FILE.json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Query parameter (repeatable)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Query parameter (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the body to FILE (atomically) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the body to FILE (atomically) instead of stdout')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'Retry connect errors, 5xx and 429 with Retry-After up to N times (idempotent methods only)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Print the status line and response headers before the body')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Print the status line and response headers before the body')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;exec' {
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Minimum remaining lifetime of the token in seconds')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;status' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;env' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List environments (built-in and configured)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one environment''s settings')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment to the config file')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one field of an environment (built-ins get an override in the config file)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an environment (for a built-in: drop its override)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make an environment the default (config `default_env`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gtx;env;list' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;env;show' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;env;add' {
            [CompletionResult]::new('--api-base', '--api-base', [CompletionResultType]::ParameterName, 'Origin (and optional base path) of the API')
            [CompletionResult]::new('--dialect', '--dialect', [CompletionResultType]::ParameterName, 'Token-endpoint dialect')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'Token endpoint (absolute, or relative to --api-base)')
            [CompletionResult]::new('--authorize-url', '--authorize-url', [CompletionResultType]::ParameterName, 'Authorization endpoint for browser login')
            [CompletionResult]::new('--device-url', '--device-url', [CompletionResultType]::ParameterName, 'RFC 8628 device authorization endpoint for device login')
            [CompletionResult]::new('--validate-url', '--validate-url', [CompletionResultType]::ParameterName, 'header-token validation endpoint')
            [CompletionResult]::new('--introspect-url', '--introspect-url', [CompletionResultType]::ParameterName, 'RFC 7662 introspection endpoint')
            [CompletionResult]::new('--revoke-url', '--revoke-url', [CompletionResultType]::ParameterName, 'RFC 7009 revocation endpoint')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Public client id (header-token: base64 of the domain)')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Default scopes (space- or comma-separated)')
            [CompletionResult]::new('--redirect-port', '--redirect-port', [CompletionResultType]::ParameterName, 'Fixed loopback port for browser login')
            [CompletionResult]::new('--token-prefix', '--token-prefix', [CompletionResultType]::ParameterName, 'Prefix every token of this environment must carry (e.g. sandbox_, live_)')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'How oauth2 sends client credentials')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth/OpenID issuer: fill the endpoint URLs from its discovery document')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing environment of that name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;env;set' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;env;remove' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;env;use' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;env;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List environments (built-in and configured)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one environment''s settings')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment to the config file')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one field of an environment (built-ins get an override in the config file)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an environment (for a built-in: drop its override)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make an environment the default (config `default_env`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gtx;env;help;list' {
            break
        }
        'gtx;env;help;show' {
            break
        }
        'gtx;env;help;add' {
            break
        }
        'gtx;env;help;set' {
            break
        }
        'gtx;env;help;remove' {
            break
        }
        'gtx;env;help;use' {
            break
        }
        'gtx;env;help;help' {
            break
        }
        'gtx;completions' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;generate-docs' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Directory that receives completions/ and man/')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to use (built in: sandbox, production)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Credential name within the environment (one per app) [default: default]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where credentials and tokens are kept [default: keyring]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print data as one JSON document on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never colour output (also: NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gtx;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in: in the browser (default), with a device code, or store an app''s client credentials, a password-grant session, or a token')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the profile''s stored record (client credentials and session)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Get, mint, validate, inspect and clear access tokens')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Send an authenticated request to the environment''s API and print the response body')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a valid token in its environment (GTX_TOKEN, GTX_API_BASE, …)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every stored profile: credential kind, session, expiry, scopes')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Manage environments (where an API is and how it authenticates)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate-docs', 'generate-docs', [CompletionResultType]::ParameterValue, 'Write completions/ and man/ from this binary''s command definition (for packagers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gtx;help;login' {
            break
        }
        'gtx;help;logout' {
            break
        }
        'gtx;help;token' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Mint a new token now (ignoring the cache), store it and print it')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Drop cached tokens (refresh tokens too), keep client credentials')
            break
        }
        'gtx;help;token;get' {
            break
        }
        'gtx;help;token;generate' {
            break
        }
        'gtx;help;token;validate' {
            break
        }
        'gtx;help;token;show' {
            break
        }
        'gtx;help;token;clear' {
            break
        }
        'gtx;help;request' {
            break
        }
        'gtx;help;exec' {
            break
        }
        'gtx;help;status' {
            break
        }
        'gtx;help;env' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List environments (built-in and configured)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one environment''s settings')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment to the config file')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one field of an environment (built-ins get an override in the config file)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an environment (for a built-in: drop its override)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make an environment the default (config `default_env`)')
            break
        }
        'gtx;help;env;list' {
            break
        }
        'gtx;help;env;show' {
            break
        }
        'gtx;help;env;add' {
            break
        }
        'gtx;help;env;set' {
            break
        }
        'gtx;help;env;remove' {
            break
        }
        'gtx;help;env;use' {
            break
        }
        'gtx;help;completions' {
            break
        }
        'gtx;help;generate-docs' {
            break
        }
        'gtx;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
