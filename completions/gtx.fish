# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_gtx_global_optspecs
    string join \n env= credential= store= json v/verbose no-color timeout= h/help V/version
end

function __fish_gtx_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_gtx_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_gtx_using_subcommand
    set -l cmd (__fish_gtx_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c gtx -n "__fish_gtx_needs_command" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_needs_command" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_needs_command" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_needs_command" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_needs_command" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_needs_command" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_needs_command" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_needs_command" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "login" -d 'Sign in: in the browser (default), with a device code, or store an app\'s client credentials, a password-grant session, or a token'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "logout" -d 'Remove the profile\'s stored record (client credentials and session)'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "token" -d 'Get, mint, validate, inspect and clear access tokens'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "request" -d 'Send an authenticated request to the environment\'s API and print the response body'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "exec" -d 'Run a command with a valid token in its environment (GTX_TOKEN, GTX_API_BASE, …)'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "status" -d 'Show every stored profile: credential kind, session, expiry, scopes'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "env" -d 'Manage environments (where an API is and how it authenticates)'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "generate-docs" -d 'Write completions/ and man/ from this binary\'s command definition (for packagers)'
complete -c gtx -n "__fish_gtx_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l client-id -d 'Client id (default: GTX_CLIENT_ID, the environment\'s client_id, else prompted; with --password: the client the password grant is sent for; in the browser and with --device: the app to sign in to)' -r
complete -c gtx -n "__fish_gtx_using_subcommand login" -l domain -d 'header-token: the account\'s domain; gtx sends its base64 as the client id' -r
complete -c gtx -n "__fish_gtx_using_subcommand login" -l username -d 'Username for --password (prompted if absent)' -r
complete -c gtx -n "__fish_gtx_using_subcommand login" -l scope -d 'Scopes to request (space- or comma-separated; default: the environment\'s)' -r
complete -c gtx -n "__fish_gtx_using_subcommand login" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand login" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand login" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand login" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand login" -l device -d 'Device login (RFC 8628): show a code to enter on another device\'s browser'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l no-browser -d 'Only print the sign-in URL; do not open a browser'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l client-credentials -d 'Store an app\'s client id and secret, then mint one token to prove them'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l password -d 'Password grant (oauth2-json): keeps the refresh token, never the password'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l with-token -d 'Read an access token from stdin, check it, and store it'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l no-verify -d 'With --with-token: store the token without checking it with the server'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l client-secret-stdin -d 'Read the client secret from stdin instead of a prompt'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l password-stdin -d 'Read the password from stdin instead of a prompt'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand login" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand login" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand login" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand logout" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand logout" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand logout" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand logout" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand logout" -l all -d 'Remove every profile in the store, all environments'
complete -c gtx -n "__fish_gtx_using_subcommand logout" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand logout" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand logout" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand logout" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -f -a "get" -d 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -f -a "generate" -d 'Mint a new token now (ignoring the cache), store it and print it'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -f -a "validate" -d 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -f -a "show" -d 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -f -a "clear" -d 'Drop cached tokens (refresh tokens too), keep client credentials'
complete -c gtx -n "__fish_gtx_using_subcommand token; and not __fish_seen_subcommand_from get generate validate show clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l min-ttl -d 'Minimum remaining lifetime in seconds; a token closer to expiry is renewed' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l scope -d 'Scopes the token must carry (space- or comma-separated)' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l header -d 'Print `Authorization: <type> <token>` instead of the bare token'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -l scope -d 'Scopes to request (space- or comma-separated; default: the environment\'s)' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -l all -d 'Clear cached tokens of every profile in the store'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Mint a new token now (ignoring the cache), store it and print it'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "show" -d 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Drop cached tokens (refresh tokens too), keep client credentials'
complete -c gtx -n "__fish_gtx_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gtx -n "__fish_gtx_using_subcommand request" -s H -l header -d 'Request header \'Name: value\' (repeatable)' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -s d -l data -d 'Request body: DATA as is, @FILE, or @- for stdin' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -s f -l raw-field -d 'JSON body field with a string value (repeatable); nested keys: a.b, items[0].sku, tags[]' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -s F -l field -d 'JSON body field with a typed value: number, true/false, null, JSON, or @FILE.json' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -s q -l query -d 'Query parameter (repeatable)' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -s o -l output -d 'Write the body to FILE (atomically) instead of stdout' -r -F
complete -c gtx -n "__fish_gtx_using_subcommand request" -l retry -d 'Retry connect errors, 5xx and 429 with Retry-After up to N times (idempotent methods only)' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand request" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand request" -s i -l include -d 'Print the status line and response headers before the body'
complete -c gtx -n "__fish_gtx_using_subcommand request" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand request" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand request" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand request" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand request" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand exec" -l min-ttl -d 'Minimum remaining lifetime of the token in seconds' -r
complete -c gtx -n "__fish_gtx_using_subcommand exec" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand exec" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand exec" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand exec" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand exec" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand exec" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand exec" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand exec" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand status" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand status" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand status" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand status" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand status" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand status" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand status" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand status" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -f -a "list" -d 'List environments (built-in and configured)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -f -a "show" -d 'Show one environment\'s settings'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -f -a "add" -d 'Add an environment to the config file'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -f -a "set" -d 'Set one field of an environment (built-ins get an override in the config file)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -f -a "remove" -d 'Remove an environment (for a built-in: drop its override)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -f -a "use" -d 'Make an environment the default (config `default_env`)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and not __fish_seen_subcommand_from list show add set remove use help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l api-base -d 'Origin (and optional base path) of the API' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l dialect -d 'Token-endpoint dialect' -r -f -a "oauth2\t'RFC 6749 form posts (Giftronaut)'
oauth2-json\t'JSON-body token endpoint of admin APIs (`/api/oauth/token`)'
header-token\t'Token by `client-id`/`client-secret` headers'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l token-url -d 'Token endpoint (absolute, or relative to --api-base)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l authorize-url -d 'Authorization endpoint for browser login' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l device-url -d 'RFC 8628 device authorization endpoint for device login' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l validate-url -d 'header-token validation endpoint' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l introspect-url -d 'RFC 7662 introspection endpoint' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l revoke-url -d 'RFC 7009 revocation endpoint' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l client-id -d 'Public client id (header-token: base64 of the domain)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l scopes -d 'Default scopes (space- or comma-separated)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l redirect-port -d 'Fixed loopback port for browser login' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l token-prefix -d 'Prefix every token of this environment must carry (e.g. sandbox_, live_)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l client-auth -d 'How oauth2 sends client credentials' -r -f -a "body\t'client_id and client_secret in the form body'
basic\t'HTTP Basic authentication'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l issuer -d 'OAuth/OpenID issuer: fill the endpoint URLs from its discovery document' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l force -d 'Replace an existing environment of that name'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from use" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "list" -d 'List environments (built-in and configured)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one environment\'s settings'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an environment to the config file'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set one field of an environment (built-ins get an override in the config file)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove an environment (for a built-in: drop its override)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make an environment the default (config `default_env`)'
complete -c gtx -n "__fish_gtx_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gtx -n "__fish_gtx_using_subcommand completions" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand completions" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand completions" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand completions" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand completions" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand completions" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand completions" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -l out-dir -d 'Directory that receives completions/ and man/' -r -F
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -l env -d 'Environment to use (built in: sandbox, production)' -r
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -l credential -d 'Credential name within the environment (one per app) [default: default]' -r
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -l store -d 'Where credentials and tokens are kept [default: keyring]' -r -f -a "keyring\t'The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager)'
file\t'A 0600 JSON file in the user\'s data directory'
memory\t'Nothing persists (CI)'"
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -l timeout -d 'Network timeout in seconds for each HTTP call [default: 30]; for `login` in the browser or with --device, the whole wait for the person [default: 300]' -r
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -l json -d 'Print data as one JSON document on stdout'
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -s v -l verbose -d 'More detail on stderr (repeat for HTTP exchanges); secrets are always redacted'
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -l no-color -d 'Never colour output (also: NO_COLOR)'
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gtx -n "__fish_gtx_using_subcommand generate-docs" -s V -l version -d 'Print version'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "login" -d 'Sign in: in the browser (default), with a device code, or store an app\'s client credentials, a password-grant session, or a token'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "logout" -d 'Remove the profile\'s stored record (client credentials and session)'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "token" -d 'Get, mint, validate, inspect and clear access tokens'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "request" -d 'Send an authenticated request to the environment\'s API and print the response body'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "exec" -d 'Run a command with a valid token in its environment (GTX_TOKEN, GTX_API_BASE, …)'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "status" -d 'Show every stored profile: credential kind, session, expiry, scopes'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "env" -d 'Manage environments (where an API is and how it authenticates)'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "completions" -d 'Print a shell completion script'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "generate-docs" -d 'Write completions/ and man/ from this binary\'s command definition (for packagers)'
complete -c gtx -n "__fish_gtx_using_subcommand help; and not __fish_seen_subcommand_from login logout token request exec status env completions generate-docs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "get" -d 'Print a token valid for at least --min-ttl seconds: cached, else refreshed, else minted'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "generate" -d 'Mint a new token now (ignoring the cache), store it and print it'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "validate" -d 'Check a token: expiry, environment prefix, then the server; exit 0 valid, 5 not'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "show" -d 'Describe the stored token (type, scopes, expiry, JWT claims), never the token itself'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "clear" -d 'Drop cached tokens (refresh tokens too), keep client credentials'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "list" -d 'List environments (built-in and configured)'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "show" -d 'Show one environment\'s settings'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "add" -d 'Add an environment to the config file'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "set" -d 'Set one field of an environment (built-ins get an override in the config file)'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "remove" -d 'Remove an environment (for a built-in: drop its override)'
complete -c gtx -n "__fish_gtx_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "use" -d 'Make an environment the default (config `default_env`)'
