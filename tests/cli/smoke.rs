use crate::support::*;

#[test]
fn init_then_list_as_admin() {
    let env = TestEnv::new();
    let users = env.users_json();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["email"], ADMIN_EMAIL);
    assert_eq!(users[0]["role"], "admin");
}
