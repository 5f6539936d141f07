//! Scoped searches and lists (issue 16) on both backends: what an officer
//! finds within their subtree is exactly what an administrator finds,
//! filtered to that subtree, in the same order and the same pages, whatever
//! the path (a name many people share, a few, none; a list; a unit's
//! history with its predecessors). Checked over a registry generated from a
//! seed, with names drawn from it, and (SQLite) the plans: the text index
//! and the indexes of `award_records`, never a scan of it.

use std::collections::BTreeSet;

use tdkt_core::lineage::Lineage;
use tdkt_core::org::UnitId;
use tdkt_store::awards::import::ImportOptions;
use tdkt_store::awards::{AwardFilter, AwardRecord, Cursor, BROAD_NAME};
use tdkt_store::people::PeopleScope;
use tdkt_store::testing::TestDb;
use tdkt_store::Store;

const HEADER: &str =
    "recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority";

/// Units of the demo tree in being from 2019 to 2024, in several provinces
/// (Cần Thơ's predecessors among them).
const UNITS: [&str; 11] = [
    "hau-giang",
    "hau-giang.so-xay-dung",
    "hau-giang.so-noi-vu",
    "hau-giang.so-tai-chinh",
    "hau-giang.so-ke-hoach-dau-tu",
    "soc-trang.so-xay-dung",
    "can-tho-cu.so-xay-dung",
    "can-tho-cu.so-noi-vu",
    "ha-noi",
    "long-an",
    "bac-giang.so-noi-vu",
];

/// xorshift64: the same registry for a seed on both backends.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n as u64).unwrap()
    }
}

/// More people named Lý than the search's cut (so `ly` is walked), a few
/// Trần (looked up through the person index), every one with one to three
/// awards in one or two units, and the units' collective awards. Returns
/// the people's folded names.
pub(crate) async fn registry(s: &Store, seed: u64) -> Vec<String> {
    let lineage = s.lineage().await.unwrap();
    let name_of = |code: &str| {
        lineage
            .units()
            .find(|u| u.code == code)
            .unwrap()
            .name
            .clone()
    };
    let mut rng = Rng(seed);
    let mut rows = vec![HEADER.to_owned()];
    let mut names = Vec::new();
    let people = usize::try_from(BROAD_NAME).unwrap() + 300;
    for i in 0..people {
        let family = if i % 16 == 0 { "Trần" } else { "Lý" };
        let middle = ["Thị", "Văn", "Mai"][rng.below(3)];
        let given = ["Mai", "Anh", "Hà", "Bình", "Lan"][rng.below(5)];
        let name = format!("{family} {middle} {given}");
        names.push(tdkt_core::text::fold(&name));
        let cccd = format!("0011{:02}{:06}", 80 + i % 20, 500_000 + i);
        let home = UNITS[rng.below(UNITS.len())];
        // one in five moved: a later award in another unit
        let away = if rng.below(5) == 0 {
            UNITS[rng.below(UNITS.len())]
        } else {
            home
        };
        let first = 2019 + rng.below(2);
        for k in 0..=rng.below(3) {
            let year = first + 2 * k;
            let unit = if k == 0 { home } else { away };
            rows.push(format!(
                "person,{cccd},{unit},{name},lao-dong-tien-tien,{year},{}/QĐ-TĐKT,{}-01-05,Thủ trưởng đơn vị",
                1 + rng.below(900),
                year + 1
            ));
        }
    }
    for unit in UNITS {
        for year in 2019..=2024 {
            if rng.below(2) == 0 {
                rows.push(format!(
                    "unit,,{unit},{},tap-the-lao-dong-tien-tien,{year},{}/QĐ-UBND,{}-02-05,Chủ tịch UBND tỉnh",
                    name_of(unit),
                    1 + rng.below(900),
                    year + 1
                ));
            }
        }
    }
    let text = rows.join("\n");
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let records: Vec<tdkt_store::awards::file::RowResult> = rdr
        .records()
        .map(|r| Ok(r.unwrap().iter().map(str::to_owned).collect()))
        .collect();
    let r = s
        .import_awards(
            "test",
            &header,
            records.into_iter(),
            &ImportOptions {
                skip_invalid: false,
                source_name: "scoped.csv".into(),
                max_errors: 0,
                scope: None,
                rebuild_indexes_after: None,
            },
            &|_| {},
        )
        .await
        .expect("import runs");
    assert!(r.committed, "{:?}", r.file.rejected);
    names
}

pub(crate) fn code_id(lineage: &Lineage, code: &str) -> UnitId {
    lineage.units().find(|u| u.code == code).unwrap().id
}

/// Every page of a search, `limit` at a time, followed by its cursor.
pub(crate) async fn all_pages(s: &Store, f: &AwardFilter, limit: i64) -> Vec<i64> {
    let mut f = AwardFilter {
        limit,
        after: None,
        ..f.clone()
    };
    let mut ids = Vec::new();
    loop {
        let page = s.search_awards(&f).await.unwrap();
        ids.extend(page.iter().map(|a| a.id));
        match page.last() {
            Some(last) if i64::try_from(page.len()).unwrap() == limit => {
                f.after = Some(Cursor::of(last));
            }
            _ => return ids,
        }
    }
}

/// The scopes an account can have: a city after the 2025 merger (its
/// predecessors' subtrees folded in), a province, a department, a
/// province elsewhere, a hand-picked pair, and a list of more units than
/// one statement merges (most of the ids exist in no tree).
fn scopes(lineage: &Lineage) -> Vec<(String, BTreeSet<UnitId>)> {
    let mut out: Vec<(String, BTreeSet<UnitId>)> =
        ["can-tho", "hau-giang", "hau-giang.so-xay-dung", "ha-noi"]
            .into_iter()
            .map(|c| (c.to_owned(), lineage.scope(code_id(lineage, c))))
            .collect();
    out.push((
        "long-an + soc-trang.so-xay-dung".into(),
        [
            code_id(lineage, "long-an"),
            code_id(lineage, "soc-trang.so-xay-dung"),
        ]
        .into(),
    ));
    let mut wide: BTreeSet<UnitId> = (1..=450).collect();
    wide.retain(|u| *u % 3 != 0 || lineage.units().any(|x| x.id == *u));
    out.push(("450 ids".into(), wide));
    out
}

#[tokio::test]
async fn an_officer_finds_what_an_administrator_finds_in_the_officers_subtree() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let names = registry(s, 0x16_2026).await;
    let lineage = s.lineage().await.unwrap();
    let everything = everything(s).await;
    let units: std::collections::HashMap<i64, UnitId> =
        everything.iter().map(|a| (a.id, a.unit_id)).collect();
    let unit_of = |id: i64| units[&id];
    // names drawn from the registry (whole, reordered, beginnings), the
    // broad and narrow ones of the generator, unit names, a CCCD, a
    // decision number, and no text at all
    let mut rng = Rng(7);
    let mut queries: Vec<String> = vec![
        "ly".into(),
        "l m".into(),
        "tran".into(),
        "ly mai".into(),
        "xay dung".into(),
        "so noi vu".into(),
        "nguyen".into(),
        String::new(),
        "001185500005".into(),
        everything[everything.len() / 2].decision_no.clone(),
    ];
    for _ in 0..3 {
        let n = &names[rng.below(names.len())];
        let w: Vec<&str> = n.split(' ').collect();
        queries.push(format!("{} {}", w[2], w[0]));
        queries.push(format!("{} {}", &w[0][..1], &w[2][..2]));
    }
    let mut checked = 0;
    for (i, q) in queries.iter().enumerate() {
        // the years filter on the first few (the paths are the same)
        let filters: &[Option<i32>] = if i < 4 { &[None, Some(2021)] } else { &[None] };
        for &year_from in filters {
            let f = AwardFilter {
                q: q.clone(),
                year_from,
                ..AwardFilter::default()
            };
            let unscoped = all_pages(s, &f, 10_000).await;
            for (label, scope) in scopes(&lineage) {
                let expected: Vec<i64> = unscoped
                    .iter()
                    .copied()
                    .filter(|id| scope.contains(&unit_of(*id)))
                    .collect();
                let scoped = AwardFilter {
                    units: Some(scope.clone()),
                    ..f.clone()
                };
                let got = all_pages(s, &scoped, 97).await;
                assert_eq!(got, expected, "«{q}» from {year_from:?} within {label}");
                checked += expected.len();
            }
        }
    }
    assert!(checked > 1000, "the scopes hold matches: {checked}");
    // the list of one award, within a scope
    let f = AwardFilter {
        award: Some("tap-the-lao-dong-tien-tien".into()),
        ..AwardFilter::default()
    };
    let unscoped = all_pages(s, &f, 10_000).await;
    assert!(!unscoped.is_empty());
    for (label, scope) in scopes(&lineage) {
        let expected: Vec<i64> = unscoped
            .iter()
            .copied()
            .filter(|id| scope.contains(&unit_of(*id)))
            .collect();
        let scoped = AwardFilter {
            units: Some(scope),
            ..f.clone()
        };
        assert_eq!(all_pages(s, &scoped, 7).await, expected, "{label}");
    }
}

#[tokio::test]
async fn a_units_history_pages_its_own_and_its_predecessors_awards_within_the_scope() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    registry(s, 0xCA17).await;
    let lineage = s.lineage().await.unwrap();
    let everything = everything(s).await;
    let views = views(&lineage);
    for code in ["can-tho.so-xay-dung", "hau-giang.so-tai-chinh", "ha-noi"] {
        let unit = code_id(&lineage, code);
        let own: BTreeSet<UnitId> = lineage.with_predecessors(unit).into_iter().collect();
        for (label, scope) in &views {
            let expected: Vec<i64> = everything
                .iter()
                .filter(|a| own.contains(&a.unit_id))
                .filter(|a| match scope {
                    PeopleScope::All => true,
                    PeopleScope::Units(u) => u.contains(&a.unit_id),
                })
                .map(|a| a.id)
                .collect();
            let mut got = Vec::new();
            let mut after = None;
            loop {
                let page = s
                    .unit_history(&lineage, unit, scope, after, 17)
                    .await
                    .unwrap();
                got.extend(page.iter().map(|e| e.record.id));
                match page.last() {
                    Some(last) if page.len() == 17 => after = Some(Cursor::of(&last.record)),
                    _ => break,
                }
            }
            assert_eq!(got, expected, "{code} seen by {label}");
        }
    }
}

#[tokio::test]
async fn an_officers_people_search_is_the_administrators_within_the_subtree() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    registry(s, 0xBEEF).await;
    let lineage = s.lineage().await.unwrap();
    for q in ["ly", "tran", "ly mai", "l m", "xay dung", ""] {
        let all = s
            .search_people(&PeopleScope::All, q, None, 100_000)
            .await
            .unwrap();
        for (label, scope) in scopes(&lineage) {
            let expected: Vec<i64> = all
                .iter()
                .filter(|p| scope.contains(&p.unit_id))
                .map(|p| p.id)
                .collect();
            let scope = PeopleScope::Units(scope);
            let mut got = Vec::new();
            let mut after = None;
            loop {
                let page = s.search_people(&scope, q, after, 19).await.unwrap();
                got.extend(page.iter().map(|p| p.id));
                match page.last() {
                    Some(last) if page.len() == 19 => after = Some(last.id),
                    _ => break,
                }
            }
            assert_eq!(got, expected, "«{q}» within {label}");
        }
    }
}

/// SQLite's plans of a scoped search: the text index, then the award
/// indexes (the person index for a few people, each unit's index merged
/// for many or for a list), never a scan of `award_records`.
#[tokio::test]
async fn a_scoped_search_takes_the_text_index_and_the_award_indexes_not_a_scan() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    if s.backend() != tdkt_store::Backend::Sqlite {
        return;
    }
    registry(s, 0x5CA1E).await;
    let lineage = s.lineage().await.unwrap();
    let can_tho = lineage.scope(code_id(&lineage, "can-tho"));
    let plan = |q: &str| AwardFilter {
        q: q.into(),
        units: Some(can_tho.clone()),
        limit: 50,
        ..AwardFilter::default()
    };
    let scans = |plans: &[String]| {
        plans
            .iter()
            .filter(|l| {
                let l = l.to_lowercase();
                l.starts_with("scan a") || l.starts_with("scan award_records")
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    // a few people: the text index, then their awards by the person index
    let few = s.explain_search_awards(&plan("tran")).await.unwrap();
    assert!(few.iter().any(|l| l.contains("people_fts")), "{few:#?}");
    assert!(
        few.iter().any(|l| l.contains("award_records_person")),
        "{few:#?}"
    );
    assert!(scans(&few).is_empty(), "{few:#?}");
    // many people: each unit of the scope walked newest first, merged
    let many = s.explain_search_awards(&plan("ly")).await.unwrap();
    assert!(many.iter().any(|l| l.contains("people_fts")), "{many:#?}");
    assert!(
        many.iter()
            .any(|l| l.contains("MERGE") || l.contains("COMPOUND")),
        "{many:#?}"
    );
    assert!(
        many.iter().any(|l| l.contains("award_records_unit")),
        "{many:#?}"
    );
    assert!(scans(&many).is_empty(), "{many:#?}");
    assert!(
        !many.iter().any(|l| l.contains("TEMP B-TREE")),
        "merged in index order, no sort: {many:#?}"
    );
    // the scope's list, no text: the same merged walk
    let list = s.explain_search_awards(&plan("")).await.unwrap();
    assert!(
        list.iter().any(|l| l.contains("award_records_unit")),
        "{list:#?}"
    );
    assert!(scans(&list).is_empty(), "{list:#?}");
    assert!(!list.iter().any(|l| l.contains("TEMP B-TREE")), "{list:#?}");
    // a decision number: its index walked newest first, no sort, no scan
    // (the unit is in the index since migration 0050, so the scope is
    // tested on each entry before its row is read; the plan does not show
    // that step)
    let decision = s.explain_search_awards(&plan("7/QĐ-UBND")).await.unwrap();
    assert!(
        decision
            .iter()
            .any(|l| l.contains("award_records_decision")),
        "{decision:#?}"
    );
    assert!(scans(&decision).is_empty(), "{decision:#?}");
    assert!(
        !decision.iter().any(|l| l.contains("TEMP B-TREE")),
        "{decision:#?}"
    );
}

/// The numbered pages of a unit's award list (`/units/{code}/awards`) are
/// walked along the unit index by year, newest or oldest first, and sorted
/// otherwise: either way, page after page, they are the unit's and its
/// predecessors' awards within the scope, in the order asked, each once,
/// with the year and award filters applied; the count is theirs.
#[tokio::test]
async fn a_units_numbered_pages_in_each_order_are_its_history_in_that_order() {
    use tdkt_store::awards::unit_list::{UnitAwardFilter, UnitAwardOrder};
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    registry(s, 0x0A5C).await;
    let lineage = s.lineage().await.unwrap();
    let everything = everything(s).await;
    let views = views(&lineage);
    let unit = code_id(&lineage, "can-tho.so-xay-dung");
    let own: BTreeSet<UnitId> = lineage.with_predecessors(unit).into_iter().collect();
    let mine: Vec<&AwardRecord> = everything
        .iter()
        .filter(|a| own.contains(&a.unit_id))
        .collect();
    let year = mine[mine.len() / 2].year;
    let award = mine[0].award_code.clone();
    let filters = [
        UnitAwardFilter::default(),
        UnitAwardFilter {
            year: Some(year),
            award: None,
        },
        UnitAwardFilter {
            year: None,
            award: Some(award.clone()),
        },
    ];
    for (label, scope) in &views {
        for filter in &filters {
            for word in ["", "nam", "nam_giam", "danh_hieu", "ngay_qd_giam"] {
                let order = UnitAwardOrder::parse(word);
                let mut expected: Vec<&AwardRecord> = mine
                    .iter()
                    .copied()
                    .filter(|a| match scope {
                        PeopleScope::All => true,
                        PeopleScope::Units(u) => u.contains(&a.unit_id),
                    })
                    .filter(|a| filter.year.is_none_or(|y| a.year == y))
                    .filter(|a| filter.award.as_ref().is_none_or(|c| a.award_code == *c))
                    .collect();
                match word {
                    "nam" => expected.sort_by_key(|a| (a.year, a.id)),
                    "danh_hieu" => expected.sort_by(|a, b| {
                        (&a.award_code, b.year, b.id).cmp(&(&b.award_code, a.year, a.id))
                    }),
                    "ngay_qd_giam" => {
                        expected.sort_by_key(|a| std::cmp::Reverse((a.decision_date, a.id)));
                    }
                    _ => {}
                }
                let expected: Vec<i64> = expected.iter().map(|a| a.id).collect();
                let mut got = Vec::new();
                let mut total = None;
                for page in 1.. {
                    let found = s
                        .unit_awards_page(&lineage, unit, scope, filter, order, page, 17)
                        .await
                        .unwrap();
                    total.get_or_insert(found.total);
                    got.extend(found.rows.iter().map(|e| e.record.id));
                    if found.rows.len() < 17 {
                        break;
                    }
                }
                let context = format!("«{word}» seen by {label}, {filter:?}");
                assert_eq!(got, expected, "{context}");
                assert_eq!(
                    total,
                    Some(i64::try_from(expected.len()).unwrap()),
                    "{context}"
                );
            }
        }
    }
}

/// The administrator's view and each officer's of [`scopes`].
fn views(lineage: &Lineage) -> Vec<(String, PeopleScope)> {
    let mut views: Vec<(String, PeopleScope)> = vec![("all".into(), PeopleScope::All)];
    views.extend(
        scopes(lineage)
            .into_iter()
            .map(|(l, u)| (l, PeopleScope::Units(u))),
    );
    views
}

/// Every award of the registry, newest first.
pub(crate) async fn everything(s: &Store) -> Vec<AwardRecord> {
    s.search_awards(&AwardFilter {
        limit: 1_000_000,
        ..AwardFilter::default()
    })
    .await
    .unwrap()
}
