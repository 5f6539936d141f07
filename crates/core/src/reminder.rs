//! Reminders (*nhắc việc*, issue 14): what an office must do by a date —
//! a dossier its level holds, with the due date counted in working days
//! ([`crate::dossier::due`]), or a cluster's indicator report not yet sent —
//! and the Vietnamese digest e-mail that lists them (dates dd/mm/yyyy,
//! [`crate::date::format_vn`]).

use serde::Serialize;
use time::Date;

use crate::date::format_vn;

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ReminderKind {
    /// A dossier held by the account's level.
    Dossier,
    /// An indicator report of a cluster member not yet sent.
    IndicatorReport,
}

impl ReminderKind {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Dossier => "Hồ sơ khen thưởng",
            Self::IndicatorReport => "Báo cáo chỉ tiêu",
        }
    }
}

/// One thing to do by a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub kind: ReminderKind,
    pub title: String,
    pub due: Date,
    /// The due date has passed.
    pub overdue: bool,
    /// Where the app shows it (`/dossiers/12`).
    pub link: String,
}

impl Reminder {
    /// `Quá hạn từ 03/12/2026` or `Hạn 10/12/2026`.
    #[must_use]
    pub fn due_text(&self) -> String {
        if self.overdue {
            format!(
                "Quá hạn từ {}",
                format_vn(self.due.next_day().unwrap_or(self.due))
            )
        } else {
            format!("Hạn {}", format_vn(self.due))
        }
    }
}

/// Orders reminders as they are shown: overdue first, then by due date.
pub fn sort(list: &mut [Reminder]) {
    list.sort_by(|a, b| {
        (!a.overdue, a.due, a.kind, &a.title).cmp(&(!b.overdue, b.due, b.kind, &b.title))
    });
}

/// The digest e-mail of one account: subject and plain-text body.
/// `base_url` (may be empty) is put before each link.
#[must_use]
pub fn digest(name: &str, today: Date, list: &[Reminder], base_url: &str) -> (String, String) {
    let overdue = list.iter().filter(|r| r.overdue).count();
    let subject = if overdue > 0 {
        format!(
            "[tdkt] Nhắc việc ngày {}: {} việc, {overdue} việc quá hạn",
            format_vn(today),
            list.len()
        )
    } else {
        format!(
            "[tdkt] Nhắc việc ngày {}: {} việc",
            format_vn(today),
            list.len()
        )
    };
    let mut body = format!(
        "Kính gửi {name},\n\nHệ thống quản lý thi đua, khen thưởng (tdkt) nhắc các việc sau đến hạn hoặc đã quá hạn tính đến ngày {}:\n\n",
        format_vn(today)
    );
    for (i, r) in list.iter().enumerate() {
        body.push_str(&format!(
            "{}. {}: {} — {}.\n   {}{}\n",
            i + 1,
            r.kind.label(),
            r.title,
            r.due_text(),
            base_url.trim_end_matches('/'),
            r.link
        ));
    }
    body.push_str("\nThư này được gửi tự động mỗi ngày một lần; xin đừng trả lời thư này.\n");
    (subject, body)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_digest_puts_overdue_first_with_vietnamese_dates() {
        let mut list = vec![
            Reminder {
                kind: ReminderKind::IndicatorReport,
                title: "Quý IV/2026 — Sở Xây dựng".into(),
                due: date!(2026 - 12 - 10),
                overdue: false,
                link: "/clusters/tay-nam-bo/2026".into(),
            },
            Reminder {
                kind: ReminderKind::Dossier,
                title: "Hồ sơ #7: Bằng khen".into(),
                due: date!(2026 - 12 - 02),
                overdue: true,
                link: "/dossiers/7".into(),
            },
        ];
        sort(&mut list);
        assert_eq!(list[0].kind, ReminderKind::Dossier);
        let (subject, body) = digest(
            "Nguyễn Văn A",
            date!(2026 - 12 - 06),
            &list,
            "https://tdkt.example/",
        );
        assert_eq!(
            subject,
            "[tdkt] Nhắc việc ngày 06/12/2026: 2 việc, 1 việc quá hạn"
        );
        assert!(
            body.contains("1. Hồ sơ khen thưởng: Hồ sơ #7: Bằng khen — Quá hạn từ 03/12/2026."),
            "{body}"
        );
        assert!(body.contains("https://tdkt.example/dossiers/7"), "{body}");
        assert!(body.contains("Hạn 10/12/2026"), "{body}");
    }
}
