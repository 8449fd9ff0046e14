
use builtin;
use str;

set edit:completion:arg-completer[gatehouse] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'gatehouse'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'gatehouse'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create the store and its first admin'
            cand login 'Log in and save a session for this store'
            cand logout 'Revoke the current session (or every saved one, with --all)'
            cand whoami 'Show who you are acting as'
            cand user 'Manage users (admins)'
            cand package 'Manage packages and who is assigned to them'
            cand access 'Explain who can reach which package'
            cand me 'Your own account'
            cand config 'Read and change the store''s settings (admins)'
            cand audit 'The audit trail: list entries, verify the hash chain (admins)'
            cand store 'Move a whole store between SQLite and PostgreSQL; check a PostgreSQL store'
            cand apply 'Make the store match a file of settings, packages and users (TOML, YAML or JSON), in one transaction, printing the plan'
            cand completions 'Print a shell completion script (commands and flags)'
            cand version 'Print gatehouse''s version, the commit it was built from and the store schema versions it knows'
            cand review 'Access review report: admins, stale and expiring accounts, orphaned packages (admins)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;init'= {
            cand --email 'Email of the first admin (asked on a terminal when missing)'
            cand --name 'Name of the first admin [default: the email''s local part]'
            cand --password-file 'Read the new password from the first line of FILE (must not be group/world-readable)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --password-stdin 'Read the new password from the first line of standard input'
            cand --generate-password 'Generate a strong password and print it once on stdout'
            cand --if-not-exists 'A store that is already initialized is fine (exit 0, nothing changed): for CI'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;login'= {
            cand --email 'Email to log in as (asked on a terminal when missing)'
            cand --ttl 'How long the session lasts, e.g. `30m`, `8h` (at most 24h) [default: session.ttl, 1h]'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand --print-token 'Print the token on stdout instead of saving it (for `export GATEHOUSE_TOKEN=...`)'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;logout'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --all 'End every session saved for this store (each `--as` identity too)'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;whoami'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List users'
            cand show 'Show one user'
            cand add 'Add a user (on a terminal, missing fields are asked for)'
            cand edit 'Change a user''s name, full name, phone, role, status or expiry'
            cand passwd 'Set another user''s password (revokes their sessions, clears a lockout)'
            cand activate 'Activate users'
            cand deactivate 'Deactivate users (revokes their sessions)'
            cand unlock 'Clear the login lockout of users'
            cand offboard 'Offboard users: deactivate, revoke sessions, remove all package assignments'
            cand delete 'Delete users for good (asks for confirmation on a terminal unless --yes)'
            cand import 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing'
            cand doctor 'Why can''t this user log in, and which packages can they see?'
            cand export 'Export users in a form `user import` reads back (no secrets unless asked)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;user;list'= {
            cand --role 'Only users with this role'
            cand --status 'Only active or inactive users, or those locked out by failed logins now, or whose account has expired'
            cand --package 'Only users assigned to this package'
            cand --search 'Only users whose email, name or full name contains TEXT (case-insensitive)'
            cand --sort 'Sort order'
            cand --limit 'Print at most N users'
            cand --offset 'Skip the first N users'
            cand --columns 'The columns to show, in order (table and CSV; JSON keeps only these fields) [default: id,name,email,role,status,packages,last-login]'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --no-headers 'No header row (table and CSV), for `cut`, `awk` and `while read`'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;show'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;add'= {
            cand --name 'The name shown everywhere (1-64 characters)'
            cand --email 'Email address (unique, cannot be changed later)'
            cand --role 'Role [default: user]'
            cand --full-name 'Full name'
            cand --phone 'Phone number'
            cand --package 'Assign a package (repeat for several)'
            cand --password-file 'Read the new password from the first line of FILE (must not be group/world-readable)'
            cand --expires 'Account valid until AT: a date (`2027-01-31`, the end of that day UTC), an RFC 3339 time, a span from now (`90d`, `12h`, `2w`), `tomorrow`, or `never`'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --password-stdin 'Read the new password from the first line of standard input'
            cand --generate-password 'Generate a strong password and print it once on stdout'
            cand --must-change-password 'Make the user choose a new password at first login'
            cand --if-not-exists 'Succeed when a user with this email already exists, changing nothing — except a password read from stdin or a file that the account does not have yet, which is set'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;edit'= {
            cand --name 'New name'
            cand --full-name 'New full name (empty clears it)'
            cand --phone 'New phone number (empty clears it)'
            cand --role 'New role'
            cand --status 'New status'
            cand --expires 'Account valid until AT: a date (`2027-01-31`, the end of that day UTC), an RFC 3339 time, a span from now (`90d`, `12h`, `2w`), `tomorrow`, or `never`'
            cand --packages 'Replace all assignments with these packages (comma-separated; empty for none)'
            cand --add-package 'Assign a package (repeat for several)'
            cand --remove-package 'Remove a package (repeat for several)'
            cand --email 'Refused: an email never changes (create a new account instead)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;passwd'= {
            cand --password-file 'Read the new password from the first line of FILE (must not be group/world-readable)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --password-stdin 'Read the new password from the first line of standard input'
            cand --generate-password 'Generate a strong password and print it once on stdout'
            cand --must-change-password 'Make the user choose a new password at next login'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;activate'= {
            cand --from 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments'
            cand --role 'Also every user with this role (filters combine)'
            cand --status 'Also every user with this status (filters combine)'
            cand --package 'Also every user assigned to this package (filters combine)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --all 'Every user (with filters: every user that matches them)'
            cand -i 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --interactive 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --ignore-missing 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
            cand --dry-run 'Print what would change and change nothing'
            cand -y 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --yes 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;deactivate'= {
            cand --from 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments'
            cand --role 'Also every user with this role (filters combine)'
            cand --status 'Also every user with this status (filters combine)'
            cand --package 'Also every user assigned to this package (filters combine)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --all 'Every user (with filters: every user that matches them)'
            cand -i 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --interactive 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --ignore-missing 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
            cand --dry-run 'Print what would change and change nothing'
            cand -y 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --yes 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;unlock'= {
            cand --from 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments'
            cand --role 'Also every user with this role (filters combine)'
            cand --status 'Also every user with this status (filters combine)'
            cand --package 'Also every user assigned to this package (filters combine)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --all 'Every user (with filters: every user that matches them)'
            cand -i 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --interactive 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --ignore-missing 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
            cand --dry-run 'Print what would change and change nothing'
            cand -y 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --yes 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;offboard'= {
            cand --from 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments'
            cand --role 'Also every user with this role (filters combine)'
            cand --status 'Also every user with this status (filters combine)'
            cand --package 'Also every user assigned to this package (filters combine)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --all 'Every user (with filters: every user that matches them)'
            cand -i 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --interactive 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --ignore-missing 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
            cand --dry-run 'Print what would change and change nothing'
            cand -y 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --yes 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;delete'= {
            cand --from 'Also the users listed in FILE (`-` for stdin): one email per line, `#` comments'
            cand --role 'Also every user with this role (filters combine)'
            cand --status 'Also every user with this status (filters combine)'
            cand --package 'Also every user assigned to this package (filters combine)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --all 'Every user (with filters: every user that matches them)'
            cand -i 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --interactive 'Pick the users from a checkbox list (a terminal only; `a` toggles all)'
            cand --ignore-missing 'Skip named users that do not exist (each named in a warning) instead of refusing the whole command: for leaver lists that name people already gone'
            cand --dry-run 'Print what would change and change nothing'
            cand -y 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --yes 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;import'= {
            cand --input-format 'The input''s format [default: by extension, else detected from the content]'
            cand --passwd 'With `--input-format shadow`: the host''s passwd file, for full names (GECOS) and to leave out system accounts'
            cand --email-domain 'With `--input-format shadow`: each login becomes LOGIN@DOMAIN'
            cand --delimiter 'The CSV delimiter: `,` `;` `tab` or `|` [default: detected from the header]'
            cand --encoding 'The file''s text encoding, e.g. windows-1252 or iso-8859-15 [default: UTF-8, or UTF-16 when the file starts with its byte-order mark]'
            cand --on-conflict 'What to do with emails already in the store'
            cand --unknown-columns 'CSV columns that are not import columns (a spreadsheet''s "Department"): left out and named in a warning, or the file refused'
            cand --unusable-hash 'What a new user whose credential cannot be used gets: a hash gatehouse cannot verify (yescrypt is fine; MD5-crypt, a cost above the bounds, … are not) or, from another system''s export, no password at all (OAuth, SSO). `refuse` names each such row and imports nothing; every hash that can be verified is kept either way'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --day-first 'Read a date like `01/02/2027` day first (1 February), as spreadsheets in most of Europe write it [default: month first, as in the US; `31.01.2027` is always day first]'
            cand --generate-passwords 'Generate every new user''s password, ignoring any `password` or `password_hash` in the file (existing users keep theirs); prints `email,password` once'
            cand --create-packages 'Create the packages the file names that do not exist yet (audited as created by you), instead of refusing the rows that name them'
            cand --must-change-password 'Every user the import creates must choose a new password at first login (unless its row says otherwise in `must_change_password`)'
            cand --dry-run 'Report exactly what would happen and change nothing'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;doctor'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;export'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --with-password-hashes 'Add each user''s password hash, so an import into another store keeps everyone''s password. The export is audited; treat the file like a password file'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;user;help'= {
            cand list 'List users'
            cand show 'Show one user'
            cand add 'Add a user (on a terminal, missing fields are asked for)'
            cand edit 'Change a user''s name, full name, phone, role, status or expiry'
            cand passwd 'Set another user''s password (revokes their sessions, clears a lockout)'
            cand activate 'Activate users'
            cand deactivate 'Deactivate users (revokes their sessions)'
            cand unlock 'Clear the login lockout of users'
            cand offboard 'Offboard users: deactivate, revoke sessions, remove all package assignments'
            cand delete 'Delete users for good (asks for confirmation on a terminal unless --yes)'
            cand import 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing'
            cand doctor 'Why can''t this user log in, and which packages can they see?'
            cand export 'Export users in a form `user import` reads back (no secrets unless asked)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;user;help;list'= {
        }
        &'gatehouse;user;help;show'= {
        }
        &'gatehouse;user;help;add'= {
        }
        &'gatehouse;user;help;edit'= {
        }
        &'gatehouse;user;help;passwd'= {
        }
        &'gatehouse;user;help;activate'= {
        }
        &'gatehouse;user;help;deactivate'= {
        }
        &'gatehouse;user;help;unlock'= {
        }
        &'gatehouse;user;help;offboard'= {
        }
        &'gatehouse;user;help;delete'= {
        }
        &'gatehouse;user;help;import'= {
        }
        &'gatehouse;user;help;doctor'= {
        }
        &'gatehouse;user;help;export'= {
        }
        &'gatehouse;user;help;help'= {
        }
        &'gatehouse;package'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the packages you can see'
            cand show 'Show one package'
            cand create 'Create a package (you become its creator)'
            cand edit 'Rename or re-describe a package (admins and its creator)'
            cand activate 'Activate a package (admins and its creator)'
            cand deactivate 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)'
            cand delete 'Delete a package and its assignments (admins and its creator)'
            cand assign 'Assign packages to users (admins; assigning twice is not an error)'
            cand unassign 'Remove packages from users (admins)'
            cand members 'Who can see a package, and why (admin, creator, assigned)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;package;list'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --all 'Include inactive packages'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;show'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;create'= {
            cand --description 'What the package groups (one line, at most 256 characters)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --if-not-exists 'A package of this name that you can see is fine (exit 0, unchanged): for CI'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;edit'= {
            cand --name 'New name'
            cand --description 'New description (empty clears it)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;activate'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;deactivate'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;delete'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand -y 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --yes 'Do not ask for confirmation (scripts are never asked anyway)'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;assign'= {
            cand --user 'Users (email or id): repeat, or separate with commas'
            cand --from 'Also the users listed in FILE (`-`: standard input), one email per line; `#` comments and blank lines are skipped'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --dry-run 'Show what would change, and change nothing'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;unassign'= {
            cand --user 'Users (email or id): repeat, or separate with commas'
            cand --from 'Also the users listed in FILE (`-`: standard input), one email per line; `#` comments and blank lines are skipped'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --dry-run 'Show what would change, and change nothing'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;members'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;package;help'= {
            cand list 'List the packages you can see'
            cand show 'Show one package'
            cand create 'Create a package (you become its creator)'
            cand edit 'Rename or re-describe a package (admins and its creator)'
            cand activate 'Activate a package (admins and its creator)'
            cand deactivate 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)'
            cand delete 'Delete a package and its assignments (admins and its creator)'
            cand assign 'Assign packages to users (admins; assigning twice is not an error)'
            cand unassign 'Remove packages from users (admins)'
            cand members 'Who can see a package, and why (admin, creator, assigned)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;package;help;list'= {
        }
        &'gatehouse;package;help;show'= {
        }
        &'gatehouse;package;help;create'= {
        }
        &'gatehouse;package;help;edit'= {
        }
        &'gatehouse;package;help;activate'= {
        }
        &'gatehouse;package;help;deactivate'= {
        }
        &'gatehouse;package;help;delete'= {
        }
        &'gatehouse;package;help;assign'= {
        }
        &'gatehouse;package;help;unassign'= {
        }
        &'gatehouse;package;help;members'= {
        }
        &'gatehouse;package;help;help'= {
        }
        &'gatehouse;access'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand explain 'Allowed or denied, and which arm of the rule decided it'
            cand matrix 'A users × packages grid: A admin, C creator, ✓ assigned'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;access;explain'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;access;matrix'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;access;help'= {
            cand explain 'Allowed or denied, and which arm of the rule decided it'
            cand matrix 'A users × packages grid: A admin, C creator, ✓ assigned'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;access;help;explain'= {
        }
        &'gatehouse;access;help;matrix'= {
        }
        &'gatehouse;access;help;help'= {
        }
        &'gatehouse;me'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show your profile'
            cand edit 'Change your name, full name or phone'
            cand notifications 'Show or change your notification preferences'
            cand passwd 'Change your password (the current one is checked first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;me;show'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;me;edit'= {
            cand --name 'New name'
            cand --full-name 'New full name (empty clears it)'
            cand --phone 'New phone number (empty clears it)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;me;notifications'= {
            cand --email 'Email notifications'
            cand --sms 'SMS notifications (needs a phone number)'
            cand --shipment-updates 'Shipment updates'
            cand --system-announcements 'System announcements'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;me;passwd'= {
            cand --password-file 'Read the new password from the first line of FILE (must not be group/world-readable)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --password-stdin 'Read the new password from the first line of standard input'
            cand --generate-password 'Generate a strong password and print it once on stdout'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;me;help'= {
            cand show 'Show your profile'
            cand edit 'Change your name, full name or phone'
            cand notifications 'Show or change your notification preferences'
            cand passwd 'Change your password (the current one is checked first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;me;help;show'= {
        }
        &'gatehouse;me;help;edit'= {
        }
        &'gatehouse;me;help;notifications'= {
        }
        &'gatehouse;me;help;passwd'= {
        }
        &'gatehouse;me;help;help'= {
        }
        &'gatehouse;config'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List every setting with its value'
            cand get 'Print one setting''s value'
            cand set 'Change a setting'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;config;list'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;config;get'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;config;set'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;config;help'= {
            cand list 'List every setting with its value'
            cand get 'Print one setting''s value'
            cand set 'Change a setting'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;config;help;list'= {
        }
        &'gatehouse;config;help;get'= {
        }
        &'gatehouse;config;help;set'= {
        }
        &'gatehouse;config;help;help'= {
        }
        &'gatehouse;audit'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List audit entries, newest first'
            cand verify 'Check the hash chain; exit 8 naming the first broken entry'
            cand checkpoint 'Print the chain''s head (entry number and hash) to keep somewhere else'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;audit;list'= {
            cand --since 'Entries at or after T (RFC 3339 or a date)'
            cand --until 'Entries at or before T (RFC 3339 or a date, meaning the end of that day)'
            cand --actor 'Entries by this actor (email)'
            cand --action 'Entries of this action, e.g. `user.add`, `login`, `package.assign`'
            cand --target 'Entries about this target (an email, a package name, a setting)'
            cand --limit 'Print at most N entries'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;audit;verify'= {
            cand --checkpoint 'Also prove the chain still extends this head, printed earlier by `audit checkpoint`: a trail cut short or recomputed after it fails (exit 8)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;audit;checkpoint'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;audit;help'= {
            cand list 'List audit entries, newest first'
            cand verify 'Check the hash chain; exit 8 naming the first broken entry'
            cand checkpoint 'Print the chain''s head (entry number and hash) to keep somewhere else'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;audit;help;list'= {
        }
        &'gatehouse;audit;help;verify'= {
        }
        &'gatehouse;audit;help;checkpoint'= {
        }
        &'gatehouse;audit;help;help'= {
        }
        &'gatehouse;store'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand copy 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back'
            cand doctor 'Check a PostgreSQL store''s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;store;copy'= {
            cand --to 'The store to copy into: a new SQLite file or a database without a gatehouse store'
            cand --from 'The store to copy from, into the (new or empty) store --db names'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;store;doctor'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;store;help'= {
            cand copy 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back'
            cand doctor 'Check a PostgreSQL store''s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;store;help;copy'= {
        }
        &'gatehouse;store;help;doctor'= {
        }
        &'gatehouse;store;help;help'= {
        }
        &'gatehouse;apply'= {
            cand --input-format 'The file''s format [default: by extension, else guessed from the content]'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --prune 'Also deactivate every active user the file does not list (never you, so never the last active admin)'
            cand --dry-run 'Print the plan and change nothing'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;completions'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;version'= {
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;review'= {
            cand --stale-days 'Users not seen for this many days count as stale'
            cand --section 'Only this section, in full (for `--format csv`: one table)'
            cand --html-rows 'In `--format html`, show at most N rows of each section (the page says how to export the rest)'
            cand --db 'The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string [default: gatehouse.db in the platform data directory]'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --as 'Use the session saved by `login --as NAME`: several identities on one store'
            cand --json 'Short for `--format json`'
            cand -q 'Print less: no confirmations of changes in table format, no warnings'
            cand --quiet 'Print less: no confirmations of changes in table format, no warnings'
            cand --no-pager 'Never page tables on a terminal (otherwise they go through $PAGER, or `less`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gatehouse;help'= {
            cand init 'Create the store and its first admin'
            cand login 'Log in and save a session for this store'
            cand logout 'Revoke the current session (or every saved one, with --all)'
            cand whoami 'Show who you are acting as'
            cand user 'Manage users (admins)'
            cand package 'Manage packages and who is assigned to them'
            cand access 'Explain who can reach which package'
            cand me 'Your own account'
            cand config 'Read and change the store''s settings (admins)'
            cand audit 'The audit trail: list entries, verify the hash chain (admins)'
            cand store 'Move a whole store between SQLite and PostgreSQL; check a PostgreSQL store'
            cand apply 'Make the store match a file of settings, packages and users (TOML, YAML or JSON), in one transaction, printing the plan'
            cand completions 'Print a shell completion script (commands and flags)'
            cand version 'Print gatehouse''s version, the commit it was built from and the store schema versions it knows'
            cand review 'Access review report: admins, stale and expiring accounts, orphaned packages (admins)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gatehouse;help;init'= {
        }
        &'gatehouse;help;login'= {
        }
        &'gatehouse;help;logout'= {
        }
        &'gatehouse;help;whoami'= {
        }
        &'gatehouse;help;user'= {
            cand list 'List users'
            cand show 'Show one user'
            cand add 'Add a user (on a terminal, missing fields are asked for)'
            cand edit 'Change a user''s name, full name, phone, role, status or expiry'
            cand passwd 'Set another user''s password (revokes their sessions, clears a lockout)'
            cand activate 'Activate users'
            cand deactivate 'Deactivate users (revokes their sessions)'
            cand unlock 'Clear the login lockout of users'
            cand offboard 'Offboard users: deactivate, revoke sessions, remove all package assignments'
            cand delete 'Delete users for good (asks for confirmation on a terminal unless --yes)'
            cand import 'Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing'
            cand doctor 'Why can''t this user log in, and which packages can they see?'
            cand export 'Export users in a form `user import` reads back (no secrets unless asked)'
        }
        &'gatehouse;help;user;list'= {
        }
        &'gatehouse;help;user;show'= {
        }
        &'gatehouse;help;user;add'= {
        }
        &'gatehouse;help;user;edit'= {
        }
        &'gatehouse;help;user;passwd'= {
        }
        &'gatehouse;help;user;activate'= {
        }
        &'gatehouse;help;user;deactivate'= {
        }
        &'gatehouse;help;user;unlock'= {
        }
        &'gatehouse;help;user;offboard'= {
        }
        &'gatehouse;help;user;delete'= {
        }
        &'gatehouse;help;user;import'= {
        }
        &'gatehouse;help;user;doctor'= {
        }
        &'gatehouse;help;user;export'= {
        }
        &'gatehouse;help;package'= {
            cand list 'List the packages you can see'
            cand show 'Show one package'
            cand create 'Create a package (you become its creator)'
            cand edit 'Rename or re-describe a package (admins and its creator)'
            cand activate 'Activate a package (admins and its creator)'
            cand deactivate 'Deactivate a package: hidden from `package list` unless --all (admins and its creator)'
            cand delete 'Delete a package and its assignments (admins and its creator)'
            cand assign 'Assign packages to users (admins; assigning twice is not an error)'
            cand unassign 'Remove packages from users (admins)'
            cand members 'Who can see a package, and why (admin, creator, assigned)'
        }
        &'gatehouse;help;package;list'= {
        }
        &'gatehouse;help;package;show'= {
        }
        &'gatehouse;help;package;create'= {
        }
        &'gatehouse;help;package;edit'= {
        }
        &'gatehouse;help;package;activate'= {
        }
        &'gatehouse;help;package;deactivate'= {
        }
        &'gatehouse;help;package;delete'= {
        }
        &'gatehouse;help;package;assign'= {
        }
        &'gatehouse;help;package;unassign'= {
        }
        &'gatehouse;help;package;members'= {
        }
        &'gatehouse;help;access'= {
            cand explain 'Allowed or denied, and which arm of the rule decided it'
            cand matrix 'A users × packages grid: A admin, C creator, ✓ assigned'
        }
        &'gatehouse;help;access;explain'= {
        }
        &'gatehouse;help;access;matrix'= {
        }
        &'gatehouse;help;me'= {
            cand show 'Show your profile'
            cand edit 'Change your name, full name or phone'
            cand notifications 'Show or change your notification preferences'
            cand passwd 'Change your password (the current one is checked first)'
        }
        &'gatehouse;help;me;show'= {
        }
        &'gatehouse;help;me;edit'= {
        }
        &'gatehouse;help;me;notifications'= {
        }
        &'gatehouse;help;me;passwd'= {
        }
        &'gatehouse;help;config'= {
            cand list 'List every setting with its value'
            cand get 'Print one setting''s value'
            cand set 'Change a setting'
        }
        &'gatehouse;help;config;list'= {
        }
        &'gatehouse;help;config;get'= {
        }
        &'gatehouse;help;config;set'= {
        }
        &'gatehouse;help;audit'= {
            cand list 'List audit entries, newest first'
            cand verify 'Check the hash chain; exit 8 naming the first broken entry'
            cand checkpoint 'Print the chain''s head (entry number and hash) to keep somewhere else'
        }
        &'gatehouse;help;audit;list'= {
        }
        &'gatehouse;help;audit;verify'= {
        }
        &'gatehouse;help;audit;checkpoint'= {
        }
        &'gatehouse;help;store'= {
            cand copy 'Copy the whole store (users, packages, assignments, settings, audit trail) into an empty one: SQLite to PostgreSQL or back'
            cand doctor 'Check a PostgreSQL store''s schema, policies, grants and roles against what this version expects, naming any drift (exit 8 when there is some)'
        }
        &'gatehouse;help;store;copy'= {
        }
        &'gatehouse;help;store;doctor'= {
        }
        &'gatehouse;help;apply'= {
        }
        &'gatehouse;help;completions'= {
        }
        &'gatehouse;help;version'= {
        }
        &'gatehouse;help;review'= {
        }
        &'gatehouse;help;help'= {
        }
    ]
    $completions[$command]
}
