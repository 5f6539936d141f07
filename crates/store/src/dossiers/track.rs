//! The special tracks of a dossier as stored (migration 0044): the checks
//! run before a dossier is written, and the facts the dossier page shows.
//! The rules are in [`tdkt_core::dossier::track`]; the recipient condition
//! of an award (Bà mẹ Việt Nam anh hùng: a woman old enough to be a
//! martyr's mother) is the catalogue's [`Award::check_recipient`], the same
//! call the decision and the import make.

use serde::Serialize;
use tdkt_core::catalogue::Award;
use tdkt_core::dossier::track::{self, Facts, Service, Subject};
use tdkt_core::DomainError;
use time::Date;

use super::{NewDossier, NewRecipient};
use crate::{with_pool, Result, Store};

/// One position of a recipient's service, as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ServiceRow {
    pub recipient_id: i64,
    pub position: String,
    pub start_on: Date,
    pub end_on: Option<Date>,
}

impl Store {
    /// Checks a new dossier's recipients against the award's recipient
    /// condition and its track's facts, on the day it is received. Returns
    /// each recipient's service total (long service).
    ///
    /// # Errors
    /// `recipients` (the award's condition), or the track's field, each
    /// naming the recipient.
    pub(super) async fn check_track(
        &self,
        award: &Award,
        new: &NewDossier,
    ) -> Result<Vec<Option<Service>>> {
        track::check_act(new.track, new.acted_on, new.received_on)?;
        if !new.facts.is_empty() && new.facts.len() != new.recipients.len() {
            return Err(DomainError::invalid(
                "recipients",
                "Số dòng thông tin theo loại khen thưởng khác số người, tập thể được đề nghị.",
            )
            .into());
        }
        let rules = crate::rules::current();
        let empty = Facts::default();
        let mut out = Vec::with_capacity(new.recipients.len());
        for (i, r) in new.recipients.iter().enumerate() {
            let (name, birth_year) = match r {
                NewRecipient::Person(id) => {
                    let p = self.person(*id).await?;
                    // Điều 1, 2 Pháp lệnh «Bà mẹ Việt Nam anh hùng» and any
                    // other condition the catalogue sets on the recipient
                    award
                        .check_recipient(p.gender(), Some(p.birth_date.year()), new.received_on)
                        .map_err(|(_, m)| {
                            DomainError::invalid("recipients", format!("{}: {m}", p.full_name))
                        })?;
                    (p.full_name, Some(p.birth_date.year()))
                }
                NewRecipient::Unit(id) => (self.unit(*id).await?.name, None),
                NewRecipient::Household(h) => (h.trim().to_owned(), None),
            };
            let facts = new.facts.get(i).unwrap_or(&empty);
            out.push(track::check(
                new.track,
                rules.catalogue().procedures(),
                &Subject {
                    name: &name,
                    birth_year,
                },
                facts,
                new.received_on,
            )?);
        }
        Ok(out)
    }

    /// The service periods of a dossier's recipients.
    ///
    /// # Errors
    /// Database failure.
    pub async fn dossier_service(&self, dossier_id: i64) -> Result<Vec<ServiceRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "select s.recipient_id, s.position, s.start_on, s.end_on
             from dossier_service_periods s join dossier_recipients r on r.id = s.recipient_id
             where r.dossier_id = $1 order by s.recipient_id, s.start_on"
        )
        .bind(dossier_id)
        .fetch_all(p)
        .await?))
    }
}
