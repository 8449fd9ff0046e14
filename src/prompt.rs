//! Prompts for people at a terminal — never for scripts. Callers check that standard
//! input is a terminal before calling anything here.
//!
//! `user add` asks like the web app's Add User dialog (name, email, role, packages,
//! password twice, then a summary to confirm); bulk commands with `--interactive` show
//! the users as a checkbox list where `a` toggles all, like the web page's checkbox
//! column.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};
use secrecy::SecretString;

use crate::error::{Error, Result};
use crate::model::{Email, PackageName, Role, UserName};
use crate::store::User;

fn cancelled(e: dialoguer::Error) -> Error {
    Error::usage(format!("prompt cancelled: {e}")).with_hint("nothing was changed")
}

/// The person said no, or left a list with Esc or `q`: a choice, with its own exit code.
fn declined() -> Error {
    Error::new(
        crate::error::Kind::Cancelled,
        "cancelled; nothing was changed",
    )
}

/// The one yes/no question: a key press, `default` on Enter.
pub fn confirm(question: &str, default: bool) -> Result<bool> {
    Confirm::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .default(default)
        .interact()
        .map_err(cancelled)
}

/// Asks for a value until it parses, showing why a wrong one was refused.
pub fn ask<T>(theme: &ColorfulTheme, prompt: &str) -> Result<T>
where
    T: std::str::FromStr<Err = Error>,
{
    let text: String = Input::with_theme(theme)
        .with_prompt(prompt)
        .validate_with(|s: &String| s.parse::<T>().map(|_| ()).map_err(|e| e.message))
        .interact_text()
        .map_err(cancelled)?;
    text.parse()
}

/// What the Add User dialog collected.
pub struct NewUserAnswers {
    pub name: UserName,
    pub email: Email,
    pub role: Role,
    pub packages: Vec<PackageName>,
    pub password: Option<SecretString>,
    /// The password was generated (shown once when the user is created).
    pub generated: bool,
}

/// Known fields are not asked again; `ask_password` is false when a password source was
/// given on the command line.
pub struct Known<'a> {
    pub name: Option<&'a UserName>,
    pub email: Option<&'a Email>,
    pub role: Option<Role>,
    pub packages: &'a [PackageName],
    pub ask_password: bool,
}

/// The Add User dialog. `email_taken` is checked as the email is typed.
pub fn add_user(
    known: Known<'_>,
    existing_packages: &[String],
    email_taken: &dyn Fn(&Email) -> bool,
    policy: &crate::password::Policy,
) -> Result<NewUserAnswers> {
    let theme = ColorfulTheme::default();
    let name = match known.name {
        Some(n) => n.clone(),
        None => ask::<UserName>(&theme, "Name")?,
    };
    let email = match known.email {
        Some(e) => e.clone(),
        None => ask_email(&theme, email_taken)?,
    };
    let role = match known.role {
        Some(r) => r,
        None => ask_role(&theme)?,
    };
    let packages = if !known.packages.is_empty() || existing_packages.is_empty() {
        known.packages.to_vec()
    } else {
        ask_packages(&theme, existing_packages)?
    };
    let (password, generated) = if known.ask_password {
        ask_password(&theme, &name, &email, policy)?
    } else {
        (None, false)
    };
    eprintln_summary(&name, &email, role, &packages);
    if !confirm("Create this user?", true)? {
        return Err(declined());
    }
    Ok(NewUserAnswers {
        name,
        email,
        role,
        packages,
        password,
        generated,
    })
}

/// An email no one has yet, checked as it is typed.
fn ask_email(theme: &ColorfulTheme, email_taken: &dyn Fn(&Email) -> bool) -> Result<Email> {
    let text: String = Input::with_theme(theme)
        .with_prompt("Email")
        .validate_with(|s: &String| match s.parse::<Email>() {
            Ok(e) if email_taken(&e) => Err(format!("a user with email `{e}` already exists")),
            Ok(_) => Ok(()),
            Err(e) => Err(e.message),
        })
        .interact_text()
        .map_err(cancelled)?;
    text.parse()
}

fn ask_role(theme: &ColorfulTheme) -> Result<Role> {
    let i = Select::with_theme(theme)
        .with_prompt("Role")
        .items(["User", "Admin"])
        .default(0)
        .interact_opt()
        .map_err(cancelled)?
        .ok_or_else(declined)?;
    Ok(if i == 1 { Role::Admin } else { Role::User })
}

fn ask_packages(theme: &ColorfulTheme, existing: &[String]) -> Result<Vec<PackageName>> {
    let picked = MultiSelect::with_theme(theme)
        .with_prompt("Packages (space toggles, a toggles all, enter confirms)")
        .items(existing)
        .interact_opt()
        .map_err(cancelled)?
        .ok_or_else(declined)?;
    picked
        .into_iter()
        .map(|i| existing[i].parse::<PackageName>())
        .collect()
}

/// A typed password (judged as typed, with this user's name and email in mind) or a
/// generated one; and whether it was generated.
fn ask_password(
    theme: &ColorfulTheme,
    name: &UserName,
    email: &Email,
    policy: &crate::password::Policy,
) -> Result<(Option<SecretString>, bool)> {
    let how = Select::with_theme(theme)
        .with_prompt("Password")
        .items([
            "Type one",
            "Generate one (shown once, when the user is created)",
        ])
        .default(0)
        .interact_opt()
        .map_err(cancelled)?
        .ok_or_else(declined)?;
    if how == 1 {
        return Ok((Some(crate::password::generate()?), true));
    }
    let owner = crate::password::Owner {
        email: email.as_str(),
        name: name.as_str(),
    };
    let check = |pw: &SecretString| crate::password::check(pw, policy, &owner).map(|_| ());
    let pw =
        crate::input::prompt_new_password_checked("New password: ", "Repeat password: ", &check)?;
    Ok((Some(pw), false))
}

fn eprintln_summary(name: &UserName, email: &Email, role: Role, packages: &[PackageName]) {
    use std::io::Write;
    let pkgs = if packages.is_empty() {
        "none".to_string()
    } else {
        packages
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        std::io::stderr(),
        "\n  Name:     {name}\n  Email:    {email}\n  Role:     {}\n  Packages: {pkgs}\n",
        role.label()
    );
}

/// A checkbox list of users; returns the chosen ones.
pub fn pick_users(prompt: &str, users: &[User]) -> Result<Vec<User>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<String> = users
        .iter()
        .map(|u| {
            format!(
                "{} <{}> — {}, {}",
                u.name,
                u.email,
                u.role.label(),
                match u.status {
                    crate::model::Status::Active => "active",
                    crate::model::Status::Inactive => "inactive",
                }
            )
        })
        .collect();
    let picked = MultiSelect::with_theme(&ColorfulTheme::default())
        .with_prompt(format!(
            "{prompt} (space toggles, a toggles all, enter confirms)"
        ))
        .items(&items)
        .interact_opt()
        .map_err(cancelled)?
        .ok_or_else(declined)?;
    Ok(picked.into_iter().map(|i| users[i].clone()).collect())
}

/// The terminal's settings before any prompt, for the interrupt handler.
static SAVED_TERMINAL: std::sync::OnceLock<libc::termios> = std::sync::OnceLock::new();
/// Whether stderr is the terminal (only then is the cursor shown again there).
static STDERR_TTY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Ctrl-C at a prompt leaves the terminal as it found it: a hidden password prompt turns
/// echo off and a list hides the cursor, and a process killed there would leave both
/// so. On SIGINT the saved settings come back, the cursor is shown, and the command
/// dies of the interrupt as it would have (a shell reports 130, a loop stops). Call
/// once, when standard input is a terminal.
pub fn restore_terminal_on_interrupt() {
    STDERR_TTY.store(
        // SAFETY: isatty only reads the descriptor's state.
        unsafe { libc::isatty(libc::STDERR_FILENO) } == 1,
        std::sync::atomic::Ordering::Relaxed,
    );
    // SAFETY: tcgetattr writes into the termios we own; signal installs a handler that
    // only makes async-signal-safe calls (tcsetattr, write, _exit).
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0 {
            let _ = SAVED_TERMINAL.set(t);
        }
        libc::signal(
            libc::SIGINT,
            on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}

extern "C" fn on_interrupt(_: libc::c_int) {
    const SHOW_CURSOR: &[u8] = b"\x1b[?25h\n";
    // SAFETY: async-signal-safe calls only (an atomic load, tcsetattr, write, signal,
    // raise); the termios was set before the handler was.
    unsafe {
        if let Some(t) = SAVED_TERMINAL.get() {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t);
        }
        if STDERR_TTY.load(std::sync::atomic::Ordering::Relaxed) {
            libc::write(
                libc::STDERR_FILENO,
                SHOW_CURSOR.as_ptr().cast(),
                SHOW_CURSOR.len(),
            );
        }
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::raise(libc::SIGINT);
    }
}
