//! The report of achievements of a dossier's recipient (*báo cáo thành
//! tích*, issue 14): the facts gathered from tdkt's records, drafted by
//! [`tdkt_core::review::achievement`], and the age check of the reports a
//! dossier carries before it goes up a level.
//!
//! The facts are those the eligibility engine reads ([`Store::person_inputs`],
//! [`Store::unit_inputs`], the latter across the unit's lineage), for the
//! years the rule in force examines ([`tdkt_core::eligibility::Rule::years_examined`]):
//! one gathering, one window, shared with the verdict.

use tdkt_core::catalogue::Recipient;
use tdkt_core::dossier::report_age;
use tdkt_core::eligibility::EvalContext;
use tdkt_core::review::achievement::{AwardLine, Draft, Facts};
use tdkt_core::DomainError;
use time::Date;

use crate::dossiers::{DossierRecipient, DossierView};
use crate::ratings::history::Inputs;
use crate::{Result, Store, StoreError};

/// A drafted report and what its header needs.
#[derive(Debug, Clone)]
pub struct AchievementDraft {
    pub dossier_id: i64,
    pub recipient: DossierRecipient,
    /// The body above the reporting unit (header, first line), capitals.
    pub parent_body: String,
    /// The reporting unit (header, second line), capitals.
    pub body: String,
    /// The place of the date line (`Cần Thơ`), empty when unknown.
    pub place: String,
    pub facts: Facts,
    pub draft: Draft,
}

fn upper(s: &str) -> String {
    s.to_uppercase()
}

impl Store {
    /// Drafts the report of achievements of recipient `recipient_id` of
    /// dossier `dossier_id`, for the years the award's rule examines.
    ///
    /// # Errors
    /// `NotFound` (dossier or recipient); the award no longer in the
    /// catalogue; database failure.
    pub async fn achievement_draft(
        &self,
        dossier_id: i64,
        recipient_id: i64,
        today: Date,
    ) -> Result<AchievementDraft> {
        let view = self.dossier_view(dossier_id).await?;
        let recipient = view
            .recipients
            .iter()
            .find(|r| r.id == recipient_id)
            .cloned()
            .ok_or_else(|| {
                StoreError::NotFound(format!("người, tập thể được đề nghị #{recipient_id}"))
            })?;
        let rules = crate::rules::current();
        let cat = rules.catalogue();
        let award = cat.id(&view.dossier.award_code).ok_or_else(|| {
            StoreError::Invalid(DomainError::invalid(
                "award",
                format!("Mã «{}» không còn trong danh mục.", view.dossier.award_code),
            ))
        })?;
        let lineage = self.lineage().await?;
        let (inputs, kind, unit) = match (recipient.person_id, recipient.recipient_unit_id) {
            (Some(p), _) => {
                let person = self.person(p).await?;
                (
                    self.person_inputs(cat, p).await?,
                    Recipient::Individual,
                    person.unit_name,
                )
            }
            (_, Some(u)) => {
                let parent = lineage
                    .unit(u)
                    .and_then(|x| x.parent_id)
                    .and_then(|p| lineage.unit(p))
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                (
                    self.unit_inputs(cat, &lineage, u).await?,
                    Recipient::Collective,
                    parent,
                )
            }
            _ => (
                Inputs::default(),
                Recipient::Household,
                view.dossier_unit_name(&lineage),
            ),
        };
        let year = view.dossier.year;
        let at = EvalContext::year_end(year).at;
        let scope: Vec<&str> = inputs.scope.iter().map(String::as_str).collect();
        let (from, to) = rules
            .eligibility()
            .rule_in(award, at, &scope)
            .map_or((year, year), |r| r.years_examined(year));
        let facts = Facts {
            recipient: kind,
            name: recipient.name.clone(),
            unit,
            award_name: view.award.name.clone(),
            from,
            to,
            ratings: inputs.ratings.clone(),
            awards: inputs
                .awards
                .iter()
                .map(|(id, year, decision, via)| AwardLine {
                    year: *year,
                    award_name: cat.award(*id).name.clone(),
                    decision: decision.clone(),
                    via: via.clone(),
                })
                .collect(),
            initiatives: inputs.initiatives.clone(),
            disciplines: inputs
                .disciplines
                .iter()
                .map(|(level, date, _, decision)| (*level, *date, decision.clone()))
                .collect(),
            predecessors: inputs
                .predecessors
                .iter()
                .map(|(name, _, _)| name.clone())
                .collect(),
        };
        let draft = facts.vietnamese();
        let opener = lineage.unit(view.dossier.unit_id);
        let body = opener.map(|u| upper(&u.name)).unwrap_or_default();
        let parent_body = opener
            .and_then(|u| u.parent_id)
            .and_then(|p| lineage.unit(p))
            .map(|p| upper(&p.name))
            .unwrap_or_default();
        let place = crate::certificates::place_of(&lineage, view.dossier.unit_id, today)
            .unwrap_or_default();
        Ok(AchievementDraft {
            dossier_id,
            recipient,
            parent_body,
            body,
            place,
            facts,
            draft,
        })
    }

    /// Refuses a forward while a document whose age is limited (the report
    /// of achievements, `max_age_months` in `catalogue/ho-so.toml`) has no
    /// file young enough on `on`: the newest file of each such item counts.
    ///
    /// # Errors
    /// `Invalid("report_date")` naming the newest file, its date, the limit
    /// and the article (khoản 9 Điều 33 NĐ 152/2025/NĐ-CP); database failure.
    pub async fn check_document_ages(&self, view: &DossierView, on: Date) -> Result<()> {
        let rules = crate::rules::current();
        let procedures = rules.catalogue().procedures();
        let files = self.attachment_rows("dossier", view.dossier.id).await?;
        for item in &view.checklist {
            let Some(kind) = procedures.kind(&item.code) else {
                continue;
            };
            if kind.max_age_months.is_none() {
                continue;
            }
            let newest = files
                .iter()
                .filter(|f| f.document_code == item.code)
                .filter_map(|f| f.dated().map(|d| (d, f)))
                .max_by_key(|(d, f)| (*d, f.id));
            if let Some((dated, f)) = newest {
                report_age::check(kind, &f.file_name, dated, on)?;
            }
        }
        Ok(())
    }
}

impl DossierView {
    /// The opening unit's name (the place a household report names).
    fn dossier_unit_name(&self, lineage: &tdkt_core::lineage::Lineage) -> String {
        lineage
            .unit(self.dossier.unit_id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    }
}

/// The date a file for checklist item `document` must carry: for an item
/// whose age is limited (the report of achievements) a date is required,
/// may not be in the future, and must still be young enough on `today`
/// (khoản 9 Điều 33 NĐ 152/2025/NĐ-CP); other items keep no date.
///
/// # Errors
/// `Invalid("report_date")` saying which of these failed.
pub fn document_date(
    document: &str,
    file_name: &str,
    date: Option<Date>,
    today: Date,
) -> Result<Option<Date>> {
    let rules = crate::rules::current();
    let Some(kind) = rules
        .catalogue()
        .procedures()
        .kind(document)
        .filter(|k| k.max_age_months.is_some())
    else {
        return Ok(None);
    };
    let invalid = |m: String| StoreError::Invalid(DomainError::invalid("report_date", m));
    let Some(date) = date else {
        return Err(invalid(format!(
            "{}: cần ghi ngày lập báo cáo (dd/mm/yyyy) để kiểm tra thời hạn 6 tháng.",
            kind.name
        )));
    };
    if date > today {
        return Err(invalid(format!(
            "Ngày lập báo cáo {} ở sau ngày hôm nay ({}).",
            tdkt_core::date::format_vn(date),
            tdkt_core::date::format_vn(today)
        )));
    }
    report_age::check(kind, file_name, date, today)?;
    Ok(Some(date))
}
