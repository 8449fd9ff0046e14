//! `user export`: exactly the fields `user import` reads, without secrets unless asked —
//! CSV for people (it is for re-import), JSON for scripts. The users come from
//! [`ops::export`](crate::ops::export); this file decides their fields and format.

use serde_json::json;

use super::import::as_actor;
use super::{Ctx, Granted};
use crate::authz::Command;
use crate::cli::{ExportArgs, Format};
use crate::error::Result;
use crate::ops::export::{export as run, ExportOptions};
use crate::output::{UserView, USER_IMPORT_FIELDS};

pub fn export(ctx: &Ctx<'_>, args: &ExportArgs) -> Result<()> {
    let r = ctx.read_as(Command::UserExport, None)?;
    // With the history an access review reads, so a move to a new store keeps it.
    let mut fields = USER_IMPORT_FIELDS.to_vec();
    fields.extend(["created_at", "last_login_at"]);
    if args.with_password_hashes {
        fields.push("password_hash");
    }
    let format = match ctx.out.format() {
        Format::Table | Format::Html => Format::Csv,
        f => f,
    };
    let opts = ExportOptions {
        with_password_hashes: args.with_password_hashes,
    };
    let tx = as_actor(&r, Command::UserExport, None);
    let mut list = ctx.out.list_in(format, &[]).csv_from_items(&fields);
    run(r.store(), &tx, &opts, &mut |u| {
        let mut item = UserView::from(u).only(&fields);
        if args.with_password_hashes {
            item["password_hash"] = json!(u.password_hash);
        }
        list.push(Vec::new(), &item)
    })?;
    list.finish()
}
