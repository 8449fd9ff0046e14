//! `gatehouse review`: the access-review report — admins; inactive users who still hold
//! packages; users not seen for N days or never; accounts past or near expiry; pending
//! password changes; packages nobody but admins can reach — as tables, as JSON, or as
//! one self-contained HTML page an auditor can open and print.
//!
//! Every section is a query of its own, counted and streamed by the store: nothing here
//! holds the users in memory, so a store of a million users reviews in the memory of a
//! small one. The HTML page shows each section's count and its first rows, with the
//! command that exports the whole section.

use clap::ValueEnum;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde_json::{json, Value};

use super::{Ctx, Granted};
use crate::authz::{Arm, Command};
use crate::cli::{Format, ReviewArgs, ReviewSection};
use crate::error::Result;
use crate::model::{fmt_ts, Status};
use crate::output::UserView;
use crate::store::{Package, Store, User, UserCondition, UserFilter};

/// Accounts expiring within this many days count as "near expiry".
const NEAR_EXPIRY_DAYS: i64 = 30;

/// The HTML matrix shows at most this many packages as columns.
const HTML_MATRIX_PACKAGES: usize = 40;

/// One finding list: what it is called and means, and the query behind it.
struct Section {
    which: ReviewSection,
    title: &'static str,
    about: String,
    query: Query,
}

enum Query {
    /// Users matching a condition, with one extra column.
    Users {
        condition: UserCondition,
        extra: (&'static str, fn(&User) -> String),
    },
    AdminOnlyPackages,
}

/// A section's row as JSON: the user record (the one shape every user has), or a
/// package's.
enum Item<'a> {
    User(UserView<'a>),
    Package(Value),
}

impl serde::Serialize for Item<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Item::User(u) => u.serialize(s),
            Item::Package(p) => p.serialize(s),
        }
    }
}

impl Section {
    /// The key in JSON (`never_logged_in`) and the name on the command line
    /// (`never-logged-in`).
    fn key(&self) -> String {
        self.name().replace('-', "_")
    }

    fn name(&self) -> String {
        self.which
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }

    fn headers(&self) -> Vec<&'static str> {
        match &self.query {
            Query::Users { extra, .. } => vec!["Name", "Email", "Role", "Status", extra.0],
            Query::AdminOnlyPackages => vec!["Name", "Status", "Created by", "Assigned"],
        }
    }

    fn filter(condition: &UserCondition, limit: Option<u64>) -> UserFilter {
        UserFilter {
            condition: Some(condition.clone()),
            limit,
            ..Default::default()
        }
    }

    /// Streams the section's rows (the first `limit`) to `each`.
    fn rows(
        &self,
        s: &Store,
        now: &str,
        limit: Option<u64>,
        mut each: impl FnMut(Vec<String>, Item<'_>) -> Result<()>,
    ) -> Result<()> {
        match &self.query {
            // `each` only writes output: the rows may stream as the server sends them,
            // its work and ours overlapping.
            Query::Users { condition, extra } => {
                s.users()
                    .stream_users(&Self::filter(condition, limit), &mut |u| {
                        let status = match u.status {
                            Status::Active => "active",
                            Status::Inactive => "inactive",
                        };
                        let cells = vec![
                            u.name.clone(),
                            u.email.clone(),
                            u.role.label().into(),
                            status.into(),
                            (extra.1)(u),
                        ];
                        each(cells, Item::User(UserView::from(u)))
                    })
            }
            Query::AdminOnlyPackages => {
                s.packages()
                    .for_each_admin_only_package(now, limit, &mut |p| {
                        let cells = vec![
                            p.name.clone(),
                            p.status.as_str().into(),
                            p.created_by_email.clone().unwrap_or_else(|| "-".into()),
                            p.assigned_count.to_string(),
                        ];
                        each(cells, Item::Package(super::package::package_json(p)))
                    })
            }
        }
    }
}

fn last_login(u: &User) -> String {
    u.last_login_at.clone().unwrap_or_else(|| "never".into())
}

fn expires(u: &User) -> String {
    u.expires_at.clone().unwrap_or_default()
}

/// The report's sections, in order, for a review made at `now`.
fn sections(stale_days: u32, now: jiff::Timestamp) -> Vec<Section> {
    let stale_before = fmt_ts(now - jiff::SignedDuration::from_hours(24 * i64::from(stale_days)));
    let soon = fmt_ts(now + jiff::SignedDuration::from_hours(24 * NEAR_EXPIRY_DAYS));
    let now = fmt_ts(now);
    let users = |which, title, about: String, condition, extra| Section {
        which,
        title,
        about,
        query: Query::Users { condition, extra },
    };
    vec![
        users(
            ReviewSection::Admins,
            "Admins",
            "everyone with the admin role".into(),
            UserCondition::Admins,
            ("Last login", last_login),
        ),
        users(
            ReviewSection::InactiveWithPackages,
            "Inactive users still holding packages",
            "assignments that outlived the account; `gatehouse user offboard` removes them".into(),
            UserCondition::InactiveHoldingPackages,
            ("Packages", |u| u.packages.join(", ")),
        ),
        users(
            ReviewSection::NotSeen,
            "Users not seen recently",
            format!("active users whose last login is more than {stale_days} days ago"),
            UserCondition::LastLoginBefore(stale_before),
            ("Last login", last_login),
        ),
        users(
            ReviewSection::NeverLoggedIn,
            "Users who never logged in",
            "active users with no login at all".into(),
            UserCondition::NeverLoggedIn,
            ("Last login", last_login),
        ),
        users(
            ReviewSection::Expired,
            "Expired accounts",
            "accounts past their expiry date".into(),
            UserCondition::ExpiredBy(now.clone()),
            ("Expires", expires),
        ),
        users(
            ReviewSection::ExpiringSoon,
            "Accounts expiring soon",
            format!("accounts that expire within {NEAR_EXPIRY_DAYS} days"),
            UserCondition::ExpiringBetween(now, soon),
            ("Expires", expires),
        ),
        users(
            ReviewSection::PendingPasswordChange,
            "Pending password changes",
            "users who must change their password before doing anything".into(),
            UserCondition::MustChangePassword,
            ("Since", |u| {
                u.password_changed_at
                    .clone()
                    .unwrap_or_else(|| "never".into())
            }),
        ),
        Section {
            which: ReviewSection::AdminOnlyPackages,
            title: "Packages only admins can reach",
            about: "no active regular user created or is assigned them".into(),
            query: Query::AdminOnlyPackages,
        },
    ]
}

/// The review as it is being written: the store, when, and the sections with their
/// counts (counted by the store, before anything is streamed).
struct Report<'a> {
    store: &'a Store,
    now: String,
    stale_days: u32,
    summary: Vec<(String, u64)>,
    sections: Vec<(Section, u64)>,
}

impl<'a> Report<'a> {
    fn new(store: &'a Store, args: &ReviewArgs) -> Result<Report<'a>> {
        let now = fmt_ts(store.now());
        let sections = sections(args.stale_days, store.now());
        // Every user count in one pass over the users.
        let mut conditions = vec![UserCondition::Active];
        conditions.extend(sections.iter().filter_map(|s| match &s.query {
            Query::Users { condition, .. } => Some(condition.clone()),
            Query::AdminOnlyPackages => None,
        }));
        let mut counts = store.users().count_users_each(&conditions)?.into_iter();
        let active = counts.next().unwrap_or(0);
        let mut counted = Vec::new();
        for s in sections {
            let n = match s.query {
                Query::Users { .. } => counts.next().unwrap_or(0),
                Query::AdminOnlyPackages => store.packages().count_admin_only_packages(&now)?,
            };
            counted.push((s, n));
        }
        let mut summary = vec![
            ("users".to_string(), store.users().count_users()? as u64),
            ("active_users".to_string(), active),
            ("packages".to_string(), store.packages().count_packages()?),
        ];
        summary.extend(counted.iter().map(|(s, n)| (s.key(), *n)));
        Ok(Report {
            store,
            now,
            stale_days: args.stale_days,
            summary,
            sections: counted,
        })
    }

    /// One section in full, as a list in the chosen format.
    fn one(&self, ctx: &Ctx<'_>, which: ReviewSection) -> Result<()> {
        let (s, _) = self
            .sections
            .iter()
            .find(|(s, _)| s.which == which)
            .expect("every section is in the report");
        let mut list = ctx.out.list(&s.headers());
        s.rows(self.store, &self.now, None, |cells, item| {
            list.push(cells, &item)
        })?;
        list.finish()
    }

    /// One JSON document, the sections' arrays streamed.
    fn json(&self, ctx: &Ctx<'_>) -> Result<()> {
        let summary: serde_json::Map<String, Value> = self
            .summary
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let mut doc = ctx.out.json_object();
        doc.field("generated_at", &self.now)?;
        doc.field("stale_days", &self.stale_days)?;
        doc.field("summary", &summary)?;
        for (s, _) in &self.sections {
            let mut array = doc.array(&s.key())?;
            s.rows(self.store, &self.now, None, |_, item| array.push(&item))?;
            array.finish()?;
        }
        doc.finish()
    }

    /// Titles and tables for people.
    fn text(&self, ctx: &Ctx<'_>) -> Result<()> {
        let out = ctx.out;
        out.print_line(&format!(
            "Access review, {} (stale after {} days)",
            self.now, self.stale_days
        ))?;
        let summary: Vec<String> = self
            .summary
            .iter()
            .map(|(k, v)| format!("{}: {v}", k.replace('_', " ")))
            .collect();
        out.print_line(&summary.join(" · "))?;
        for (s, n) in &self.sections {
            out.print_line("")?;
            out.print_line(&format!("{} ({n}) — {}", s.title, s.about))?;
            if *n == 0 {
                out.print_line("  none")?;
                continue;
            }
            let mut list = out.list(&s.headers());
            s.rows(self.store, &self.now, None, |cells, item| {
                list.push(cells, &item)
            })?;
            list.finish()?;
        }
        Ok(())
    }

    /// CSV is one table: without `--section`, the sections and their counts (what to
    /// export one by one with `--section NAME`).
    fn csv_counts(&self, ctx: &Ctx<'_>) -> Result<()> {
        let mut list = ctx.out.list(&["section", "count", "title", "about"]);
        for (s, n) in &self.sections {
            list.push(
                vec![
                    s.name(),
                    n.to_string(),
                    s.title.to_string(),
                    s.about.to_string(),
                ],
                &Value::Null,
            )?;
        }
        list.finish()?;
        ctx.out
            .note("one section's rows as CSV: gatehouse review --section NAME --format csv");
        Ok(())
    }

    /// The page: every section's count and first `shown` rows.
    fn html(&self, ctx: &Ctx<'_>, shown: u64) -> Result<()> {
        let mut bodies = Vec::new();
        for (s, n) in &self.sections {
            let mut rows = Vec::new();
            s.rows(self.store, &self.now, Some(shown), |cells, _| {
                rows.push(cells);
                Ok(())
            })?;
            bodies.push(section_html(s, *n, &rows));
        }
        let matrix = self.matrix_html(shown)?;
        let page = page_html(&self.now, self.stale_days, &self.summary, &bodies, matrix);
        ctx.out.raw(&page.into_string())
    }

    /// The first `shown` users (by name) against the first packages.
    fn matrix_html(&self, shown: u64) -> Result<Markup> {
        let total_packages = self.store.packages().count_packages()?;
        let first = UserFilter {
            limit: Some(shown),
            ..Default::default()
        };
        let grid = super::access::grid(self.store, &first, HTML_MATRIX_PACKAGES)?;
        let (pkgs, rows) = (grid.packages, grid.rows);
        let users = self.summary[0].1;
        Ok(matrix_html(&pkgs, &rows, users, total_packages))
    }
}

pub fn run(ctx: &Ctx<'_>, args: &ReviewArgs) -> Result<()> {
    let r = ctx.read_as(Command::Review, None)?;
    // One view of the store, so the counts agree with the rows while others write.
    r.store().read(|store| {
        let report = Report::new(store, args)?;
        if let Some(which) = args.section {
            return report.one(ctx, which);
        }
        if ctx.out.is_html() {
            return report.html(ctx, args.html_rows);
        }
        match ctx.out.format() {
            Format::Json | Format::Jsonl => report.json(ctx),
            Format::Csv => report.csv_counts(ctx),
            Format::Table | Format::Html => report.text(ctx),
        }
    })
}

const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;margin:2rem auto;max-width:70rem;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:2px solid #d7dce5;padding-bottom:.2rem}\
p.about{color:#5a6272;margin:.2rem 0 .6rem}table{border-collapse:collapse;width:100%;margin:.4rem 0}\
th,td{border:1px solid #d7dce5;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f2f4f8}\
.summary td:first-child{width:18rem}.none{color:#5a6272;font-style:italic}.count{color:#5a6272;font-weight:normal}\
p.more{background:#fff7e0;border:1px solid #f0d890;padding:.4rem .6rem}\
td.mark{text-align:center}.matrix th.pkg{writing-mode:vertical-rl;white-space:nowrap}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

fn section_html(s: &Section, count: u64, rows: &[Vec<String>]) -> Markup {
    html! {
        h2 { (s.title) " " span.count { "(" (count) ")" } }
        p.about { (s.about) }
        @if rows.is_empty() {
            p.none { "None." }
        } @else {
            table {
                tr { @for h in s.headers() { th { (h) } } }
                @for r in rows { tr { @for c in r { td { (c) } } } }
            }
        }
        @if count > rows.len() as u64 {
            p.more {
                "Showing the first " (rows.len()) " of " (count) ". The whole section: "
                code { "gatehouse review --section " (s.name()) " --format csv" }
            }
        }
    }
}

fn matrix_html(
    pkgs: &[Package],
    rows: &[(User, Vec<Option<Arm>>)],
    users: u64,
    packages: u64,
) -> Markup {
    html! {
        h2 { "Access matrix" }
        p.about { "A admin · C creator · ✓ assigned" }
        @if pkgs.is_empty() {
            p.none { "No packages." }
        } @else {
            table.matrix {
                tr { th { "User" } @for p in pkgs { th.pkg { (p.name) } } }
                @for (u, arms) in rows {
                    tr {
                        td { (u.name) " <" (u.email) ">" }
                        @for a in arms {
                            td.mark { (match a {
                                Some(Arm::Admin) => "A",
                                Some(Arm::Creator) => "C",
                                Some(Arm::Assigned) => "✓",
                                None => "",
                            }) }
                        }
                    }
                }
            }
        }
        @if users > rows.len() as u64 || packages > pkgs.len() as u64 {
            p.more {
                "Showing " (rows.len()) " of " (users) " users and " (pkgs.len()) " of "
                (packages) " packages. Every pair: "
                code { "gatehouse access matrix --format csv" }
            }
        }
    }
}

fn page_html(
    now: &str,
    stale_days: u32,
    summary: &[(String, u64)],
    sections: &[Markup],
    matrix: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "gatehouse access review " (now) }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { "Access review" }
                p.about {
                    "Generated " (now) " by gatehouse " (env!("CARGO_PKG_VERSION"))
                    "; users count as stale after " (stale_days) " days."
                }
                h2 { "Summary" }
                table.summary {
                    @for (k, v) in summary { tr { td { (k.replace('_', " ")) } td { (v) } } }
                }
                @for s in sections { (s) }
                (matrix)
            }
        }
    }
}
