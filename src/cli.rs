//! The whole command-line surface. Doc comments here are the `--help` text, and the
//! completions and man pages are generated from this definition.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::output::{ColorChoice, Format};

use crate::model::{
    Checkpoint, Description, Email, ExpiryInput, FullName, Instant, PackageList, PackageName,
    Phone, Role, Status, Switch, Ttl, UserName, UserRef,
};

const ROOT_AFTER_HELP: &str = "\
Examples:
  gatehouse init --email admin@example.com --name admin
  gatehouse login
  gatehouse user add --name alice --email alice@example.com --generate-password
  gatehouse user list --status active --format csv
  GATEHOUSE_TOKEN=$(gatehouse login --email admin@example.com --print-token --password-stdin < pw) gatehouse whoami

Exit codes: 0 ok, 1 internal, 2 usage, 3 auth, 4 denied, 5 not found, 6 conflict,
7 invalid input, 8 integrity, 9 store, 10 cancelled (you answered no),
75 busy (safe to retry).";

/// The top-level help groups the commands by what admins do; a test checks that every
/// subcommand is listed here.
pub const ROOT_HELP_TEMPLATE: &str = "\
{about-with-newline}
{usage-heading} {usage}

Users:
  user         Manage users: list, show, add, edit, passwd, activate, deactivate,
               offboard, delete, unlock, import, export, doctor (admins)

Packages:
  package      List, show, create, edit, delete packages; assign them to users

Access:
  access       Explain why someone can reach a package; the users × packages matrix
  review       Access review report: stale, expiring and orphaned access (admins)

Yourself:
  login        Log in and save a session for this store
  logout       Revoke the current session
  whoami       Show who you are acting as
  me           Your profile, password and notification preferences

Audit and settings:
  audit        List the audit trail and verify its hash chain (admins)
  config       Read and change the store's settings (admins)

Setup:
  init         Create the store and its first admin (a SQLite file or a PostgreSQL URL)
  apply        Make the store match a file of settings, packages and users (CI seeding)
  store        Copy a whole store between SQLite and PostgreSQL; check a PostgreSQL store
  completions  Print a shell completion script
  version      Print the version, the commit it was built from and the schema versions
  help         Print help for a command

Options:
{options}
{after-help}";

/// Manage the platform's users and who may reach which package.
#[derive(Debug, Parser)]
#[command(name = "gatehouse", version, about, after_help = ROOT_AFTER_HELP)]
#[command(help_template = ROOT_HELP_TEMPLATE)]
#[command(propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes; help lists them under their own heading, after the
/// command's own.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The store: a SQLite file, or a PostgreSQL URL (postgres://…) or key=value string
    /// [default: gatehouse.db in the platform data directory]
    #[arg(long, global = true, env = "GATEHOUSE_DB", value_name = "PATH|URL")]
    pub db: Option<PathBuf>,

    /// Output format
    #[arg(
        short = 'o',
        long,
        global = true,
        env = "GATEHOUSE_FORMAT",
        value_enum,
        default_value_t = Format::Table
    )]
    pub format: Format,

    /// Short for `--format json`
    #[arg(long, global = true, conflicts_with = "format")]
    pub json: bool,

    /// When to use colour (NO_COLOR is honoured with `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print less: no confirmations of changes in table format, no warnings
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Never page tables on a terminal (otherwise they go through $PAGER, or `less`)
    #[arg(long, global = true)]
    pub no_pager: bool,

    /// Use the session saved by `login --as NAME`: several identities on one store
    #[arg(long = "as", global = true, env = "GATEHOUSE_AS", value_name = "NAME",
          value_parser = crate::session::parse_identity)]
    pub identity: Option<String>,
}

impl GlobalArgs {
    pub fn effective_format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the store and its first admin
    #[command(after_help = "\
Examples:
  gatehouse init --email admin@example.com --name admin
  printf '%s\\n' \"$ADMIN_PW\" | gatehouse init --email admin@example.com --name admin --password-stdin")]
    Init(InitArgs),

    /// Log in and save a session for this store
    #[command(after_help = "\
Examples:
  gatehouse login --email admin@example.com
  export GATEHOUSE_TOKEN=$(gatehouse login --email ci@example.com --password-stdin --print-token < pw)")]
    Login(LoginArgs),

    /// Revoke the current session (or every saved one, with --all)
    #[command(after_help = "\
Examples:
  gatehouse logout
  gatehouse --as ops logout
  gatehouse logout --all")]
    Logout(LogoutArgs),

    /// Show who you are acting as
    #[command(after_help = "Example:\n  gatehouse whoami --json")]
    Whoami,

    /// Manage users (admins)
    #[command(subcommand)]
    User(UserCommand),

    /// Manage packages and who is assigned to them
    #[command(subcommand)]
    Package(PackageCommand),

    /// Explain who can reach which package
    #[command(subcommand)]
    Access(AccessCommand),

    /// Your own account
    #[command(subcommand)]
    Me(MeCommand),

    /// Read and change the store's settings (admins)
    #[command(subcommand)]
    Config(ConfigCommand),

    /// The audit trail: list entries, verify the hash chain (admins)
    #[command(subcommand)]
    Audit(AuditCommand),

    /// Move a whole store between SQLite and PostgreSQL; check a PostgreSQL store
    #[command(subcommand)]
    Store(StoreCommand),

    /// Make the store match a file of settings, packages and users (TOML, YAML or JSON),
    /// in one transaction, printing the plan
    #[command(after_help = APPLY_AFTER_HELP)]
    Apply(ApplyArgs),

    /// Print a shell completion script (commands and flags)
    #[command(after_help = "\
To complete emails and package names from the store as well, source the script gatehouse
writes for your shell at each start instead: `source <(COMPLETE=bash gatehouse)` in
~/.bashrc (zsh: COMPLETE=zsh; fish: `COMPLETE=fish gatehouse | source`).

Examples:
  mkdir -p ~/.local/share/bash-completion/completions
  gatehouse completions bash > ~/.local/share/bash-completion/completions/gatehouse
  mkdir -p ~/.config/fish/completions
  gatehouse completions fish > ~/.config/fish/completions/gatehouse.fish
  echo 'source <(COMPLETE=bash gatehouse)' >> ~/.bashrc")]
    Completions(CompletionsArgs),

    /// Print gatehouse's version, the commit it was built from and the store schema
    /// versions it knows
    #[command(after_help = "Examples:\n  gatehouse version\n  gatehouse version --json")]
    Version,

    /// Access review report: admins, stale and expiring accounts, orphaned packages (admins)
    #[command(after_help = "\
Examples:
  gatehouse review
  gatehouse review --stale-days 30 --json
  gatehouse review --format html > access-review.html
  gatehouse review --section never-logged-in --format csv > never.csv")]
    Review(ReviewArgs),
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy the whole store (users, packages, assignments, settings, audit trail) into an
    /// empty one: SQLite to PostgreSQL or back
    #[command(after_help = "\
The copy runs in one transaction on the target and verifies the audit chain there.
A PostgreSQL side is reached as the role that may create roles (the one `init` ran as).
A SQLite store is copied by one of its admins, named by GATEHOUSE_EMAIL with
GATEHOUSE_PASSWORD_FILE (or asked on a terminal), and the copy is recorded in its trail
(`store.copy`). On PostgreSQL the server logs people in with its own verifiers, which
only a password can make: that admin keeps their password there; everyone else is
listed and needs a new one.

Examples:
  GATEHOUSE_EMAIL=admin@example.com gatehouse --db gatehouse.db store copy --to postgres://db.example.com/gatehouse
  gatehouse --db gatehouse.db store copy --from 'postgres://installer@db.example.com/gatehouse'")]
    Copy(StoreCopyArgs),

    /// Check a PostgreSQL store's schema, policies, grants and roles against what this
    /// version expects, naming any drift (exit 8 when there is some)
    #[command(
        after_help = "Example:\n  gatehouse --db postgres://installer@db.example.com/gatehouse store doctor"
    )]
    Doctor,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct StoreCopyArgs {
    /// The store to copy into: a new SQLite file or a database without a gatehouse store
    #[arg(long, value_name = "PATH|URL")]
    pub to: Option<PathBuf>,

    /// The store to copy from, into the (new or empty) store --db names
    #[arg(long, value_name = "PATH|URL")]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List audit entries, newest first
    #[command(after_help = "\
Examples:
  gatehouse audit list --limit 20
  gatehouse audit list --actor admin@example.com --since 2026-11-01
  gatehouse audit list --action user.deactivate --format jsonl")]
    List(AuditListArgs),

    /// Check the hash chain; exit 8 naming the first broken entry
    #[command(after_help = "\
Examples:
  gatehouse audit verify || alert 'audit trail tampered with'
  gatehouse audit verify --checkpoint \"$(cat /secure/gatehouse.checkpoint)\"")]
    Verify(AuditVerifyArgs),

    /// Print the chain's head (entry number and hash) to keep somewhere else
    #[command(after_help = "\
Example (keep the head off this machine, check against it later):
  gatehouse audit checkpoint | ssh vault 'cat >> gatehouse.checkpoints'
  gatehouse audit verify --checkpoint 1234:9f86d081884c7d65…")]
    Checkpoint,
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    /// Also prove the chain still extends this head, printed earlier by `audit
    /// checkpoint`: a trail cut short or recomputed after it fails (exit 8)
    #[arg(long, value_name = "N:HASH", value_parser = parse::<Checkpoint>)]
    pub checkpoint: Option<Checkpoint>,
}

#[derive(Debug, Args)]
pub struct AuditListArgs {
    /// Entries at or after T (RFC 3339 or a date)
    #[arg(long, value_name = "T", value_parser = parse::<Instant>)]
    pub since: Option<Instant>,

    /// Entries at or before T (RFC 3339 or a date, meaning the end of that day)
    #[arg(long, value_name = "T", value_parser = parse::<Instant>)]
    pub until: Option<Instant>,

    /// Entries by this actor (email)
    #[arg(long, value_name = "EMAIL")]
    pub actor: Option<String>,

    /// Entries of this action, e.g. `user.add`, `login`, `package.assign`
    #[arg(long)]
    pub action: Option<String>,

    /// Entries about this target (an email, a package name, a setting)
    #[arg(long)]
    pub target: Option<String>,

    /// Print at most N entries
    #[arg(long, value_name = "N", value_parser = row_count())]
    pub limit: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Users not seen for this many days count as stale
    #[arg(long, value_name = "N", default_value_t = 90,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub stale_days: u32,

    /// Only this section, in full (for `--format csv`: one table)
    #[arg(long, value_enum, value_name = "NAME")]
    pub section: Option<ReviewSection>,

    /// In `--format html`, show at most N rows of each section (the page says how to
    /// export the rest)
    #[arg(long, value_name = "N", default_value_t = 100,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub html_rows: u64,
}

/// The sections of the access review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewSection {
    Admins,
    InactiveWithPackages,
    NotSeen,
    NeverLoggedIn,
    Expired,
    ExpiringSoon,
    PendingPasswordChange,
    AdminOnlyPackages,
}

#[derive(Debug, Subcommand)]
pub enum PackageCommand {
    /// List the packages you can see
    #[command(
        after_help = "Examples:\n  gatehouse package list\n  gatehouse package list --all --json"
    )]
    List(PackageListArgs),

    /// Show one package
    #[command(after_help = "Example:\n  gatehouse package show north-region")]
    Show(PackageArg),

    /// Create a package (you become its creator)
    #[command(
        after_help = "Example:\n  gatehouse package create north-region --description 'Shipments north of the river'"
    )]
    Create(PackageCreateArgs),

    /// Rename or re-describe a package (admins and its creator)
    #[command(
        after_help = "Example:\n  gatehouse package edit north-region --name north --description ''"
    )]
    Edit(PackageEditArgs),

    /// Activate a package (admins and its creator)
    #[command(after_help = "Example:\n  gatehouse package activate north-region")]
    Activate(PackageArg),

    /// Deactivate a package: hidden from `package list` unless --all (admins and its creator)
    #[command(after_help = "Example:\n  gatehouse package deactivate north-region")]
    Deactivate(PackageArg),

    /// Delete a package and its assignments (admins and its creator)
    #[command(after_help = "Example:\n  gatehouse package delete north-region --yes")]
    Delete(PackageDeleteArgs),

    /// Assign packages to users (admins; assigning twice is not an error)
    #[command(after_help = "\
Examples:
  gatehouse package assign north-region --user alice@example.com
  gatehouse package assign north south --user alice@example.com,bob@example.com
  gatehouse package assign north --from new-drivers.txt --dry-run")]
    Assign(AssignArgs),

    /// Remove packages from users (admins)
    #[command(
        after_help = "Example:\n  gatehouse package unassign north-region --user alice@example.com"
    )]
    Unassign(AssignArgs),

    /// Who can see a package, and why (admin, creator, assigned)
    #[command(after_help = "Example:\n  gatehouse package members north-region")]
    Members(PackageArg),
}

#[derive(Debug, Args)]
pub struct PackageListArgs {
    /// Include inactive packages
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct PackageDeleteArgs {
    #[command(flatten)]
    pub package: PackageArg,

    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

/// `-y`: only on the commands that ask before they act.
#[derive(Debug, Args)]
pub struct ConfirmArgs {
    /// Do not ask for confirmation (scripts are never asked anyway)
    #[arg(short, long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct PackageArg {
    /// The package's name (any letter case)
    #[arg(value_parser = parse::<PackageName>)]
    pub package: PackageName,
}

#[derive(Debug, Args)]
pub struct PackageCreateArgs {
    /// The new package's name (unique regardless of letter case)
    #[arg(value_parser = parse::<PackageName>)]
    pub name: PackageName,

    /// What the package groups (one line, at most 256 characters)
    #[arg(long, value_parser = parse::<Description>)]
    pub description: Option<Description>,

    /// A package of this name that you can see is fine (exit 0, unchanged): for CI
    #[arg(long)]
    pub if_not_exists: bool,
}

#[derive(Debug, Args)]
pub struct PackageEditArgs {
    /// The package's name (any letter case)
    #[arg(value_parser = parse::<PackageName>)]
    pub package: PackageName,

    /// New name
    #[arg(long, value_parser = parse::<PackageName>)]
    pub name: Option<PackageName>,

    /// New description (empty clears it)
    #[arg(long, value_parser = parse::<Description>)]
    pub description: Option<Description>,
}

#[derive(Debug, Args)]
pub struct AssignArgs {
    /// Package names
    #[arg(value_parser = parse::<PackageName>, required = true, value_name = "PACKAGE")]
    pub packages: Vec<PackageName>,

    /// Users (email or id): repeat, or separate with commas
    #[arg(
        long = "user",
        value_parser = parse::<UserRef>,
        value_delimiter = ',',
        required_unless_present = "from",
        value_name = "USER"
    )]
    pub users: Vec<UserRef>,

    /// Also the users listed in FILE (`-`: standard input), one email per line; `#`
    /// comments and blank lines are skipped
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    /// Show what would change, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Allowed or denied, and which arm of the rule decided it
    #[command(after_help = "\
The rule: a user can see a package when they are an admin, OR created it, OR it is
assigned to them; changing or deleting it takes admin OR creator.

Examples:
  gatehouse access explain alice@example.com north-region
  gatehouse access explain me north-region --json")]
    Explain(ExplainArgs),

    /// A users × packages grid: A admin, C creator, ✓ assigned
    #[command(after_help = "Example:\n  gatehouse access matrix --format csv > access.csv")]
    Matrix,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A user's email or id, or `me`
    pub user: String,

    /// The package's name
    #[arg(value_parser = parse::<PackageName>)]
    pub package: PackageName,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// List every setting with its value
    #[command(after_help = "Example:\n  gatehouse config list")]
    List,

    /// Print one setting's value
    #[command(after_help = "Example:\n  gatehouse config get session.ttl")]
    Get(ConfigGetArgs),

    /// Change a setting
    #[command(after_help = "\
Settings:
  packages.users_can_create  on|off   regular users may create packages (on)
  password.min_length        6..1024  minimum password length (6)
  password.blocklist         on|off   refuse common passwords (on)
  session.ttl                1s..24h  default session lifetime (1h)

Example:
  gatehouse config set packages.users_can_create off")]
    Set(ConfigSetArgs),
}

#[derive(Debug, Args)]
pub struct ConfigGetArgs {
    pub key: String,
}

#[derive(Debug, Args)]
pub struct ConfigSetArgs {
    /// The setting (see the list below)
    pub key: String,
    /// Its new value
    pub value: String,
}

#[derive(Debug, Subcommand)]
pub enum MeCommand {
    /// Show your profile
    #[command(after_help = "Example:\n  gatehouse me show --json")]
    Show,

    /// Change your name, full name or phone
    #[command(
        after_help = "Example:\n  gatehouse me edit --full-name 'Alice Liddell' --phone '+44 20 7946 0000'"
    )]
    Edit(MeEditArgs),

    /// Show or change your notification preferences
    #[command(after_help = "\
Examples:
  gatehouse me notifications
  gatehouse me notifications --sms on --shipment-updates off")]
    Notifications(NotificationArgs),

    /// Change your password (the current one is checked first)
    #[command(after_help = "\
Examples:
  gatehouse me passwd
  printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | gatehouse me passwd --password-stdin")]
    Passwd(MePasswdArgs),
}

#[derive(Debug, Args)]
pub struct MeEditArgs {
    /// New name
    #[arg(long, value_parser = parse::<UserName>)]
    pub name: Option<UserName>,

    /// New full name (empty clears it)
    #[arg(long, value_parser = parse::<FullName>)]
    pub full_name: Option<FullName>,

    /// New phone number (empty clears it)
    #[arg(long, value_parser = parse::<Phone>)]
    pub phone: Option<Phone>,
}

#[derive(Debug, Args)]
pub struct NotificationArgs {
    /// Email notifications
    #[arg(long, value_enum, value_name = "on|off")]
    pub email: Option<Switch>,

    /// SMS notifications (needs a phone number)
    #[arg(long, value_enum, value_name = "on|off")]
    pub sms: Option<Switch>,

    /// Shipment updates
    #[arg(long, value_enum, value_name = "on|off")]
    pub shipment_updates: Option<Switch>,

    /// System announcements
    #[arg(long, value_enum, value_name = "on|off")]
    pub system_announcements: Option<Switch>,
}

#[derive(Debug, Args)]
pub struct MePasswdArgs {
    /// With --password-stdin, two lines are read: the current password, then the new one
    #[command(flatten)]
    pub password: NewPasswordArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Email of the first admin (asked on a terminal when missing)
    #[arg(long, value_parser = parse::<Email>)]
    pub email: Option<Email>,

    /// Name of the first admin [default: the email's local part]
    #[arg(long, value_parser = parse::<UserName>)]
    pub name: Option<UserName>,

    #[command(flatten)]
    pub password: NewPasswordArgs,

    /// A store that is already initialized is fine (exit 0, nothing changed): for CI
    #[arg(long)]
    pub if_not_exists: bool,
}

/// Where a new password comes from. With none of these, a terminal is asked twice.
#[derive(Debug, Args, Clone, Default)]
#[group(multiple = false)]
pub struct NewPasswordArgs {
    /// Read the new password from the first line of standard input
    #[arg(long)]
    pub password_stdin: bool,

    /// Read the new password from the first line of FILE (must not be group/world-readable)
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Generate a strong password and print it once on stdout
    #[arg(long)]
    pub generate_password: bool,
}

impl NewPasswordArgs {
    /// The source these flags choose.
    pub fn source(&self) -> crate::input::PasswordSource<'_> {
        use crate::input::PasswordSource;
        match (
            self.generate_password,
            self.password_stdin,
            &self.password_file,
        ) {
            (true, _, _) => PasswordSource::Generate,
            (_, true, _) => PasswordSource::Stdin,
            (_, _, Some(path)) => PasswordSource::File(path),
            _ => PasswordSource::Ask,
        }
    }
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// End every session saved for this store (each `--as` identity too)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Email to log in as (asked on a terminal when missing)
    #[arg(long, value_parser = parse::<Email>)]
    pub email: Option<Email>,

    /// Read the password from the first line of standard input
    #[arg(long)]
    pub password_stdin: bool,

    /// How long the session lasts, e.g. `30m`, `8h` (at most 24h) [default: session.ttl, 1h]
    #[arg(long, value_parser = parse::<Ttl>)]
    pub ttl: Option<Ttl>,

    /// Print the token on stdout instead of saving it (for `export GATEHOUSE_TOKEN=...`)
    #[arg(long)]
    pub print_token: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// List users
    #[command(after_help = "\
Examples:
  gatehouse user list
  gatehouse user list --role admin --status active
  gatehouse user list --search alice --sort last-login --format jsonl
  gatehouse user list --status locked
  gatehouse user list --columns email,last-login --no-headers | while read -r email seen; do …; done")]
    List(UserListArgs),

    /// Show one user
    #[command(
        after_help = "Examples:\n  gatehouse user show alice@example.com\n  gatehouse user show 42 --json"
    )]
    Show(UserShowArgs),

    /// Add a user (on a terminal, missing fields are asked for)
    #[command(after_help = "\
On a terminal, `gatehouse user add` with fields missing asks for them like the web
app's Add User dialog: name, email, role, packages, password twice, then a summary.

Examples:
  gatehouse user add --name alice --email alice@example.com --generate-password
  printf '%s\\n' \"$PW\" | gatehouse user add --name bob --email bob@example.com --password-stdin
  gatehouse user add --name ci --email ci@example.com --password-file pw --if-not-exists")]
    Add(UserAddArgs),

    /// Change a user's name, full name, phone, role, status or expiry
    #[command(after_help = "\
Examples:
  gatehouse user edit alice@example.com --role admin
  gatehouse user edit 42 --full-name 'Alice Liddell' --phone '+44 20 7946 0000'")]
    Edit(UserEditArgs),

    /// Set another user's password (revokes their sessions, clears a lockout)
    #[command(after_help = "\
Examples:
  gatehouse user passwd alice@example.com --generate-password --must-change-password
  gatehouse user passwd alice@example.com --password-file new-pw")]
    Passwd(UserPasswdArgs),

    /// Activate users
    #[command(
        after_help = "Example:\n  gatehouse user activate alice@example.com bob@example.com"
    )]
    Activate(TargetArgs),

    /// Deactivate users (revokes their sessions)
    #[command(
        after_help = "Examples:\n  gatehouse user deactivate alice@example.com\n  gatehouse user deactivate alice@example.com bob@example.com --dry-run"
    )]
    Deactivate(TargetArgs),

    /// Clear the login lockout of users
    #[command(after_help = "Example:\n  gatehouse user unlock alice@example.com")]
    Unlock(TargetArgs),

    /// Offboard users: deactivate, revoke sessions, remove all package assignments
    #[command(after_help = "\
Examples:
  gatehouse user offboard alice@example.com
  gatehouse user offboard --from leavers.txt --yes
  gatehouse user offboard --package old-client --dry-run")]
    Offboard(TargetArgs),

    /// Delete users for good (asks for confirmation on a terminal unless --yes)
    #[command(after_help = "\
Examples:
  gatehouse user delete alice@example.com --yes
  grep -v '^#' leavers.txt | gatehouse user delete --from - --yes")]
    Delete(TargetArgs),

    /// Import users from CSV, a spreadsheet, a JSON array or JSON lines, all or nothing
    #[command(after_help = "\
Columns (CSV header, any order and letter case; JSON keys):
  email, name, role, status, packages (`;`-separated in CSV, an array in JSON),
  password or password_hash (argon2, bcrypt, PBKDF2, SHA-512-crypt, scrypt, yescrypt, in
  the forms Django, passlib, Werkzeug, PHP and glibc write), full_name, phone,
  must_change_password, expires_at, created_at, last_login_at

Other systems' exports: --input-format supabase (auth.users), keycloak (a realm export),
shadow (/etc/shadow with --passwd /etc/passwd and --email-domain). Given without
--input-format, such an export is recognised and the preset to use named.

Spreadsheets: an .xlsx, .ods or .xls workbook is read from its first sheet. Other columns
are left out with a warning (--unknown-columns refuse: refused). Dates as spreadsheets
write them: 01/31/2027 (month first; --day-first for 31/01/2027), 31.01.2027. Phones
without `+` or a leading 0 (a spreadsheet took them for numbers) are warned about.

A hash gatehouse cannot verify (MD5-crypt, SHA-256-crypt, a cost above the bounds) or an
account without a password (OAuth, SSO) stops the import and is named, unless
--unusable-hash says what such a new user gets: `generate` (a password printed once, to
be changed at the first login) or `inactive` (no password anyone knows; `user activate`
and `user passwd` later). Every hash that can be verified is kept either way, and each
such row is named on stderr (`flags` in JSON). --generate-passwords instead sets aside
every password and hash of the file.

Under 1,000 rows, passwords are hashed before the write lock is taken. A larger CSV or
JSON lines file is read as a stream and written 1,000 rows at a time inside the one
transaction: memory stays small, and the lock is held until it ends. A row of a CSV or
JSON lines file holds at most 1 MiB: a longer one stops the import, naming its line.

Examples:
  gatehouse user import new-staff.csv --generate-passwords > passwords.csv
  gatehouse user import seed.jsonl --on-conflict skip
  gatehouse user export | gatehouse user import - --on-conflict update --dry-run
  gatehouse user import users.csv --input-format supabase
  gatehouse user import old-app.csv --unusable-hash generate > passwords.csv
  gatehouse user import staff.xlsx --day-first --generate-passwords > passwords.csv
  sudo cat /etc/shadow | gatehouse user import - --passwd /etc/passwd --email-domain example.com")]
    Import(ImportArgs),

    /// Why can't this user log in, and which packages can they see?
    #[command(after_help = "\
Examples:
  gatehouse user doctor alice@example.com
  gatehouse user doctor 42 --json")]
    Doctor(UserShowArgs),

    /// Export users in a form `user import` reads back (no secrets unless asked)
    #[command(after_help = "\
Examples:
  gatehouse user export > users.csv
  gatehouse user export --format jsonl > users.jsonl
  gatehouse user export --with-password-hashes > move.csv   # to a new store; keep it safe")]
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Add each user's password hash, so an import into another store keeps everyone's
    /// password. The export is audited; treat the file like a password file
    #[arg(long)]
    pub with_password_hashes: bool,
}

#[derive(Debug, Args)]
pub struct UserListArgs {
    /// Only users with this role
    #[arg(long, value_enum)]
    pub role: Option<Role>,

    /// Only active or inactive users, or those locked out by failed logins now, or whose
    /// account has expired
    #[arg(long, value_enum)]
    pub status: Option<ListStatus>,

    /// Only users assigned to this package
    #[arg(long, value_parser = parse::<PackageName>, value_name = "PACKAGE")]
    pub package: Option<PackageName>,

    /// Only users whose email, name or full name contains TEXT (case-insensitive)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,

    /// Sort order
    #[arg(long, value_enum, default_value_t = SortKey::Name)]
    pub sort: SortKey,

    /// Print at most N users
    #[arg(long, value_name = "N", value_parser = row_count())]
    pub limit: Option<u64>,

    /// Skip the first N users
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = row_count())]
    pub offset: u64,

    /// The columns to show, in order (table and CSV; JSON keeps only these fields)
    /// [default: id,name,email,role,status,packages,last-login]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "COLUMN,...")]
    pub columns: Option<Vec<crate::output::UserColumn>>,

    /// No header row (table and CSV), for `cut`, `awk` and `while read`
    #[arg(long)]
    pub no_headers: bool,
}

/// `user list --status`: the stored status, or what keeps a user out now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListStatus {
    Active,
    Inactive,
    /// Locked out by failed logins, now
    Locked,
    /// Past their expiry
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    Name,
    Email,
    Created,
    LastLogin,
}

#[derive(Debug, Args)]
pub struct UserShowArgs {
    /// An email (any letter case) or a numeric id
    #[arg(value_parser = parse::<UserRef>)]
    pub user: UserRef,
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// The name shown everywhere (1-64 characters)
    #[arg(long, value_parser = parse::<UserName>)]
    pub name: Option<UserName>,

    /// Email address (unique, cannot be changed later)
    #[arg(long, value_parser = parse::<Email>)]
    pub email: Option<Email>,

    /// Role [default: user]
    #[arg(long, value_enum)]
    pub role: Option<Role>,

    /// Full name
    #[arg(long, value_parser = parse::<FullName>)]
    pub full_name: Option<FullName>,

    /// Phone number
    #[arg(long, value_parser = parse::<Phone>)]
    pub phone: Option<Phone>,

    /// Assign a package (repeat for several)
    #[arg(long = "package", value_parser = parse::<PackageName>, value_name = "PACKAGE")]
    pub packages: Vec<PackageName>,

    #[command(flatten)]
    pub password: NewPasswordArgs,

    /// Make the user choose a new password at first login
    #[arg(long)]
    pub must_change_password: bool,

    /// Account valid until AT: a date (`2027-01-31`, the end of that day UTC), an RFC 3339
    /// time, a span from now (`90d`, `12h`, `2w`), `tomorrow`, or `never`
    #[arg(long, value_name = "AT", value_parser = parse::<ExpiryInput>)]
    pub expires: Option<ExpiryInput>,

    /// Succeed when a user with this email already exists, changing nothing — except a
    /// password read from stdin or a file that the account does not have yet, which is set
    #[arg(long)]
    pub if_not_exists: bool,
}

#[derive(Debug, Args)]
pub struct UserEditArgs {
    /// An email (any letter case) or a numeric id
    #[arg(value_parser = parse::<UserRef>)]
    pub user: UserRef,

    /// New name
    #[arg(long, value_parser = parse::<UserName>)]
    pub name: Option<UserName>,

    /// New full name (empty clears it)
    #[arg(long, value_parser = parse::<FullName>)]
    pub full_name: Option<FullName>,

    /// New phone number (empty clears it)
    #[arg(long, value_parser = parse::<Phone>)]
    pub phone: Option<Phone>,

    /// New role
    #[arg(long, value_enum)]
    pub role: Option<Role>,

    /// New status
    #[arg(long, value_enum)]
    pub status: Option<Status>,

    /// Account valid until AT: a date (`2027-01-31`, the end of that day UTC), an RFC 3339
    /// time, a span from now (`90d`, `12h`, `2w`), `tomorrow`, or `never`
    #[arg(long, value_name = "AT", value_parser = parse::<ExpiryInput>)]
    pub expires: Option<ExpiryInput>,

    /// Replace all assignments with these packages (comma-separated; empty for none)
    #[arg(long, value_parser = parse::<PackageList>, value_name = "P,Q",
          conflicts_with_all = ["add_packages", "remove_packages"])]
    pub packages: Option<PackageList>,

    /// Assign a package (repeat for several)
    #[arg(long = "add-package", value_parser = parse::<PackageName>, value_name = "PACKAGE")]
    pub add_packages: Vec<PackageName>,

    /// Remove a package (repeat for several)
    #[arg(long = "remove-package", value_parser = parse::<PackageName>, value_name = "PACKAGE")]
    pub remove_packages: Vec<PackageName>,

    /// Refused: an email never changes (create a new account instead)
    #[arg(long, hide = true, value_name = "EMAIL")]
    pub email: Option<String>,
}

#[derive(Debug, Args)]
pub struct UserPasswdArgs {
    /// An email (any letter case) or a numeric id
    #[arg(value_parser = parse::<UserRef>)]
    pub user: UserRef,

    #[command(flatten)]
    pub password: NewPasswordArgs,

    /// Make the user choose a new password at next login
    #[arg(long)]
    pub must_change_password: bool,
}

#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("targets")
        .required(true)
        .multiple(true)
        .args(["users", "from", "role", "status", "package", "all", "interactive"])
))]
pub struct TargetArgs {
    /// Emails (any letter case) or numeric ids; an argument that starts with `#` is a
    /// comment and skipped, as in a `--from` file
    #[arg(value_parser = parse::<UserWord>, value_name = "USER")]
    pub users: Vec<UserWord>,

    /// Also the users listed in FILE (`-` for stdin): one email per line, `#` comments
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    /// Also every user with this role (filters combine)
    #[arg(long, value_enum)]
    pub role: Option<Role>,

    /// Also every user with this status (filters combine)
    #[arg(long, value_enum)]
    pub status: Option<Status>,

    /// Also every user assigned to this package (filters combine)
    #[arg(long, value_parser = parse::<PackageName>, value_name = "PACKAGE")]
    pub package: Option<PackageName>,

    /// Every user (with filters: every user that matches them)
    #[arg(long)]
    pub all: bool,

    /// Pick the users from a checkbox list (a terminal only; `a` toggles all)
    #[arg(long, short = 'i')]
    pub interactive: bool,

    /// Skip named users that do not exist (each named in a warning) instead of refusing
    /// the whole command: for leaver lists that name people already gone
    #[arg(long)]
    pub ignore_missing: bool,

    /// Print what would change and change nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

const APPLY_AFTER_HELP: &str = "\
The file has up to three sections; what it leaves out is not managed. A user entry has
the fields of `user import` (email, name, role, status, packages, full_name, phone,
must_change_password, expires_at) and at most one password source: password_env (a
variable's name), password_file (a file only you can read; a relative path is found
next to the file), password_hash, or generate = true (a new user's password is made
and printed once). A plaintext password is refused: the file belongs in a repository.
A password counts as changed only when the stored hash does not verify it, so the same
file applied twice changes nothing and exits 0.

  # seed.toml
  [settings]
  \"password.min_length\" = 12

  [[packages]]
  name = \"north\"
  description = \"Northern region\"

  [[users]]
  email = \"ci@example.com\"
  name = \"ci\"
  role = \"admin\"
  password_env = \"CI_ADMIN_PASSWORD\"

  [[users]]
  email = \"alice@example.com\"
  name = \"alice\"
  packages = [\"north\"]
  generate = true

Examples:
  gatehouse apply seed.toml --dry-run
  gatehouse apply seed.toml
  gatehouse apply team.yaml --prune --yes
  gatehouse apply - --input-format json < team.json";

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The file, or `-` for standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The file's format [default: by extension, else guessed from the content]
    #[arg(long, value_enum)]
    pub input_format: Option<FileFormat>,

    /// Also deactivate every active user the file does not list (never you, so never
    /// the last active admin)
    #[arg(long)]
    pub prune: bool,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    Toml,
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import, or `-` for standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The input's format [default: by extension, else detected from the content]
    #[arg(long, value_enum)]
    pub input_format: Option<crate::input_formats::InputFormat>,

    /// With `--input-format shadow`: the host's passwd file, for full names (GECOS) and
    /// to leave out system accounts
    #[arg(long, value_name = "FILE")]
    pub passwd: Option<PathBuf>,

    /// With `--input-format shadow`: each login becomes LOGIN@DOMAIN
    #[arg(long, value_name = "DOMAIN")]
    pub email_domain: Option<String>,

    /// The CSV delimiter: `,` `;` `tab` or `|` [default: detected from the header]
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    /// The file's text encoding, e.g. windows-1252 or iso-8859-15 [default: UTF-8, or
    /// UTF-16 when the file starts with its byte-order mark]
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// What to do with emails already in the store
    #[arg(long, value_enum, default_value_t = OnConflict::Fail)]
    pub on_conflict: OnConflict,

    /// CSV columns that are not import columns (a spreadsheet's "Department"): left out
    /// and named in a warning, or the file refused
    #[arg(long, value_enum, value_name = "CHOICE", default_value_t = crate::input_formats::UnknownColumns::Ignore)]
    pub unknown_columns: crate::input_formats::UnknownColumns,

    /// Read a date like `01/02/2027` day first (1 February), as spreadsheets in most of
    /// Europe write it [default: month first, as in the US; `31.01.2027` is always day
    /// first]
    #[arg(long)]
    pub day_first: bool,

    /// Generate every new user's password, ignoring any `password` or `password_hash`
    /// in the file (existing users keep theirs); prints `email,password` once
    #[arg(long)]
    pub generate_passwords: bool,

    /// What a new user whose credential cannot be used gets: a hash gatehouse cannot
    /// verify (yescrypt is fine; MD5-crypt, a cost above the bounds, … are not) or, from
    /// another system's export, no password at all (OAuth, SSO). `refuse` names each such
    /// row and imports nothing; every hash that can be verified is kept either way
    #[arg(long, value_enum, value_name = "CHOICE", default_value_t = UnusableHash::Refuse)]
    pub unusable_hash: UnusableHash,

    /// Create the packages the file names that do not exist yet (audited as created by
    /// you), instead of refusing the rows that name them
    #[arg(long)]
    pub create_packages: bool,

    /// Every user the import creates must choose a new password at first login (unless
    /// its row says otherwise in `must_change_password`)
    #[arg(long)]
    pub must_change_password: bool,

    /// Report exactly what would happen and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `user import --unusable-hash`: what a new user gets whose credential cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnusableHash {
    /// Import nothing and name each such row
    Refuse,
    /// A generated password (printed once, as with --generate-passwords) that must be
    /// changed at the first login
    Generate,
    /// An inactive account with no password anyone knows: `user activate` and `user
    /// passwd` let them in later
    Inactive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnConflict {
    /// Refuse the whole import
    Fail,
    /// Leave the existing user as it is
    Skip,
    /// Update the existing user with the row's fields
    Update,
}

fn parse_delimiter(s: &str) -> Result<u8, crate::error::Error> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "|" | "pipe" => Ok(b'|'),
        _ => Err(crate::error::Error::invalid(format!(
            "unsupported delimiter `{s}`: use `,` `;` `tab` or `|`"
        ))),
    }
}

/// Adapts a `FromStr` domain type to clap. The error stays our own type, so `main` can
/// give a bad value its own exit code (7, invalid) rather than clap's usage code.
fn parse<T>(s: &str) -> Result<T, crate::error::Error>
where
    T: std::str::FromStr<Err = crate::error::Error>,
{
    s.parse::<T>()
}

/// A USER argument of a bulk command, or a `#` comment: `user offboard alice@example.com
/// '# leaves Friday'` reads like a line of a `--from` file.
#[derive(Debug, Clone)]
pub struct UserWord(pub Option<UserRef>);

impl std::str::FromStr for UserWord {
    type Err = crate::error::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim_start().starts_with('#') {
            return Ok(UserWord(None));
        }
        s.parse().map(|u| UserWord(Some(u)))
    }
}

/// `--limit`/`--offset`: a row count the store can take (SQLite counts in i64).
fn row_count() -> clap::builder::RangedU64ValueParser {
    clap::value_parser!(u64).range(0..=i64::MAX as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
