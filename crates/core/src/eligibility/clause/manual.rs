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
