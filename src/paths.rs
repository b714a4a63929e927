//! Every URL of an organization's pages, built in one place (the route table in `routes.rs`
//! declares them; this module writes them), so that renaming a route is one edit here. Used
//! from Rust (`org.paths().program(id)`) and from templates (`ctx.paths().person(p.id)`).

use std::fmt::Display;

/// The URLs under `/o/{slug}`.
#[derive(Clone, Copy, Debug)]
pub struct Paths<'a> {
    slug: &'a str,
}

impl<'a> Paths<'a> {
    pub fn of(slug: &'a str) -> Self {
        Paths { slug }
    }

    /// `/o/{slug}` followed by `rest` (for the few addresses with a query or an anchor).
    pub fn at(&self, rest: &str) -> String {
        format!("/o/{}{rest}", self.slug)
    }

    pub fn home(&self) -> String {
        self.at("")
    }

    pub fn members(&self) -> String {
        self.at("/members")
    }

    pub fn member(&self, user: impl Display) -> String {
        self.at(&format!("/members#m-{user}"))
    }

    pub fn settings(&self) -> String {
        self.at("/settings")
    }

    pub fn people(&self) -> String {
        self.at("/people")
    }

    pub fn person(&self, id: impl Display) -> String {
        self.at(&format!("/people/{id}"))
    }

    pub fn person_edit(&self, id: impl Display) -> String {
        self.at(&format!("/people/{id}/edit"))
    }

    pub fn import(&self) -> String {
        self.at("/people/import")
    }

    pub fn import_preview(&self, upload: impl Display, kind: &str) -> String {
        self.at(&format!("/people/import/{upload}?kind={kind}"))
    }

    pub fn programs(&self) -> String {
        self.at("/programs")
    }

    pub fn program(&self, id: impl Display) -> String {
        self.at(&format!("/programs/{id}"))
    }

    pub fn program_edit(&self, id: impl Display) -> String {
        self.at(&format!("/programs/{id}/edit"))
    }

    pub fn roadmap(&self, program: impl Display) -> String {
        self.at(&format!("/programs/{program}/roadmap"))
    }

    pub fn task(&self, program: impl Display, task: impl Display) -> String {
        self.at(&format!("/programs/{program}/roadmap#task-{task}"))
    }

    pub fn participants(&self, program: impl Display) -> String {
        self.at(&format!("/programs/{program}/participants"))
    }

    pub fn matching(&self, program: impl Display) -> String {
        self.at(&format!("/programs/{program}/matching"))
    }

    pub fn matching_settings(&self, program: impl Display) -> String {
        self.at(&format!("/programs/{program}/matching/settings"))
    }

    pub fn pairs(&self, program: impl Display) -> String {
        self.at(&format!("/programs/{program}/pairs"))
    }

    pub fn my_pair(&self, pair: impl Display) -> String {
        self.at(&format!("/my/pairs/{pair}"))
    }

    pub fn questionnaires(&self) -> String {
        self.at("/questionnaires")
    }

    pub fn questionnaire(&self, id: impl Display) -> String {
        self.at(&format!("/questionnaires/{id}"))
    }

    pub fn assignment(&self, id: impl Display) -> String {
        self.at(&format!("/assignments/{id}"))
    }

    pub fn answers(&self, assignment: impl Display, person: impl Display) -> String {
        self.at(&format!("/assignments/{assignment}/answers/{person}"))
    }

    pub fn fill_for(&self, assignment: impl Display, person: impl Display) -> String {
        self.at(&format!("/assignments/{assignment}/fill/{person}"))
    }

    pub fn my_form(&self, assignment: impl Display) -> String {
        self.at(&format!("/my/forms/{assignment}"))
    }

    pub fn notification(&self, id: impl Display) -> String {
        self.at(&format!("/notifications/{id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_under_the_organization() {
        let p = Paths::of("sosh-1");
        assert_eq!(p.home(), "/o/sosh-1");
        assert_eq!(p.task("P", "T"), "/o/sosh-1/programs/P/roadmap#task-T");
        assert_eq!(p.answers("A", "B"), "/o/sosh-1/assignments/A/answers/B");
        assert_eq!(
            p.import_preview("U", "pupil"),
            "/o/sosh-1/people/import/U?kind=pupil"
        );
    }
}
