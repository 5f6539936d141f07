//! The rules a deployment runs on, loaded together: the award catalogue, the
//! rule packs, the working-day calendar, the base salaries and the council's
//! quorum and vote shares. They ship
//! compiled in ([`embedded_files`]) and can be replaced at run time by a
//! directory of the same layout (`tdkt --rules-dir DIR`), so that a new
//! decree, a province's own rules, a year's holidays or a new base salary
//! change files, not a release.
//!
//! Layout (paths relative to the directory, `/`-separated, `*.toml`):
//!
//! | folder | what | loaded by |
//! |---|---|---|
//! | `catalogue/` | titles and forms, reward multiples | [`Catalogue::load`] |
//! | `rules/` (and subfolders, e.g. `rules/tinh/`) | rule packs, national and scoped to an org unit | [`check_packs`] |
//! | `calendar/` | weekly rest days, holidays, announced days off | [`Calendar::load`] |
//! | `salary/` | base salaries (*mức lương cơ sở*) by date | [`BaseSalaries::load`] |
//! | `council/` | one file: the councils' quorum and vote shares, with a province's overlays | [`CouncilRules::load`] |
//!
//! Everything here is pure: the caller reads the files and hands over
//! `(path, text)` pairs; [`Rules::load`] returns the bundle or every problem
//! with file and line.

use crate::catalogue::{self, Catalogue, SourceError};
use crate::council::{self, CouncilRules};
use crate::eligibility::pack::{self, check_packs, RuleSet};
use crate::reward::{self, BaseSalaries};
use crate::workdays::{self, Calendar};

/// The folders of a rules directory, in load order.
pub const FOLDERS: [&str; 5] = ["catalogue", "rules", "calendar", "salary", "council"];

/// Everything the running system judges with.
#[derive(Debug, Clone)]
pub struct Rules {
    eligibility: RuleSet,
    calendar: Calendar,
    salaries: BaseSalaries,
    council: CouncilRules,
    /// Where the bundle came from (`tích hợp sẵn` or the directory), for messages.
    pub origin: String,
    /// The files loaded, in order.
    pub files: Vec<String>,
}

/// Every shipped file, as `(path, text)` in the directory layout.
#[must_use]
pub fn embedded_files() -> Vec<(&'static str, &'static str)> {
    catalogue::EMBEDDED
        .iter()
        .chain(pack::EMBEDDED)
        .chain(workdays::EMBEDDED)
        .chain(reward::EMBEDDED)
        .chain(council::EMBEDDED)
        .copied()
        .collect()
}

/// The folder a path belongs to (its first component), if it is one of [`FOLDERS`].
#[must_use]
pub fn folder_of(path: &str) -> Option<&'static str> {
    let first = path.trim_start_matches("./").split('/').next()?;
    FOLDERS.into_iter().find(|f| *f == first)
}

impl Rules {
    /// The bundle shipped with tdkt.
    ///
    /// # Panics
    /// Never in a released build: a test loads the same files.
    #[must_use]
    pub fn embedded() -> Self {
        match Self::load(&embedded_files()) {
            Ok(mut r) => {
                "tích hợp sẵn".clone_into(&mut r.origin);
                r
            }
            Err(e) => panic!("embedded rules are invalid: {}", e[0]),
        }
    }

    /// Loads a whole directory's files (`path` relative to the directory).
    /// Each folder must hold at least one file; a file outside the four
    /// folders is refused rather than ignored, so a misplaced pack is seen.
    ///
    /// # Errors
    /// Every problem found, each with file, line and reason; the rule packs
    /// are checked only once the catalogue they refer to loads.
    pub fn load(files: &[(&str, &str)]) -> Result<Self, Vec<SourceError>> {
        let mut errors = Vec::new();
        let mut by_folder: [Vec<(&str, &str)>; 5] = Default::default();
        for (path, text) in files {
            match folder_of(path) {
                Some(f) => {
                    let i = FOLDERS.iter().position(|x| *x == f).unwrap_or(0);
                    by_folder[i].push((path, text));
                }
                None => errors.push(SourceError {
                    file: (*path).to_owned(),
                    line: 1,
                    column: 1,
                    entry: None,
                    message: format!(
                        "tệp không thuộc thư mục nào đã biết ({}).",
                        FOLDERS.map(|f| format!("{f}/")).join(", ")
                    ),
                }),
            }
        }
        for (i, f) in FOLDERS.iter().enumerate() {
            if by_folder[i].is_empty() {
                errors.push(SourceError {
                    file: format!("{f}/"),
                    line: 1,
                    column: 1,
                    entry: None,
                    message: "thư mục trống hoặc không có: cần ít nhất một tệp .toml.".to_owned(),
                });
            }
        }
        let [cat_files, pack_files, cal_files, salary_files, council_files] = by_folder;
        let catalogue = if cat_files.is_empty() {
            None
        } else {
            Catalogue::load(&cat_files)
                .map_err(|e| errors.extend(e))
                .ok()
        };
        let eligibility = match catalogue {
            Some(c) if !pack_files.is_empty() => check_packs(c, &pack_files)
                .map_err(|e| errors.extend(e))
                .ok(),
            _ => None,
        };
        let calendar = if cal_files.is_empty() {
            None
        } else {
            Calendar::load(&cal_files)
                .map_err(|e| errors.extend(e))
                .ok()
        };
        let salaries = if salary_files.is_empty() {
            None
        } else {
            BaseSalaries::load(&salary_files)
                .map_err(|e| errors.extend(e))
                .ok()
        };
        let council = if council_files.is_empty() {
            None
        } else {
            CouncilRules::load(&council_files)
                .map_err(|e| errors.extend(e))
                .ok()
        };
        match (eligibility, calendar, salaries, council) {
            (Some(eligibility), Some(calendar), Some(salaries), Some(council))
                if errors.is_empty() =>
            {
                Ok(Self {
                    eligibility,
                    calendar,
                    salaries,
                    council,
                    origin: String::new(),
                    files: files.iter().map(|(p, _)| (*p).to_owned()).collect(),
                })
            }
            _ => Err(errors),
        }
    }

    /// The award catalogue.
    #[must_use]
    pub fn catalogue(&self) -> &Catalogue {
        self.eligibility.catalogue()
    }

    /// The compiled rule packs (and the catalogue they were checked against).
    #[must_use]
    pub fn eligibility(&self) -> &RuleSet {
        &self.eligibility
    }

    #[must_use]
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    #[must_use]
    pub fn salaries(&self) -> &BaseSalaries {
        &self.salaries
    }

    /// The councils' quorum and vote shares.
    #[must_use]
    pub fn council(&self) -> &CouncilRules {
        &self.council
    }

    /// One line: what was loaded.
    #[must_use]
    pub fn summary(&self) -> String {
        format!(
            "{} gói quy tắc ({} quy tắc), danh mục {} danh hiệu và hình thức khen thưởng, lịch ngày nghỉ các năm {}, {} mức lương cơ sở",
            self.eligibility.packs.len(),
            self.eligibility.rules.len(),
            self.catalogue().len(),
            self.calendar
                .covered_years()
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            self.salaries.entries().len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_bundle_loads() {
        let r = Rules::embedded();
        assert!(r.catalogue().get("lao-dong-tien-tien").is_some());
        assert_eq!(r.calendar().covered_years(), vec![2024, 2025, 2026, 2027]);
        assert_eq!(r.salaries().entries().len(), 4);
        assert_eq!(r.origin, "tích hợp sẵn");
    }

    #[test]
    fn a_file_outside_the_known_folders_is_refused() {
        let mut files = embedded_files();
        files.push(("goi-moi.toml", "[pack]\n"));
        let e = Rules::load(&files).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].file, "goi-moi.toml");
    }

    #[test]
    fn a_missing_folder_is_named() {
        let files: Vec<_> = embedded_files()
            .into_iter()
            .filter(|(p, _)| !p.starts_with("salary/"))
            .collect();
        let e = Rules::load(&files).unwrap_err();
        assert_eq!(e[0].file, "salary/");
    }

    #[test]
    fn errors_of_every_part_are_reported_together() {
        let mut files: Vec<(&str, &str)> = embedded_files()
            .into_iter()
            .filter(|(p, _)| !p.starts_with("calendar/") && !p.starts_with("salary/"))
            .collect();
        files.push(("calendar/x.toml", "[calendar]\nid = 1\n"));
        files.push(("salary/x.toml", "[[base_salary]]\nfrom = \"x\"\n"));
        let e = Rules::load(&files).unwrap_err();
        assert!(e.iter().any(|e| e.file == "calendar/x.toml"), "{e:?}");
        assert!(e.iter().any(|e| e.file == "salary/x.toml"), "{e:?}");
    }
}
