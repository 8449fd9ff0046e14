//! `gatehouse review`: the access-review report (SPEC §7) — admins; inactive users who
//! still hold packages; users not seen for N days or never; accounts past or near expiry;
//! pending password changes; packages nobody but admins can reach — as sections of
//! tables, as JSON, or as one self-contained HTML page an auditor can open and print.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use super::Ctx;
use crate::authz::{self, Arm, Command};
use crate::cli::{Format, ReviewArgs};
use crate::error::Result;
use crate::model::{fmt_ts, Role, Status};
use crate::store::{Package, Relation, User, UserFilter};

/// Accounts expiring within this many days count as "near expiry".
const NEAR_EXPIRY_DAYS: i64 = 30;

/// One finding list: a title, what it means, and its rows.
struct Section {
    key: &'static str,
    title: &'static str,
    about: String,
    headers: &'static [&'static str],
    rows: Vec<Vec<String>>,
    items: Vec<Value>,
}

fn user_item(u: &User) -> Value {
    json!({
        "id": u.id, "email": u.email, "name": u.name, "role": u.role, "status": u.status,
        "packages": u.packages, "last_login_at": u.last_login_at, "expires_at": u.expires_at,
        "must_change_password": u.must_change_password,
    })
}

fn status_word(u: &User) -> &'static str {
    match u.status {
        Status::Active => "active",
        Status::Inactive => "inactive",
    }
}

pub fn run(ctx: &Ctx<'_>, args: &ReviewArgs) -> Result<()> {
    let (store, _) = ctx.read_as(Command::Review, None)?;
    let now = store.now();
    let stale_before =
        fmt_ts(now - jiff::SignedDuration::from_hours(24 * i64::from(args.stale_days)));
    let soon = fmt_ts(now + jiff::SignedDuration::from_hours(24 * NEAR_EXPIRY_DAYS));
    let now_s = fmt_ts(now);

    let mut pkgs: Vec<Package> = Vec::new();
    store.each_package(None, true, |p| {
        pkgs.push(p.clone());
        Ok(())
    })?;
    let assigned: HashSet<(i64, i64)> = store.all_assignments()?.into_iter().collect();
    // Packages a non-admin who can log in reaches (as creator or assignee).
    let mut reachable: HashSet<i64> = HashSet::new();
    let creators: HashMap<i64, i64> = pkgs
        .iter()
        .filter_map(|p| p.created_by.map(|c| (p.id, c)))
        .collect();

    let mut admins = Vec::new();
    let mut inactive_with_packages = Vec::new();
    let mut not_seen = Vec::new();
    let mut never = Vec::new();
    let mut expired = Vec::new();
    let mut expiring = Vec::new();
    let mut pending = Vec::new();
    let mut matrix: Vec<(User, Vec<Option<Arm>>)> = Vec::new();
    let (mut total, mut active) = (0u64, 0u64);
    store.each_user(&UserFilter::default(), |u| {
        total += 1;
        let can_log_in = u.status == Status::Active && !u.is_expired(now);
        if u.status == Status::Active {
            active += 1;
        }
        if u.role == Role::Admin {
            admins.push(u.clone());
        }
        if u.status == Status::Inactive && !u.packages.is_empty() {
            inactive_with_packages.push(u.clone());
        }
        if u.status == Status::Active {
            match &u.last_login_at {
                None => never.push(u.clone()),
                Some(t) if *t < stale_before => not_seen.push(u.clone()),
                Some(_) => {}
            }
        }
        match u.expires_at.as_deref() {
            Some(e) if e <= now_s.as_str() => expired.push(u.clone()),
            Some(e) if e <= soon.as_str() => expiring.push(u.clone()),
            _ => {}
        }
        if u.must_change_password {
            pending.push(u.clone());
        }
        let arms: Vec<Option<Arm>> = pkgs
            .iter()
            .map(|p| {
                let rel = Relation {
                    creator: creators.get(&p.id) == Some(&u.id),
                    assigned: assigned.contains(&(u.id, p.id)),
                };
                let arm = authz::can_see(u.role, rel);
                if can_log_in && u.role == Role::User && arm.is_some() {
                    reachable.insert(p.id);
                }
                arm
            })
            .collect();
        matrix.push((u.clone(), arms));
        Ok(())
    })?;
    let orphans: Vec<&Package> = pkgs.iter().filter(|p| !reachable.contains(&p.id)).collect();

    let users_section = |key,
                         title,
                         about: String,
                         list: &[User],
                         extra: fn(&User) -> String,
                         extra_name: &'static str| Section {
        key,
        title,
        about,
        headers: match extra_name {
            "Packages" => &["Name", "Email", "Role", "Status", "Packages"],
            "Last login" => &["Name", "Email", "Role", "Status", "Last login"],
            "Expires" => &["Name", "Email", "Role", "Status", "Expires"],
            _ => &["Name", "Email", "Role", "Status", "Since"],
        },
        rows: list
            .iter()
            .map(|u| {
                vec![
                    u.name.clone(),
                    u.email.clone(),
                    u.role.label().into(),
                    status_word(u).into(),
                    extra(u),
                ]
            })
            .collect(),
        items: list.iter().map(user_item).collect(),
    };
    let last_login = |u: &User| u.last_login_at.clone().unwrap_or_else(|| "never".into());
    let sections = vec![
        users_section(
            "admins",
            "Admins",
            "everyone with the admin role".into(),
            &admins,
            last_login,
            "Last login",
        ),
        users_section(
            "inactive_with_packages",
            "Inactive users still holding packages",
            "assignments that outlived the account; `gatehouse user offboard` removes them".into(),
            &inactive_with_packages,
            |u| u.packages.join(", "),
            "Packages",
        ),
        users_section(
            "not_seen",
            "Users not seen recently",
            format!(
                "active users whose last login is more than {} days ago",
                args.stale_days
            ),
            &not_seen,
            last_login,
            "Last login",
        ),
        users_section(
            "never_logged_in",
            "Users who never logged in",
            "active users with no login at all".into(),
            &never,
            last_login,
            "Last login",
        ),
        users_section(
            "expired",
            "Expired accounts",
            "accounts past their expiry date".into(),
            &expired,
            |u| u.expires_at.clone().unwrap_or_default(),
            "Expires",
        ),
        users_section(
            "expiring_soon",
            "Accounts expiring soon",
            format!("accounts that expire within {NEAR_EXPIRY_DAYS} days"),
            &expiring,
            |u| u.expires_at.clone().unwrap_or_default(),
            "Expires",
        ),
        users_section(
            "pending_password_change",
            "Pending password changes",
            "users who must change their password before doing anything".into(),
            &pending,
            |u| {
                u.password_changed_at
                    .clone()
                    .unwrap_or_else(|| "never".into())
            },
            "Since",
        ),
        Section {
            key: "admin_only_packages",
            title: "Packages only admins can reach",
            about: "no active regular user created or is assigned them".into(),
            headers: &["Name", "Status", "Created by", "Assigned"],
            rows: orphans
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.status.as_str().into(),
                        p.created_by_email.clone().unwrap_or_else(|| "-".into()),
                        p.assigned_count.to_string(),
                    ]
                })
                .collect(),
            items: orphans
                .iter()
                .map(|p| super::package::package_json(p))
                .collect(),
        },
    ];

    let summary: Vec<(&str, String)> = std::iter::once(("users", total.to_string()))
        .chain(std::iter::once(("active_users", active.to_string())))
        .chain(std::iter::once(("packages", pkgs.len().to_string())))
        .chain(sections.iter().map(|s| (s.key, s.rows.len().to_string())))
        .collect();

    if ctx.out.is_html() {
        return ctx.out.raw(&html(
            &now_s,
            args.stale_days,
            &summary,
            &sections,
            &pkgs,
            &matrix,
        ));
    }
    match ctx.out.format() {
        Format::Json | Format::Jsonl => {
            let mut v = json!({
                "generated_at": now_s,
                "stale_days": args.stale_days,
                "summary": summary.iter().map(|(k, v)| (k.to_string(), json!(v.parse::<u64>().unwrap_or(0)))).collect::<serde_json::Map<_, _>>(),
            });
            for s in &sections {
                v[s.key] = Value::Array(s.items.clone());
            }
            ctx.out.record(&v, &[])
        }
        Format::Table | Format::Csv | Format::Html => {
            ctx.out.print_line(&format!(
                "Access review, {now_s} (stale after {} days)",
                args.stale_days
            ))?;
            ctx.out.print_line(
                &summary
                    .iter()
                    .map(|(k, v)| format!("{}: {v}", k.replace('_', " ")))
                    .collect::<Vec<_>>()
                    .join(" · "),
            )?;
            for s in &sections {
                ctx.out.print_line("")?;
                ctx.out
                    .print_line(&format!("{} ({}) — {}", s.title, s.rows.len(), s.about))?;
                if s.rows.is_empty() {
                    ctx.out.print_line("  none")?;
                } else {
                    ctx.out.rows(s.headers, &s.rows, &s.items)?;
                }
            }
            Ok(())
        }
    }
}

/// HTML-escapes text for element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;margin:2rem auto;max-width:70rem;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:2px solid #d7dce5;padding-bottom:.2rem}\
p.about{color:#5a6272;margin:.2rem 0 .6rem}table{border-collapse:collapse;width:100%;margin:.4rem 0}\
th,td{border:1px solid #d7dce5;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f2f4f8}\
.summary td:first-child{width:18rem}.none{color:#5a6272;font-style:italic}.count{color:#5a6272;font-weight:normal}\
td.mark{text-align:center}.matrix th.pkg{writing-mode:vertical-rl;white-space:nowrap}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

fn html(
    now: &str,
    stale_days: u32,
    summary: &[(&str, String)],
    sections: &[Section],
    pkgs: &[Package],
    matrix: &[(User, Vec<Option<Arm>>)],
) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>gatehouse access review {}</title>\n",
        esc(now)
    ));
    h.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));
    h.push_str("<h1>Access review</h1>\n");
    h.push_str(&format!(
        "<p class=\"about\">Generated {} by gatehouse {}; users count as stale after {stale_days} days.</p>\n",
        esc(now),
        env!("CARGO_PKG_VERSION")
    ));
    h.push_str("<h2>Summary</h2>\n<table class=\"summary\">\n");
    for (k, v) in summary {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>\n",
            esc(&k.replace('_', " ")),
            esc(v)
        ));
    }
    h.push_str("</table>\n");
    for s in sections {
        h.push_str(&format!(
            "<h2>{} <span class=\"count\">({})</span></h2>\n<p class=\"about\">{}</p>\n",
            esc(s.title),
            s.rows.len(),
            esc(&s.about)
        ));
        if s.rows.is_empty() {
            h.push_str("<p class=\"none\">None.</p>\n");
            continue;
        }
        h.push_str("<table>\n<tr>");
        for c in s.headers {
            h.push_str(&format!("<th>{}</th>", esc(c)));
        }
        h.push_str("</tr>\n");
        for r in &s.rows {
            h.push_str("<tr>");
            for c in r {
                h.push_str(&format!("<td>{}</td>", esc(c)));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
    }
    h.push_str("<h2>Access matrix</h2>\n<p class=\"about\">A admin · C creator · ✓ assigned</p>\n");
    if pkgs.is_empty() {
        h.push_str("<p class=\"none\">No packages.</p>\n");
    } else {
        h.push_str("<table class=\"matrix\">\n<tr><th>User</th>");
        for p in pkgs {
            h.push_str(&format!("<th class=\"pkg\">{}</th>", esc(&p.name)));
        }
        h.push_str("</tr>\n");
        for (u, arms) in matrix {
            h.push_str(&format!(
                "<tr><td>{} &lt;{}&gt;</td>",
                esc(&u.name),
                esc(&u.email)
            ));
            for a in arms {
                let mark = match a {
                    Some(Arm::Admin) => "A",
                    Some(Arm::Creator) => "C",
                    Some(Arm::Assigned) => "✓",
                    None => "",
                };
                h.push_str(&format!("<td class=\"mark\">{mark}</td>"));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}
