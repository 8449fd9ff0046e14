
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'gatehouse' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'gatehouse'
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
        'gatehouse' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the store and its first admin')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in and save a session for this store')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Revoke the current session (or every saved one, with --all)')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show who you are acting as')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Manage users (admins)')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Manage packages and who is assigned to them')
            [CompletionResult]::new('access', 'access', [CompletionResultType]::ParameterValue, 'Explain who can reach which package')
            [CompletionResult]::new('me', 'me', [CompletionResultType]::ParameterValue, 'Your own account')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read and change the store''s settings (admins)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit trail: list entries, verify the hash chain (admins)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Move a whole store between SQLite and PostgreSQL; check a PostgreSQL store')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make the store match a file of settings, packages and users (TOML, YAML or JSON), in one transaction, printing the plan')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (commands and flags)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print gatehouse''s version, the commit it was built from and the store schema versions it knows')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Access review report: admins, stale and expiring accounts, orphaned packages (admins)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;init' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email of the first admin (asked on a terminal when missing)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the first admin [default: the email''s local part]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the new password from the first line of FILE (must not be group/world-readable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the new password from the first line of standard input')
            [CompletionResult]::new('--generate-password', '--generate-password', [CompletionResultType]::ParameterName, 'Generate a strong password and print it once on stdout')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'A store that is already initialized is fine (exit 0, nothing changed): for CI')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;login' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email to log in as (asked on a terminal when missing)')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'How long the session lasts, e.g. `30m`, `8h` (at most 24h) [default: session.ttl, 1h]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--print-token', '--print-token', [CompletionResultType]::ParameterName, 'Print the token on stdout instead of saving it (for `export GATEHOUSE_TOKEN=...`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;logout' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'End every session saved for this store (each `--as` identity too)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;whoami' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (on a terminal, missing fields are asked for)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a user''s name, full name, phone, role, status or expiry')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set another user''s password (revokes their sessions, clears a lockout)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate users')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate users (revokes their sessions)')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Clear the login lockout of users')
            [CompletionResult]::new('offboard', 'offboard', [CompletionResultType]::ParameterValue, 'Offboard users: deactivate, revoke sessions, remove all package assignments')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete users for good (asks for confirmation on a terminal unless --yes)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Why can''t this user log in, and which packages can they see?')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export users in a form `user import` reads back (no secrets unless asked)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;user;list' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Only users with this role')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only active or inactive users, or those locked out by failed logins now, or whose account has expired')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Only users assigned to this package')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only users whose email, name or full name contains TEXT (case-insensitive)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort order')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Print at most N users')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Skip the first N users')
            [CompletionResult]::new('--columns', '--columns', [CompletionResultType]::ParameterName, 'The columns to show, in order (table and CSV; JSON keeps only these fields) [default: id,name,email,role,status,packages,last-login]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'No header row (table and CSV), for `cut`, `awk` and `while read`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The name shown everywhere (1-64 characters)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email address (unique, cannot be changed later)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role [default: user]')
            [CompletionResult]::new('--full-name', '--full-name', [CompletionResultType]::ParameterName, 'Full name')
            [CompletionResult]::new('--phone', '--phone', [CompletionResultType]::ParameterName, 'Phone number')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Assign a package (repeat for several)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the new password from the first line of FILE (must not be group/world-readable)')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Account valid until AT: a date (`2027-01-31`, the end of that day UTC), an RFC 3339 time, a span from now (`90d`, `12h`, `2w`), `tomorrow`, or `never`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the new password from the first line of standard input')
            [CompletionResult]::new('--generate-password', '--generate-password', [CompletionResultType]::ParameterName, 'Generate a strong password and print it once on stdout')
            [CompletionResult]::new('--must-change-password', '--must-change-password', [CompletionResultType]::ParameterName, 'Make the user choose a new password at first login')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'Succeed when a user with this email already exists, changing nothing — except a password read from stdin or a file that the account does not have yet, which is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;edit' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New name')
            [CompletionResult]::new('--full-name', '--full-name', [CompletionResultType]::ParameterName, 'New full name (empty clears it)')
            [CompletionResult]::new('--phone', '--phone', [CompletionResultType]::ParameterName, 'New phone number (empty clears it)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'New role')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'New status')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Account valid until AT: a date (`2027-01-31`, the end of that day UTC), an RFC 3339 time, a span from now (`90d`, `12h`, `2w`), `tomorrow`, or `never`')
            [CompletionResult]::new('--packages', '--packages', [CompletionResultType]::ParameterName, 'Replace all assignments with these packages (comma-separated; empty for none)')
            [CompletionResult]::new('--add-package', '--add-package', [CompletionResultType]::ParameterName, 'Assign a package (repeat for several)')
            [CompletionResult]::new('--remove-package', '--remove-package', [CompletionResultType]::ParameterName, 'Remove a package (repeat for several)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Refused: an email never changes (create a new account instead)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;passwd' {
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the new password from the first line of FILE (must not be group/world-readable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the new password from the first line of standard input')
            [CompletionResult]::new('--generate-password', '--generate-password', [CompletionResultType]::ParameterName, 'Generate a strong password and print it once on stdout')
            [CompletionResult]::new('--must-change-password', '--must-change-password', [CompletionResultType]::ParameterName, 'Make the user choose a new password at next login')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;activate' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Also every user with this role (filters combine)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Also every user with this status (filters combine)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Also every user assigned to this package (filters combine)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every user (with filters: every user that matches them)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;deactivate' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Also every user with this role (filters combine)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Also every user with this status (filters combine)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Also every user assigned to this package (filters combine)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every user (with filters: every user that matches them)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;unlock' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Also every user with this role (filters combine)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Also every user with this status (filters combine)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Also every user assigned to this package (filters combine)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every user (with filters: every user that matches them)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;offboard' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Also every user with this role (filters combine)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Also every user with this status (filters combine)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Also every user assigned to this package (filters combine)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every user (with filters: every user that matches them)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;delete' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Also every user with this role (filters combine)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Also every user with this status (filters combine)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Also every user assigned to this package (filters combine)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every user (with filters: every user that matches them)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Pick the users from a checkbox list (a terminal only; `a` toggles all)')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;import' {
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'The input''s format [default: by extension, else detected from the content]')
            [CompletionResult]::new('--passwd', '--passwd', [CompletionResultType]::ParameterName, 'With `--input-format shadow`: the host''s passwd file, for full names (GECOS) and to leave out system accounts')
            [CompletionResult]::new('--email-domain', '--email-domain', [CompletionResultType]::ParameterName, 'With `--input-format shadow`: each login becomes LOGIN@DOMAIN')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'The CSV delimiter: `,` `;` `tab` or `|` [default: detected from the header]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'The file''s text encoding, e.g. windows-1252 or iso-8859-15 [default: UTF-8, or UTF-16 when the file starts with its byte-order mark]')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'What to do with emails already in the store')
            [CompletionResult]::new('--unknown-columns', '--unknown-columns', [CompletionResultType]::ParameterName, 'CSV columns that are not import columns (a spreadsheet''s "Department"): left out and named in a warning, or the file refused')
            [CompletionResult]::new('--unusable-hash', '--unusable-hash', [CompletionResultType]::ParameterName, 'What a new user whose credential cannot be used gets: a hash gatehouse cannot verify (yescrypt is fine; MD5-crypt, a cost above the bounds, … are not) or, from another system''s export, no password at all (OAuth, SSO). `refuse` names each such row and imports nothing; every hash that can be verified is kept either way')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--day-first', '--day-first', [CompletionResultType]::ParameterName, 'Read a date like `01/02/2027` day first (1 February), as spreadsheets in most of Europe write it [default: month first, as in the US; `31.01.2027` is always day first]')
            [CompletionResult]::new('--generate-passwords', '--generate-passwords', [CompletionResultType]::ParameterName, 'Generate every new user''s password, ignoring any `password` or `password_hash` in the file (existing users keep theirs); prints `email,password` once')
            [CompletionResult]::new('--create-packages', '--create-packages', [CompletionResultType]::ParameterName, 'Create the packages the file names that do not exist yet (audited as created by you), instead of refusing the rows that name them')
            [CompletionResult]::new('--must-change-password', '--must-change-password', [CompletionResultType]::ParameterName, 'Every user the import creates must choose a new password at first login (unless its row says otherwise in `must_change_password`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report exactly what would happen and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;doctor' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;export' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--with-password-hashes', '--with-password-hashes', [CompletionResultType]::ParameterName, 'Add each user''s password hash, so an import into another store keeps everyone''s password. The export is audited; treat the file like a password file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;user;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (on a terminal, missing fields are asked for)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a user''s name, full name, phone, role, status or expiry')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set another user''s password (revokes their sessions, clears a lockout)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate users')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate users (revokes their sessions)')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Clear the login lockout of users')
            [CompletionResult]::new('offboard', 'offboard', [CompletionResultType]::ParameterValue, 'Offboard users: deactivate, revoke sessions, remove all package assignments')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete users for good (asks for confirmation on a terminal unless --yes)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Why can''t this user log in, and which packages can they see?')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export users in a form `user import` reads back (no secrets unless asked)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;user;help;list' {
            break
        }
        'gatehouse;user;help;show' {
            break
        }
        'gatehouse;user;help;add' {
            break
        }
        'gatehouse;user;help;edit' {
            break
        }
        'gatehouse;user;help;passwd' {
            break
        }
        'gatehouse;user;help;activate' {
            break
        }
        'gatehouse;user;help;deactivate' {
            break
        }
        'gatehouse;user;help;unlock' {
            break
        }
        'gatehouse;user;help;offboard' {
            break
        }
        'gatehouse;user;help;delete' {
            break
        }
        'gatehouse;user;help;import' {
            break
        }
        'gatehouse;user;help;doctor' {
            break
        }
        'gatehouse;user;help;export' {
            break
        }
        'gatehouse;user;help;help' {
            break
        }
        'gatehouse;package' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the packages you can see')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one package')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a package (you become its creator)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Rename or re-describe a package (admins and its creator)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate a package (admins and its creator)')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a package and its assignments (admins and its creator)')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Assign packages to users (admins; assigning twice is not an error)')
            [CompletionResult]::new('unassign', 'unassign', [CompletionResultType]::ParameterValue, 'Remove packages from users (admins)')
            [CompletionResult]::new('members', 'members', [CompletionResultType]::ParameterValue, 'Who can see a package, and why (admin, creator, assigned)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;package;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include inactive packages')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;create' {
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the package groups (one line, at most 256 characters)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'A package of this name that you can see is fine (exit 0, unchanged): for CI')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;edit' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New name')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'New description (empty clears it)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;activate' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;deactivate' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;delete' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (scripts are never asked anyway)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;assign' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Users (email or id): repeat, or separate with commas')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Also the users listed in FILE (`-`: standard input), one email per line; `#` comments and blank lines are skipped')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;unassign' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Users (email or id): repeat, or separate with commas')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Also the users listed in FILE (`-`: standard input), one email per line; `#` comments and blank lines are skipped')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;members' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;package;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the packages you can see')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one package')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a package (you become its creator)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Rename or re-describe a package (admins and its creator)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate a package (admins and its creator)')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a package and its assignments (admins and its creator)')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Assign packages to users (admins; assigning twice is not an error)')
            [CompletionResult]::new('unassign', 'unassign', [CompletionResultType]::ParameterValue, 'Remove packages from users (admins)')
            [CompletionResult]::new('members', 'members', [CompletionResultType]::ParameterValue, 'Who can see a package, and why (admin, creator, assigned)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;package;help;list' {
            break
        }
        'gatehouse;package;help;show' {
            break
        }
        'gatehouse;package;help;create' {
            break
        }
        'gatehouse;package;help;edit' {
            break
        }
        'gatehouse;package;help;activate' {
            break
        }
        'gatehouse;package;help;deactivate' {
            break
        }
        'gatehouse;package;help;delete' {
            break
        }
        'gatehouse;package;help;assign' {
            break
        }
        'gatehouse;package;help;unassign' {
            break
        }
        'gatehouse;package;help;members' {
            break
        }
        'gatehouse;package;help;help' {
            break
        }
        'gatehouse;access' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Allowed or denied, and which arm of the rule decided it')
            [CompletionResult]::new('matrix', 'matrix', [CompletionResultType]::ParameterValue, 'A users × packages grid: A admin, C creator, ✓ assigned')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;access;explain' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;access;matrix' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;access;help' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Allowed or denied, and which arm of the rule decided it')
            [CompletionResult]::new('matrix', 'matrix', [CompletionResultType]::ParameterValue, 'A users × packages grid: A admin, C creator, ✓ assigned')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;access;help;explain' {
            break
        }
        'gatehouse;access;help;matrix' {
            break
        }
        'gatehouse;access;help;help' {
            break
        }
        'gatehouse;me' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show your profile')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change your name, full name or phone')
            [CompletionResult]::new('notifications', 'notifications', [CompletionResultType]::ParameterValue, 'Show or change your notification preferences')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change your password (the current one is checked first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;me;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;me;edit' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New name')
            [CompletionResult]::new('--full-name', '--full-name', [CompletionResultType]::ParameterName, 'New full name (empty clears it)')
            [CompletionResult]::new('--phone', '--phone', [CompletionResultType]::ParameterName, 'New phone number (empty clears it)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;me;notifications' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email notifications')
            [CompletionResult]::new('--sms', '--sms', [CompletionResultType]::ParameterName, 'SMS notifications (needs a phone number)')
            [CompletionResult]::new('--shipment-updates', '--shipment-updates', [CompletionResultType]::ParameterName, 'Shipment updates')
            [CompletionResult]::new('--system-announcements', '--system-announcements', [CompletionResultType]::ParameterName, 'System announcements')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;me;passwd' {
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the new password from the first line of FILE (must not be group/world-readable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the new password from the first line of standard input')
            [CompletionResult]::new('--generate-password', '--generate-password', [CompletionResultType]::ParameterName, 'Generate a strong password and print it once on stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;me;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show your profile')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change your name, full name or phone')
            [CompletionResult]::new('notifications', 'notifications', [CompletionResultType]::ParameterValue, 'Show or change your notification preferences')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change your password (the current one is checked first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;me;help;show' {
            break
        }
        'gatehouse;me;help;edit' {
            break
        }
        'gatehouse;me;help;notifications' {
            break
        }
        'gatehouse;me;help;passwd' {
            break
        }
        'gatehouse;me;help;help' {
            break
        }
        'gatehouse;config' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every setting with its value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a setting')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;config;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;config;get' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;config;set' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;config;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every setting with its value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a setting')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;config;help;list' {
            break
        }
        'gatehouse;config;help;get' {
            break
        }
        'gatehouse;config;help;set' {
            break
        }
        'gatehouse;config;help;help' {
            break
        }
        'gatehouse;audit' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit entries, newest first')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain; exit 8 naming the first broken entry')
            [CompletionResult]::new('checkpoint', 'checkpoint', [CompletionResultType]::ParameterValue, 'Print the chain''s head (entry number and hash) to keep somewhere else')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;audit;list' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Entries at or after T (RFC 3339 or a date)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Entries at or before T (RFC 3339 or a date, meaning the end of that day)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Entries by this actor (email)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Entries of this action, e.g. `user.add`, `login`, `package.assign`')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Entries about this target (an email, a package name, a setting)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Print at most N entries')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;audit;verify' {
            [CompletionResult]::new('--checkpoint', '--checkpoint', [CompletionResultType]::ParameterName, 'Also prove the chain still extends this head, printed earlier by `audit checkpoint`: a trail cut short or recomputed after it fails (exit 8)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;audit;checkpoint' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;audit;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit entries, newest first')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain; exit 8 naming the first broken entry')
            [CompletionResult]::new('checkpoint', 'checkpoint', [CompletionResultType]::ParameterValue, 'Print the chain''s head (entry number and hash) to keep somewhere else')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;audit;help;list' {
            break
        }
        'gatehouse;audit;help;verify' {
            break
        }
        'gatehouse;audit;help;checkpoint' {
            break
        }
        'gatehouse;audit;help;help' {
            break
        }
        'gatehouse;store' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a PostgreSQL store''s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;store;copy' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The store to copy into: a new SQLite file or a database without a gatehouse store')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The store to copy from, into the (new or empty) store --db names')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;store;doctor' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;store;help' {
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a PostgreSQL store''s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;store;help;copy' {
            break
        }
        'gatehouse;store;help;doctor' {
            break
        }
        'gatehouse;store;help;help' {
            break
        }
        'gatehouse;apply' {
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'The file''s format [default: by extension, else guessed from the content]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also deactivate every active user the file does not list (never you, so never the last active admin)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;version' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;review' {
            [CompletionResult]::new('--stale-days', '--stale-days', [CompletionResultType]::ParameterName, 'Users not seen for this many days count as stale')
            [CompletionResult]::new('--section', '--section', [CompletionResultType]::ParameterName, 'Only this section, in full (for `--format csv`: one table)')
            [CompletionResult]::new('--html-rows', '--html-rows', [CompletionResultType]::ParameterName, 'In `--format html`, show at most N rows of each section (the page says how to export the rest)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Use the session saved by `login --as NAME`: several identities on one store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Short for `--format json`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: no confirmations of changes in table format, no warnings')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gatehouse;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the store and its first admin')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in and save a session for this store')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Revoke the current session (or every saved one, with --all)')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show who you are acting as')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Manage users (admins)')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Manage packages and who is assigned to them')
            [CompletionResult]::new('access', 'access', [CompletionResultType]::ParameterValue, 'Explain who can reach which package')
            [CompletionResult]::new('me', 'me', [CompletionResultType]::ParameterValue, 'Your own account')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read and change the store''s settings (admins)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit trail: list entries, verify the hash chain (admins)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Move a whole store between SQLite and PostgreSQL; check a PostgreSQL store')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make the store match a file of settings, packages and users (TOML, YAML or JSON), in one transaction, printing the plan')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (commands and flags)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print gatehouse''s version, the commit it was built from and the store schema versions it knows')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Access review report: admins, stale and expiring accounts, orphaned packages (admins)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gatehouse;help;init' {
            break
        }
        'gatehouse;help;login' {
            break
        }
        'gatehouse;help;logout' {
            break
        }
        'gatehouse;help;whoami' {
            break
        }
        'gatehouse;help;user' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (on a terminal, missing fields are asked for)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a user''s name, full name, phone, role, status or expiry')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set another user''s password (revokes their sessions, clears a lockout)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate users')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate users (revokes their sessions)')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Clear the login lockout of users')
            [CompletionResult]::new('offboard', 'offboard', [CompletionResultType]::ParameterValue, 'Offboard users: deactivate, revoke sessions, remove all package assignments')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete users for good (asks for confirmation on a terminal unless --yes)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Why can''t this user log in, and which packages can they see?')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export users in a form `user import` reads back (no secrets unless asked)')
            break
        }
        'gatehouse;help;user;list' {
            break
        }
        'gatehouse;help;user;show' {
            break
        }
        'gatehouse;help;user;add' {
            break
        }
        'gatehouse;help;user;edit' {
            break
        }
        'gatehouse;help;user;passwd' {
            break
        }
        'gatehouse;help;user;activate' {
            break
        }
        'gatehouse;help;user;deactivate' {
            break
        }
        'gatehouse;help;user;unlock' {
            break
        }
        'gatehouse;help;user;offboard' {
            break
        }
        'gatehouse;help;user;delete' {
            break
        }
        'gatehouse;help;user;import' {
            break
        }
        'gatehouse;help;user;doctor' {
            break
        }
        'gatehouse;help;user;export' {
            break
        }
        'gatehouse;help;package' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the packages you can see')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one package')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a package (you become its creator)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Rename or re-describe a package (admins and its creator)')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Activate a package (admins and its creator)')
            [CompletionResult]::new('deactivate', 'deactivate', [CompletionResultType]::ParameterValue, 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a package and its assignments (admins and its creator)')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Assign packages to users (admins; assigning twice is not an error)')
            [CompletionResult]::new('unassign', 'unassign', [CompletionResultType]::ParameterValue, 'Remove packages from users (admins)')
            [CompletionResult]::new('members', 'members', [CompletionResultType]::ParameterValue, 'Who can see a package, and why (admin, creator, assigned)')
            break
        }
        'gatehouse;help;package;list' {
            break
        }
        'gatehouse;help;package;show' {
            break
        }
        'gatehouse;help;package;create' {
            break
        }
        'gatehouse;help;package;edit' {
            break
        }
        'gatehouse;help;package;activate' {
            break
        }
        'gatehouse;help;package;deactivate' {
            break
        }
        'gatehouse;help;package;delete' {
            break
        }
        'gatehouse;help;package;assign' {
            break
        }
        'gatehouse;help;package;unassign' {
            break
        }
        'gatehouse;help;package;members' {
            break
        }
        'gatehouse;help;access' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Allowed or denied, and which arm of the rule decided it')
            [CompletionResult]::new('matrix', 'matrix', [CompletionResultType]::ParameterValue, 'A users × packages grid: A admin, C creator, ✓ assigned')
            break
        }
        'gatehouse;help;access;explain' {
            break
        }
        'gatehouse;help;access;matrix' {
            break
        }
        'gatehouse;help;me' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show your profile')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change your name, full name or phone')
            [CompletionResult]::new('notifications', 'notifications', [CompletionResultType]::ParameterValue, 'Show or change your notification preferences')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change your password (the current one is checked first)')
            break
        }
        'gatehouse;help;me;show' {
            break
        }
        'gatehouse;help;me;edit' {
            break
        }
        'gatehouse;help;me;notifications' {
            break
        }
        'gatehouse;help;me;passwd' {
            break
        }
        'gatehouse;help;config' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every setting with its value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a setting')
            break
        }
        'gatehouse;help;config;list' {
            break
        }
        'gatehouse;help;config;get' {
            break
        }
        'gatehouse;help;config;set' {
            break
        }
        'gatehouse;help;audit' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit entries, newest first')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain; exit 8 naming the first broken entry')
            [CompletionResult]::new('checkpoint', 'checkpoint', [CompletionResultType]::ParameterValue, 'Print the chain''s head (entry number and hash) to keep somewhere else')
            break
        }
        'gatehouse;help;audit;list' {
            break
        }
        'gatehouse;help;audit;verify' {
            break
        }
        'gatehouse;help;audit;checkpoint' {
            break
        }
        'gatehouse;help;store' {
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a PostgreSQL store''s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)')
            break
        }
        'gatehouse;help;store;copy' {
            break
        }
        'gatehouse;help;store;doctor' {
            break
        }
        'gatehouse;help;apply' {
            break
        }
        'gatehouse;help;completions' {
            break
        }
        'gatehouse;help;version' {
            break
        }
        'gatehouse;help;review' {
            break
        }
        'gatehouse;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
