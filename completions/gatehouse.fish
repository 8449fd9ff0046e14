# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_gatehouse_global_optspecs
    string join \n db= o/format= json color= q/quiet no-pager as= h/help V/version
end

function __fish_gatehouse_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_gatehouse_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_gatehouse_using_subcommand
    set -l cmd (__fish_gatehouse_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c gatehouse -n "__fish_gatehouse_needs_command" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_needs_command" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_needs_command" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_needs_command" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_needs_command" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "init" -d 'Create the store and its first admin'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "login" -d 'Log in and save a session for this store'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "logout" -d 'Revoke the current session (or every saved one, with --all)'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "whoami" -d 'Show who you are acting as'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "user" -d 'Manage users (admins)'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "package" -d 'Manage packages and who is assigned to them'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "access" -d 'Explain who can reach which package'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "me" -d 'Your own account'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "config" -d 'Read and change the store\'s settings (admins)'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "audit" -d 'The audit trail: list entries, verify the hash chain (admins)'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "store" -d 'Move a whole store between SQLite and PostgreSQL; check a PostgreSQL store'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "apply" -d 'Make the store match a file of settings, packages and users (TOML, YAML or JSON), in one transaction, printing the plan'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "completions" -d 'Print a shell completion script (commands and flags)'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "version" -d 'Print gatehouse\'s version, the commit it was built from and the store schema versions it knows'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "review" -d 'Access review report: admins, stale and expiring accounts, orphaned packages (admins)'
complete -c gatehouse -n "__fish_gatehouse_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l email -d 'Email of the first admin (asked on a terminal when missing)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l name -d 'Name of the first admin [default: the email\'s local part]' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l password-file -d 'Read the new password from the first line of FILE (must not be group/world-readable)' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l password-stdin -d 'Read the new password from the first line of standard input'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l generate-password -d 'Generate a strong password and print it once on stdout'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l if-not-exists -d 'A store that is already initialized is fine (exit 0, nothing changed): for CI'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand init" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l email -d 'Email to log in as (asked on a terminal when missing)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l ttl -d 'How long the session lasts, e.g. `30m`, `8h` (at most 24h) [default: session.ttl, 1h]' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l print-token -d 'Print the token on stdout instead of saving it (for `export GATEHOUSE_TOKEN=...`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand login" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -l all -d 'End every session saved for this store (each `--as` identity too)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand logout" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "list" -d 'List users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "show" -d 'Show one user'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "add" -d 'Add a user (on a terminal, missing fields are asked for)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "edit" -d 'Change a user\'s name, full name, phone, role, status or expiry'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "passwd" -d 'Set another user\'s password (revokes their sessions, clears a lockout)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "activate" -d 'Activate users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "deactivate" -d 'Deactivate users (revokes their sessions)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "unlock" -d 'Clear the login lockout of users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "offboard" -d 'Offboard users: deactivate, revoke sessions, remove all package assignments'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "delete" -d 'Delete users for good (asks for confirmation on a terminal unless --yes)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "import" -d 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "doctor" -d 'Why can\'t this user log in, and which packages can they see?'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "export" -d 'Export users in a form `user import` reads back (no secrets unless asked)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and not __fish_seen_subcommand_from list show add edit passwd activate deactivate unlock offboard delete import doctor export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l role -d 'Only users with this role' -r -f -a "admin\t''
user\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l status -d 'Only active or inactive users, or those locked out by failed logins now, or whose account has expired' -r -f -a "active\t''
inactive\t''
locked\t'Locked out by failed logins, now'
expired\t'Past their expiry'"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l package -d 'Only users assigned to this package' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l search -d 'Only users whose email, name or full name contains TEXT (case-insensitive)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l sort -d 'Sort order' -r -f -a "name\t''
email\t''
created\t''
last-login\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l limit -d 'Print at most N users' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l offset -d 'Skip the first N users' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l columns -d 'The columns to show, in order (table and CSV; JSON keeps only these fields) [default: id,name,email,role,status,packages,last-login]' -r -f -a "id\t''
name\t''
email\t''
full-name\t''
phone\t''
role\t''
status\t''
packages\t'How many packages in a table; their names in CSV and JSON'
last-login\t''
created\t''
expires\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l no-headers -d 'No header row (table and CSV), for `cut`, `awk` and `while read`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l name -d 'The name shown everywhere (1-64 characters)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l email -d 'Email address (unique, cannot be changed later)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l role -d 'Role [default: user]' -r -f -a "admin\t''
user\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l full-name -d 'Full name' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l phone -d 'Phone number' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l package -d 'Assign a package (repeat for several)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l password-file -d 'Read the new password from the first line of FILE (must not be group/world-readable)' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l expires -d 'Account valid until AT: a date (`2027-01-31`, the end of that day UTC), an RFC 3339 time, a span from now (`90d`, `12h`, `2w`), `tomorrow`, or `never`' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l password-stdin -d 'Read the new password from the first line of standard input'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l generate-password -d 'Generate a strong password and print it once on stdout'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l must-change-password -d 'Make the user choose a new password at first login'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l if-not-exists -d 'Succeed when a user with this email already exists, changing nothing — except a password read from stdin or a file that the account does not have yet, which is set'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l name -d 'New name' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l full-name -d 'New full name (empty clears it)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l phone -d 'New phone number (empty clears it)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l role -d 'New role' -r -f -a "admin\t''
user\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l status -d 'New status' -r -f -a "active\t''
inactive\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l expires -d 'Account valid until AT: a date (`2027-01-31`, the end of that day UTC), an RFC 3339 time, a span from now (`90d`, `12h`, `2w`), `tomorrow`, or `never`' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l packages -d 'Replace all assignments with these packages (comma-separated; empty for none)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l add-package -d 'Assign a package (repeat for several)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l remove-package -d 'Remove a package (repeat for several)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l email -d 'Refused: an email never changes (create a new account instead)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l password-file -d 'Read the new password from the first line of FILE (must not be group/world-readable)' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l password-stdin -d 'Read the new password from the first line of standard input'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l generate-password -d 'Generate a strong password and print it once on stdout'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l must-change-password -d 'Make the user choose a new password at next login'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from passwd" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l from -d 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l role -d 'Also every user with this role (filters combine)' -r -f -a "admin\t''
user\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l status -d 'Also every user with this status (filters combine)' -r -f -a "active\t''
inactive\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l package -d 'Also every user assigned to this package (filters combine)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l all -d 'Every user (with filters: every user that matches them)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -s i -l interactive -d 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l ignore-missing -d 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l dry-run -d 'Print what would change and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -s y -l yes -d 'Do not ask for confirmation (scripts are never asked anyway)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from activate" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l from -d 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l role -d 'Also every user with this role (filters combine)' -r -f -a "admin\t''
user\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l status -d 'Also every user with this status (filters combine)' -r -f -a "active\t''
inactive\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l package -d 'Also every user assigned to this package (filters combine)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l all -d 'Every user (with filters: every user that matches them)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -s i -l interactive -d 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l ignore-missing -d 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l dry-run -d 'Print what would change and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -s y -l yes -d 'Do not ask for confirmation (scripts are never asked anyway)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from deactivate" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l from -d 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l role -d 'Also every user with this role (filters combine)' -r -f -a "admin\t''
user\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l status -d 'Also every user with this status (filters combine)' -r -f -a "active\t''
inactive\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l package -d 'Also every user assigned to this package (filters combine)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l all -d 'Every user (with filters: every user that matches them)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -s i -l interactive -d 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l ignore-missing -d 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l dry-run -d 'Print what would change and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -s y -l yes -d 'Do not ask for confirmation (scripts are never asked anyway)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from unlock" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l from -d 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l role -d 'Also every user with this role (filters combine)' -r -f -a "admin\t''
user\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l status -d 'Also every user with this status (filters combine)' -r -f -a "active\t''
inactive\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l package -d 'Also every user assigned to this package (filters combine)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l all -d 'Every user (with filters: every user that matches them)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -s i -l interactive -d 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l ignore-missing -d 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l dry-run -d 'Print what would change and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -s y -l yes -d 'Do not ask for confirmation (scripts are never asked anyway)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from offboard" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l from -d 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l role -d 'Also every user with this role (filters combine)' -r -f -a "admin\t''
user\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l status -d 'Also every user with this status (filters combine)' -r -f -a "active\t''
inactive\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l package -d 'Also every user assigned to this package (filters combine)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l all -d 'Every user (with filters: every user that matches them)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -s i -l interactive -d 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l ignore-missing -d 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l dry-run -d 'Print what would change and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (scripts are never asked anyway)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l input-format -d 'The input\'s format [default: by extension, else detected from the content]' -r -f -a "csv\t''
json\t''
jsonl\t''
supabase\t'Supabase\'s `auth.users` (CSV, JSON or JSON lines), mapped to gatehouse\'s columns'
keycloak\t'A Keycloak realm export (`users[]`), mapped to gatehouse\'s columns'
shadow\t'A Linux host\'s `/etc/shadow`, with its `/etc/passwd` given by --passwd and an --email-domain'"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l passwd -d 'With `--input-format shadow`: the host\'s passwd file, for full names (GECOS) and to leave out system accounts' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l email-domain -d 'With `--input-format shadow`: each login becomes LOGIN@DOMAIN' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l delimiter -d 'The CSV delimiter: `,` `;` `tab` or `|` [default: detected from the header]' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l encoding -d 'The file\'s text encoding, e.g. windows-1252 or iso-8859-15 [default: UTF-8, or UTF-16 when the file starts with its byte-order mark]' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l on-conflict -d 'What to do with emails already in the store' -r -f -a "fail\t'Refuse the whole import'
skip\t'Leave the existing user as it is'
update\t'Update the existing user with the row\'s fields'"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l unknown-columns -d 'CSV columns that are not import columns (a spreadsheet\'s "Department"): left out and named in a warning, or the file refused' -r -f -a "ignore\t'Leave them out, and name them in a warning'
refuse\t'Refuse the file'"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l unusable-hash -d 'What a new user whose credential cannot be used gets: a hash gatehouse cannot verify (yescrypt is fine; MD5-crypt, a cost above the bounds, … are not) or, from another system\'s export, no password at all (OAuth, SSO). `refuse` names each such row and imports nothing; every hash that can be verified is kept either way' -r -f -a "refuse\t'Import nothing and name each such row'
generate\t'A generated password (printed once, as with --generate-passwords) that must be changed at the first login'
inactive\t'An inactive account with no password anyone knows: `user activate` and `user passwd` let them in later'"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l day-first -d 'Read a date like `01/02/2027` day first (1 February), as spreadsheets in most of Europe write it [default: month first, as in the US; `31.01.2027` is always day first]'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l generate-passwords -d 'Generate every new user\'s password, ignoring any `password` or `password_hash` in the file (existing users keep theirs); prints `email,password` once'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l create-packages -d 'Create the packages the file names that do not exist yet (audited as created by you), instead of refusing the rows that name them'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l must-change-password -d 'Every user the import creates must choose a new password at first login (unless its row says otherwise in `must_change_password`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l dry-run -d 'Report exactly what would happen and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from doctor" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -l with-password-hashes -d 'Add each user\'s password hash, so an import into another store keeps everyone\'s password. The export is audited; treat the file like a password file'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one user'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a user (on a terminal, missing fields are asked for)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Change a user\'s name, full name, phone, role, status or expiry'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Set another user\'s password (revokes their sessions, clears a lockout)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "activate" -d 'Activate users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "deactivate" -d 'Deactivate users (revokes their sessions)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "unlock" -d 'Clear the login lockout of users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "offboard" -d 'Offboard users: deactivate, revoke sessions, remove all package assignments'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete users for good (asks for confirmation on a terminal unless --yes)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "doctor" -d 'Why can\'t this user log in, and which packages can they see?'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export users in a form `user import` reads back (no secrets unless asked)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "list" -d 'List the packages you can see'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "show" -d 'Show one package'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "create" -d 'Create a package (you become its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "edit" -d 'Rename or re-describe a package (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "activate" -d 'Activate a package (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "deactivate" -d 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "delete" -d 'Delete a package and its assignments (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "assign" -d 'Assign packages to users (admins; assigning twice is not an error)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "unassign" -d 'Remove packages from users (admins)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "members" -d 'Who can see a package, and why (admin, creator, assigned)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and not __fish_seen_subcommand_from list show create edit activate deactivate delete assign unassign members help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -l all -d 'Include inactive packages'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -l description -d 'What the package groups (one line, at most 256 characters)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -l if-not-exists -d 'A package of this name that you can see is fine (exit 0, unchanged): for CI'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -l name -d 'New name' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -l description -d 'New description (empty clears it)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from activate" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from deactivate" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (scripts are never asked anyway)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -l user -d 'Users (email or id): repeat, or separate with commas' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -l from -d 'Also the users listed in FILE (`-`: standard input), one email per line; `#` comments and blank lines are skipped' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -l dry-run -d 'Show what would change, and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from assign" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -l user -d 'Users (email or id): repeat, or separate with commas' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -l from -d 'Also the users listed in FILE (`-`: standard input), one email per line; `#` comments and blank lines are skipped' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -l dry-run -d 'Show what would change, and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from unassign" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from members" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the packages you can see'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one package'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a package (you become its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Rename or re-describe a package (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "activate" -d 'Activate a package (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "deactivate" -d 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a package and its assignments (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "assign" -d 'Assign packages to users (admins; assigning twice is not an error)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "unassign" -d 'Remove packages from users (admins)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "members" -d 'Who can see a package, and why (admin, creator, assigned)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -f -a "explain" -d 'Allowed or denied, and which arm of the rule decided it'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -f -a "matrix" -d 'A users × packages grid: A admin, C creator, ✓ assigned'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and not __fish_seen_subcommand_from explain matrix help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from explain" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from matrix" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Allowed or denied, and which arm of the rule decided it'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from help" -f -a "matrix" -d 'A users × packages grid: A admin, C creator, ✓ assigned'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand access; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -f -a "show" -d 'Show your profile'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -f -a "edit" -d 'Change your name, full name or phone'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -f -a "notifications" -d 'Show or change your notification preferences'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -f -a "passwd" -d 'Change your password (the current one is checked first)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and not __fish_seen_subcommand_from show edit notifications passwd help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -l name -d 'New name' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -l full-name -d 'New full name (empty clears it)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -l phone -d 'New phone number (empty clears it)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l email -d 'Email notifications' -r -f -a "on\t''
off\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l sms -d 'SMS notifications (needs a phone number)' -r -f -a "on\t''
off\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l shipment-updates -d 'Shipment updates' -r -f -a "on\t''
off\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l system-announcements -d 'System announcements' -r -f -a "on\t''
off\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from notifications" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -l password-file -d 'Read the new password from the first line of FILE (must not be group/world-readable)' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -l password-stdin -d 'Read the new password from the first line of standard input'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -l generate-password -d 'Generate a strong password and print it once on stdout'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from passwd" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show your profile'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Change your name, full name or phone'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from help" -f -a "notifications" -d 'Show or change your notification preferences'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Change your password (the current one is checked first)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand me; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "list" -d 'List every setting with its value'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "get" -d 'Print one setting\'s value'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "set" -d 'Change a setting'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every setting with its value'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one setting\'s value'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a setting'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -f -a "list" -d 'List audit entries, newest first'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -f -a "verify" -d 'Check the hash chain; exit 8 naming the first broken entry'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -f -a "checkpoint" -d 'Print the chain\'s head (entry number and hash) to keep somewhere else'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and not __fish_seen_subcommand_from list verify checkpoint help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l since -d 'Entries at or after T (RFC 3339 or a date)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l until -d 'Entries at or before T (RFC 3339 or a date, meaning the end of that day)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l actor -d 'Entries by this actor (email)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l action -d 'Entries of this action, e.g. `user.add`, `login`, `package.assign`' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l target -d 'Entries about this target (an email, a package name, a setting)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l limit -d 'Print at most N entries' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -l checkpoint -d 'Also prove the chain still extends this head, printed earlier by `audit checkpoint`: a trail cut short or recomputed after it fails (exit 8)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from checkpoint" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "list" -d 'List audit entries, newest first'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the hash chain; exit 8 naming the first broken entry'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "checkpoint" -d 'Print the chain\'s head (entry number and hash) to keep somewhere else'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -f -a "copy" -d 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -f -a "doctor" -d 'Check a PostgreSQL store\'s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and not __fish_seen_subcommand_from copy doctor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -l to -d 'The store to copy into: a new SQLite file or a database without a gatehouse store' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -l from -d 'The store to copy from, into the (new or empty) store --db names' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from copy" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from doctor" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "copy" -d 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "doctor" -d 'Check a PostgreSQL store\'s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -l input-format -d 'The file\'s format [default: by extension, else guessed from the content]' -r -f -a "toml\t''
yaml\t''
json\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -l prune -d 'Also deactivate every active user the file does not list (never you, so never the last active admin)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -l dry-run -d 'Print the plan and change nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand apply" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand completions" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand version" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -l stale-days -d 'Users not seen for this many days count as stale' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -l section -d 'Only this section, in full (for `--format csv`: one table)' -r -f -a "admins\t''
inactive-with-packages\t''
not-seen\t''
never-logged-in\t''
expired\t''
expiring-soon\t''
pending-password-change\t''
admin-only-packages\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -l html-rows -d 'In `--format html`, show at most N rows of each section (the page says how to export the rest)' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -l db -d 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]' -r -F
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -s o -l format -d 'Output format' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -l as -d 'Use the session saved by `login --as NAME`: several identities on one store' -r
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -l json -d 'Short for `--format json`'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -s q -l quiet -d 'Print less: no confirmations of changes in table format, no warnings'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -l no-pager -d 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -s h -l help -d 'Print help'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand review" -s V -l version -d 'Print version'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "init" -d 'Create the store and its first admin'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "login" -d 'Log in and save a session for this store'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "logout" -d 'Revoke the current session (or every saved one, with --all)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "whoami" -d 'Show who you are acting as'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "user" -d 'Manage users (admins)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "package" -d 'Manage packages and who is assigned to them'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "access" -d 'Explain who can reach which package'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "me" -d 'Your own account'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "config" -d 'Read and change the store\'s settings (admins)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "audit" -d 'The audit trail: list entries, verify the hash chain (admins)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "store" -d 'Move a whole store between SQLite and PostgreSQL; check a PostgreSQL store'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "apply" -d 'Make the store match a file of settings, packages and users (TOML, YAML or JSON), in one transaction, printing the plan'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "completions" -d 'Print a shell completion script (commands and flags)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "version" -d 'Print gatehouse\'s version, the commit it was built from and the store schema versions it knows'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "review" -d 'Access review report: admins, stale and expiring accounts, orphaned packages (admins)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and not __fish_seen_subcommand_from init login logout whoami user package access me config audit store apply completions version review help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'List users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "show" -d 'Show one user'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "add" -d 'Add a user (on a terminal, missing fields are asked for)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "edit" -d 'Change a user\'s name, full name, phone, role, status or expiry'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "passwd" -d 'Set another user\'s password (revokes their sessions, clears a lockout)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "activate" -d 'Activate users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "deactivate" -d 'Deactivate users (revokes their sessions)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "unlock" -d 'Clear the login lockout of users'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "offboard" -d 'Offboard users: deactivate, revoke sessions, remove all package assignments'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "delete" -d 'Delete users for good (asks for confirmation on a terminal unless --yes)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "import" -d 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "doctor" -d 'Why can\'t this user log in, and which packages can they see?'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "export" -d 'Export users in a form `user import` reads back (no secrets unless asked)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "list" -d 'List the packages you can see'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "show" -d 'Show one package'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "create" -d 'Create a package (you become its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "edit" -d 'Rename or re-describe a package (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "activate" -d 'Activate a package (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "deactivate" -d 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "delete" -d 'Delete a package and its assignments (admins and its creator)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "assign" -d 'Assign packages to users (admins; assigning twice is not an error)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "unassign" -d 'Remove packages from users (admins)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "members" -d 'Who can see a package, and why (admin, creator, assigned)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from access" -f -a "explain" -d 'Allowed or denied, and which arm of the rule decided it'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from access" -f -a "matrix" -d 'A users × packages grid: A admin, C creator, ✓ assigned'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from me" -f -a "show" -d 'Show your profile'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from me" -f -a "edit" -d 'Change your name, full name or phone'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from me" -f -a "notifications" -d 'Show or change your notification preferences'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from me" -f -a "passwd" -d 'Change your password (the current one is checked first)'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'List every setting with its value'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one setting\'s value'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Change a setting'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "list" -d 'List audit entries, newest first'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the hash chain; exit 8 naming the first broken entry'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "checkpoint" -d 'Print the chain\'s head (entry number and hash) to keep somewhere else'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "copy" -d 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back'
complete -c gatehouse -n "__fish_gatehouse_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "doctor" -d 'Check a PostgreSQL store\'s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)'
