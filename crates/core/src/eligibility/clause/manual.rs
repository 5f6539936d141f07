//! `manual`: a criterion the engine does not encode and an officer judges,
//! always *chưa rõ* (the verdict *cần xem xét thêm*); its `note` says what
//! to check, e.g. the criteria of *Huân chương Sao vàng* (Điều 34 Luật TĐKT
//! 2022). A rule whose open clauses are all manual is told apart from one
//! missing data (`Explanation::undetermined_by_unencoded_criteria`).

use super::{Row, Spec, Test};

/// A manual clause needs its `note`: what the officer must check.
pub(super) fn compile(s: &mut Spec<'_, '_, '_>) -> Option<Test> {
    if s.rc.note.is_none() {
        let id = s.id;
        s.err(format!(
            "điều kiện «{id}» (manual) cần note: cán bộ phải xem xét điều gì."
        ));
        return None;
    }
    Some(Test::Manual)
}

/// The note is the description.
pub(super) fn describe(note: Option<&str>, r: &mut Row<'_, '_>) -> String {
    r.missing = Some("cần cán bộ thẩm định xem xét".to_owned());
    note.unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{refused, row};
    use crate::eligibility::{EvalContext, History, Status};

    #[test]
    fn a_manual_clause_is_unknown_and_says_what_to_check() {
        let r = row(
            "chien-si-thi-dua-cap-tinh",
            "kind = \"manual\"\nnote = \"Thành tích tiêu biểu xuất sắc\"",
            &History::default(),
            &EvalContext::year_end(2025),
        );
        assert_eq!(r.status, Status::Unknown);
        assert_eq!(r.description, "Thành tích tiêu biểu xuất sắc");
        assert_eq!(r.missing.as_deref(), Some("cần cán bộ thẩm định xem xét"));
    }

    #[test]
    fn a_manual_clause_without_a_note_is_refused() {
        let e = refused("chien-si-thi-dua-cap-tinh", "kind = \"manual\"");
        assert!(e.contains("(manual) cần note"), "{e}");
    }
}
