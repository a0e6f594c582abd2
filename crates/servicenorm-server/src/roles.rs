//! The role model for staff. API tokens carry a [`Scope`]; people who sign in
//! to the web pages carry a [`Role`]. Each role maps to the scope its API
//! calls need, so a page never does more than the API would allow.

use crate::auth::Scope;

/// A member of staff's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Front office: registers contacts and works the queue of their team.
    Medewerker,
    /// Team lead: also sees what is about to go wrong in the team, and the results.
    Teamleider,
    /// Functional administrator: also maintains the catalog, the calendars and tokens.
    Beheerder,
}

/// Something a role may or may not do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See a case with its clocks and deadlines.
    ViewCase,
    /// Register a contact or an event of a case.
    RegisterEvent,
    /// Work the queue of one's own team, by deadline.
    WorkTeamQueue,
    /// See the queues and warnings of every team.
    ViewAllTeams,
    /// See the share met per norm and period.
    ViewResults,
    /// Upload a catalog version.
    MaintainCatalog,
    /// Change a calendar (closing days).
    MaintainCalendars,
    /// Create API tokens and staff accounts.
    ManageAccess,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Medewerker, Role::Teamleider, Role::Beheerder];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Medewerker => "medewerker",
            Role::Teamleider => "teamleider",
            Role::Beheerder => "beheerder",
        }
    }

    /// The name staff read, in Dutch.
    pub fn label(self) -> &'static str {
        match self {
            Role::Medewerker => "Medewerker",
            Role::Teamleider => "Teamleider",
            Role::Beheerder => "Functioneel beheerder",
        }
    }

    pub fn parse(text: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text.trim())
            .ok_or_else(|| {
                format!("onbekende rol \"{text}\": kies medewerker, teamleider of beheerder")
            })
    }

    /// The API scope a session with this role acts with.
    pub fn scope(self) -> Scope {
        match self {
            Role::Medewerker | Role::Teamleider => Scope::Write,
            Role::Beheerder => Scope::Admin,
        }
    }

    /// Each role may do what the roles before it may, and more.
    pub fn may(self, permission: Permission) -> bool {
        let least = match permission {
            Permission::ViewCase | Permission::RegisterEvent | Permission::WorkTeamQueue => {
                Role::Medewerker
            }
            Permission::ViewAllTeams | Permission::ViewResults => Role::Teamleider,
            Permission::MaintainCatalog
            | Permission::MaintainCalendars
            | Permission::ManageAccess => Role::Beheerder,
        };
        self >= least
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_what_its_work_needs_and_no_more() {
        use Permission::*;
        let medewerker = Role::Medewerker;
        assert!(medewerker.may(RegisterEvent) && medewerker.may(WorkTeamQueue));
        assert!(!medewerker.may(ViewAllTeams) && !medewerker.may(MaintainCatalog));
        let teamleider = Role::Teamleider;
        assert!(teamleider.may(ViewResults) && teamleider.may(ViewAllTeams));
        assert!(!teamleider.may(MaintainCatalog) && !teamleider.may(ManageAccess));
        let beheerder = Role::Beheerder;
        assert!(beheerder.may(MaintainCatalog) && beheerder.may(ManageAccess));
    }

    #[test]
    fn a_roles_scope_allows_the_api_calls_it_may_make() {
        // Uploading a catalog needs the admin scope; registering events, write.
        for role in Role::ALL {
            assert_eq!(
                role.may(Permission::MaintainCatalog),
                role.scope() >= Scope::Admin
            );
            assert_eq!(
                role.may(Permission::RegisterEvent),
                role.scope() >= Scope::Write
            );
        }
    }

    #[test]
    fn roles_are_read_by_their_dutch_name() {
        assert_eq!(Role::parse("teamleider"), Ok(Role::Teamleider));
        let error = Role::parse("manager").unwrap_err();
        assert!(error.contains("\"manager\""), "{error}");
    }
}
