//! How a user is shown: the one view of a user record (its columns, JSON and CSV),
//! the columns `user list` can pick, and the streaming user list.

use super::*;

/// The stable JSON/CSV shape of a user — the one every user record comes from. Secrets
/// are not part of it.
#[derive(Serialize)]
pub struct UserView<'a> {
    pub id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub full_name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub role: Role,
    pub status: Status,
    pub packages: &'a [String],
    pub package_count: usize,
    pub must_change_password: bool,
    pub created_at: &'a str,
    pub updated_at: &'a str,
    pub last_login_at: Option<&'a str>,
    pub password_changed_at: Option<&'a str>,
    pub expires_at: Option<&'a str>,
    pub expired: bool,
    pub locked_until: Option<&'a str>,
}

/// The fields of a user that `user import` reads and `user export` writes, in order; an
/// audit entry's before/after compares the same fields.
pub const USER_IMPORT_FIELDS: &[&str] = &[
    "email",
    "name",
    "full_name",
    "phone",
    "role",
    "status",
    "packages",
    "must_change_password",
    "expires_at",
];

impl<'a> From<&'a User> for UserView<'a> {
    fn from(u: &'a User) -> Self {
        UserView {
            id: u.id,
            email: &u.email,
            name: &u.name,
            full_name: u.full_name.as_deref(),
            phone: u.phone.as_deref(),
            role: u.role,
            status: u.status,
            packages: &u.packages,
            package_count: u.packages.len(),
            must_change_password: u.must_change_password,
            created_at: &u.created_at,
            updated_at: &u.updated_at,
            last_login_at: u.last_login_at.as_deref(),
            password_changed_at: u.password_changed_at.as_deref(),
            expires_at: u.expires_at.as_deref(),
            expired: u.expired,
            locked_until: u.locked_until.as_deref(),
        }
    }
}

impl UserView<'_> {
    /// The whole record as a JSON object.
    pub fn json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Only `fields` of the record, in that order.
    pub fn only(&self, fields: &[&str]) -> Value {
        let all = self.json();
        Value::Object(
            fields
                .iter()
                .map(|f| (f.to_string(), all[*f].clone()))
                .collect(),
        )
    }
}

/// The columns of a user in CSV: every field of [`UserView`], in order.
pub(super) const USER_CSV_FIELDS: [&str; 17] = [
    "id",
    "email",
    "name",
    "full_name",
    "phone",
    "role",
    "status",
    "packages",
    "package_count",
    "must_change_password",
    "created_at",
    "updated_at",
    "last_login_at",
    "password_changed_at",
    "expires_at",
    "expired",
    "locked_until",
];

/// A column of `user list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UserColumn {
    Id,
    Name,
    Email,
    FullName,
    Phone,
    Role,
    Status,
    /// How many packages in a table; their names in CSV and JSON
    Packages,
    LastLogin,
    Created,
    Expires,
}

impl UserColumn {
    /// What a table of users shows unless `--columns` says otherwise.
    pub const DEFAULT: [UserColumn; 7] = [
        UserColumn::Id,
        UserColumn::Name,
        UserColumn::Email,
        UserColumn::Role,
        UserColumn::Status,
        UserColumn::Packages,
        UserColumn::LastLogin,
    ];

    fn header(self) -> &'static str {
        match self {
            UserColumn::Id => "ID",
            UserColumn::Name => "Name",
            UserColumn::Email => "Email",
            UserColumn::FullName => "Full name",
            UserColumn::Phone => "Phone",
            UserColumn::Role => "Role",
            UserColumn::Status => "Status",
            UserColumn::Packages => "Packages",
            UserColumn::LastLogin => "Last login",
            UserColumn::Created => "Created",
            UserColumn::Expires => "Expires",
        }
    }

    /// The [`UserView`] field it shows, for CSV and JSON.
    fn field(self) -> &'static str {
        match self {
            UserColumn::Id => "id",
            UserColumn::Name => "name",
            UserColumn::Email => "email",
            UserColumn::FullName => "full_name",
            UserColumn::Phone => "phone",
            UserColumn::Role => "role",
            UserColumn::Status => "status",
            UserColumn::Packages => "packages",
            UserColumn::LastLogin => "last_login_at",
            UserColumn::Created => "created_at",
            UserColumn::Expires => "expires_at",
        }
    }

    /// Whether a [`UserBrief`] holds it.
    fn in_brief(self) -> bool {
        !matches!(
            self,
            UserColumn::FullName | UserColumn::Phone | UserColumn::Created | UserColumn::Expires
        )
    }
}

/// What keeps a user out, in a table: an inactive account first (an admin's choice),
/// then an expired one, then a lockout by failed logins.
pub(super) fn user_status_label(status: Status, expired: bool, locked: bool) -> &'static str {
    match (status, expired, locked) {
        (Status::Inactive, _, _) => "✗ Inactive",
        (_, true, _) => "✗ Expired",
        (_, _, true) => "✗ Locked",
        (Status::Active, _, _) => "✓ Active",
    }
}

/// How `user list` shows its users; see [`Output::user_list_as`].
pub struct UserListShape<'a> {
    /// `--columns`; `None` is the default (every field in CSV and JSON).
    pub columns: Option<&'a [UserColumn]>,
    pub headers: bool,
    /// Now, to tell a lockout that is still on (none: no lockout is shown).
    pub now: Option<jiff::Timestamp>,
}

impl Output {
    /// A list of users shaped by `user list`'s flags.
    pub fn user_list_as(&self, shape: &UserListShape<'_>) -> UserList<'_> {
        let columns: Vec<UserColumn> = shape
            .columns
            .map(<[UserColumn]>::to_vec)
            .unwrap_or_else(|| UserColumn::DEFAULT.to_vec());
        let headers: Vec<&str> = columns.iter().map(|c| c.header()).collect();
        let fields: Vec<&str> = match shape.columns {
            Some(c) => c.iter().map(|c| c.field()).collect(),
            None => USER_CSV_FIELDS.to_vec(),
        };
        let mut list = self
            .list(&headers)
            .csv_from_items(&fields)
            .when_empty("no users match");
        if !shape.headers {
            list = list.without_headers();
        }
        UserList {
            list,
            columns,
            only: shape.columns.map(|_| fields),
            now: shape.now,
        }
    }
}

/// A list of users; see [`Output::user_list`].
pub struct UserList<'a> {
    list: List<'a>,
    columns: Vec<UserColumn>,
    /// With `--columns`, the JSON objects hold only these fields.
    only: Option<Vec<&'static str>>,
    now: Option<jiff::Timestamp>,
}

impl UserList<'_> {
    /// Whether the list is a table, which needs only [`UserBrief`]s (when its columns
    /// are in one).
    pub fn is_table(&self) -> bool {
        matches!(self.list.sink, Sink::Table(_) | Sink::Plain { .. })
    }

    /// Whether the rows can be [`UserBrief`]s rather than whole users.
    pub fn takes_briefs(&self) -> bool {
        self.is_table() && self.columns.iter().all(|c| c.in_brief())
    }

    pub fn push(&mut self, u: &User) -> Result<()> {
        if self.is_table() {
            let brief = UserBrief {
                id: u.id,
                name: u.name.clone(),
                email: u.email.clone(),
                role: u.role,
                status: u.status,
                expired: u.expired,
                locked: self.now.is_some_and(|now| u.locked_until(now).is_some()),
                package_count: u.packages.len() as i64,
                last_login_at: u.last_login_at.clone(),
            };
            return self.push_row(&brief, Some(u));
        }
        let view = UserView::from(u);
        match &self.only {
            Some(fields) => self
                .list
                .push_cells(Vec::new(), Vec::new(), &view.only(fields)),
            None => self.list.push_cells(Vec::new(), Vec::new(), &view),
        }
    }

    /// A row of a table from a brief.
    pub fn push_brief(&mut self, b: &UserBrief) -> Result<()> {
        self.push_row(b, None)
    }

    fn push_row(&mut self, b: &UserBrief, full: Option<&User>) -> Result<()> {
        let dash = || "-".to_string();
        let status = user_status_label(b.status, b.expired, b.locked);
        let text = |c: UserColumn| -> String {
            match c {
                UserColumn::Id => b.id.to_string(),
                UserColumn::Name => b.name.clone(),
                UserColumn::Email => b.email.clone(),
                UserColumn::Role => b.role.label().to_string(),
                UserColumn::Status => status.to_string(),
                UserColumn::Packages => b.package_count.to_string(),
                UserColumn::LastLogin => b.last_login_at.clone().unwrap_or_else(|| "never".into()),
                UserColumn::FullName => full.and_then(|u| u.full_name.clone()).unwrap_or_else(dash),
                UserColumn::Phone => full.and_then(|u| u.phone.clone()).unwrap_or_else(dash),
                UserColumn::Created => full.map(|u| u.created_at.clone()).unwrap_or_else(dash),
                UserColumn::Expires => full
                    .and_then(|u| u.expires_at.clone())
                    .unwrap_or_else(|| "never".into()),
            }
        };
        let cells: Vec<String> = self.columns.iter().map(|c| text(*c)).collect();
        match &self.list.sink {
            Sink::Table(_) => {
                let styled = self
                    .columns
                    .iter()
                    .zip(&cells)
                    .map(|(c, t)| match c {
                        UserColumn::Role => self.list.out.role_cell(b.role),
                        UserColumn::Status if status == "✓ Active" => cell(t).fg(Color::Green),
                        UserColumn::Status => cell(t).fg(Color::Red),
                        _ => cell(t),
                    })
                    .collect();
                self.list.push_cells(styled, Vec::new(), &Value::Null)
            }
            _ => self.list.push_cells(Vec::new(), cells, &Value::Null),
        }
    }

    pub fn finish(self) -> Result<()> {
        self.list.finish()
    }
}
