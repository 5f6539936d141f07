//! A name search walked through each recipient's newest award (migration
//! 0051, `awards/newest.rs`) on both backends: its pages, one after the
//! other, are every award whose recipient's name has the words (or whose
//! unit's name has them, for a collective award), newest first, within the
//! filters and the scope, whatever the page size; and the list it walks
//! stays in step with the registry through every way an award is written.

use tdkt_store::awards::{AwardFilter, AwardRecord, NewAward, RecipientKind};
use tdkt_store::people::{is_beginning, name_words};
use tdkt_store::people::{PeopleOrder, PeopleScope};
use tdkt_store::testing::TestDb;
use tdkt_store::{Store, WalkBounds};
use time::macros::date;

use crate::scoped::{all_pages, code_id, everything, registry};

/// Does a folded name have every word (a whole word, or the beginning of
/// one where the search takes beginnings)?
fn has_words(key: &str, words: &[String]) -> bool {
    let name: Vec<&str> = key.split(' ').collect();
    words.iter().enumerate().all(|(i, w)| {
        name.iter().any(|n| {
            if is_beginning(words, i) {
                n.starts_with(w.as_str())
            } else {
                n == w
            }
        })
    })
}

/// What a name search must find among `all` (newest first, with each
/// one's folded recipient name), by reading every award.
fn expected(all: &[(AwardRecord, String)], f: &AwardFilter) -> Vec<i64> {
    let words = name_words(&f.q);
    all.iter()
        .filter(|(_, name)| has_words(name, &words))
        .map(|(a, _)| a)
        .filter(|a| f.award.as_deref().is_none_or(|c| a.award_code == c))
        .filter(|a| f.year_from.is_none_or(|y| a.year >= y))
        .filter(|a| f.year_to.is_none_or(|y| a.year <= y))
        .filter(|a| f.units.as_ref().is_none_or(|u| u.contains(&a.unit_id)))
        .map(|a| a.id)
        .collect()
}

/// The name lists hold what the registry says they hold: `name_keys`,
/// and on PostgreSQL `person_keys` and `award_unit_keys`.
pub(crate) async fn lists_in_step(s: &Store) {
    assert_eq!(s.name_keys_drift().await.unwrap(), Vec::<String>::new());
    assert_eq!(s.person_keys_drift().await.unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn a_name_searchs_pages_are_every_matching_award_newest_first() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    let names = registry(s, 0x0051).await;
    // a few people with many awards over the years, so that one person's
    // older awards come after other people's newer ones
    let awards = everything(s).await;
    let mut people: Vec<(i64, i64)> = awards
        .iter()
        .filter_map(|a| Some((a.person_id?, a.unit_id)))
        .collect();
    people.sort_unstable();
    people.dedup_by_key(|p| p.0);
    for (i, &(person, unit)) in people.iter().step_by(80).enumerate() {
        for year in [2019 + i32::try_from(i % 3).unwrap(), 2024] {
            record(s, person, unit, year, &format!("{}/QĐ-N{i}", 100 + year)).await;
        }
    }
    let lineage = s.lineage().await.unwrap();
    let all: Vec<(AwardRecord, String)> = everything(s)
        .await
        .into_iter()
        .map(|a| {
            let name = tdkt_core::text::fold(a.person_name.as_deref().unwrap_or(&a.unit_name));
            (a, name)
        })
        .collect();
    let people = s
        .list_people(&PeopleScope::All, "", PeopleOrder::default(), 1, 1_000_000)
        .await
        .unwrap()
        .people;
    // words of the name and of the unit's name, one with the other
    let mut queries: Vec<String> = [
        "ly",
        "tran",
        "ly mai",
        "mai ly",
        "thi van",
        "l m",
        "an",
        "ha",
        "tr b",
        "so xay",
        "zz",
        "xay ly",
        "tran so",
        "dung x",
        "so xay dung",
        "bin",
        "tra lan",
        "van bin",
    ]
    .map(str::to_owned)
    .to_vec();
    queries.extend(names.iter().step_by(900).cloned());
    let scopes = [
        None,
        Some(lineage.scope(code_id(&lineage, "can-tho"))),
        Some(lineage.scope(code_id(&lineage, "hau-giang.so-xay-dung"))),
    ];
    // the bounds of the walks as they run, and small ones: every step of a
    // walk, its estimate and its giving up, on this small registry
    let mut small = s.clone();
    small.set_walk_bounds(WalkBounds {
        awards_first: 7,
        awards_most: 400,
        awards_people: 60,
        people_first: 5,
        people_most: 60,
        keys_most: 40,
        many_within: 2,
    });
    let mut checked = 0;
    for (bounds, s) in [("default", s), ("small", &small)] {
        if bounds == "small" {
            // the counts that choose the walks, all of them: the walk first
            // within a scope for most names
            s.count_name_keys().await.unwrap();
        }
        for q in &queries {
            for (year_from, year_to, award) in [
                (None, None, None),
                (Some(2021), None, None),
                (None, Some(2020), None),
                (None, None, Some("lao-dong-tien-tien".to_owned())),
            ] {
                for units in &scopes {
                    let f = AwardFilter {
                        q: q.clone(),
                        year_from,
                        year_to,
                        award: award.clone(),
                        units: units.clone(),
                        ..AwardFilter::default()
                    };
                    let want = expected(&all, &f);
                    for limit in [3_usize, 50] {
                        if want.len() / limit > 40 {
                            // paged at the larger sizes
                            continue;
                        }
                        let got = all_pages(s, &f, i64::try_from(limit).unwrap()).await;
                        assert_eq!(
                        got, want,
                        "«{q}» from {year_from:?} to {year_to:?}, {award:?}, scope {}, {limit} a page, {bounds} bounds",
                        units.as_ref().map_or(0, std::collections::BTreeSet::len)
                    );
                        checked += got.len();
                    }
                }
            }
            // the people whose name (or unit's) has the words, page by page
            for units in &scopes {
                let scope = units.clone().map_or(PeopleScope::All, PeopleScope::Units);
                let want = expected_people(&people, units.as_ref(), q);
                for limit in [7, 1_000_000] {
                    assert_eq!(
                        people_pages(s, &scope, q, limit).await,
                        want,
                        "people «{q}», scope {:?}, {limit} a page, {bounds} bounds",
                        units.as_ref().map(std::collections::BTreeSet::len)
                    );
                }
            }
        }
    }
    assert!(checked > 10_000, "the searches find awards: {checked}");
    // the walk answered the common names and gave the others to the text
    // index: a name most people share, one a few share, and no word of two
    // letters (nothing to walk)
    let first = |q: &str, units: Option<std::collections::BTreeSet<i64>>| AwardFilter {
        q: q.into(),
        units,
        limit: 50,
        ..AwardFilter::default()
    };
    for q in ["ly", "tran", "ly mai"] {
        let page = s.walked_name_page(&first(q, None)).await.unwrap();
        // people's awards: collective ones are merged in afterwards
        let want: Vec<i64> = expected(&all, &first(q, None))
            .into_iter()
            .filter(|id| {
                all.iter()
                    .any(|(a, _)| a.id == *id && a.person_id.is_some())
            })
            .take(50)
            .collect();
        let ids: Option<Vec<i64>> = page.map(|p| p.iter().map(|&(_, id)| id).collect());
        assert_eq!(ids, Some(want), "«{q}»");
    }
    assert_eq!(s.walked_name_page(&first("l m", None)).await.unwrap(), None);
    crate::newest::lists_in_step(s).await;
}

/// The ids of the people (of `units`) whose name or unit's name has every
/// word of `q`, read one by one.
fn expected_people(
    people: &[tdkt_store::people::Person],
    units: Option<&std::collections::BTreeSet<i64>>,
    q: &str,
) -> Vec<i64> {
    let words = name_words(q);
    let mut ids: Vec<i64> = people
        .iter()
        .filter(|p| units.is_none_or(|u| u.contains(&p.unit_id)))
        .filter(|p| {
            let doc = name_words(&format!("{} {}", p.full_name, p.unit_name)).join(" ");
            has_words(&doc, &words)
        })
        .map(|p| p.id)
        .collect();
    ids.sort_unstable();
    ids
}

/// Every page of a people search, `limit` at a time.
async fn people_pages(s: &Store, scope: &PeopleScope, q: &str, limit: i64) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = s.search_people(scope, q, after, limit).await.unwrap();
        ids.extend(page.iter().map(|p| p.id));
        match page.last() {
            Some(last) if i64::try_from(page.len()).unwrap() == limit => after = Some(last.id),
            _ => return ids,
        }
    }
}

async fn record(s: &Store, person: i64, unit: i64, year: i32, no: &str) -> AwardRecord {
    s.record_award(
        "test",
        &NewAward {
            recipient: RecipientKind::Person,
            person_id: Some(person),
            unit_id: unit,
            award_code: "lao-dong-tien-tien".into(),
            year,
            achieved_on: None,
            decision_no: no.into(),
            decision_date: date!(2025 - 01 - 05),
            authority: "Thủ trưởng đơn vị".into(),
            reason: String::new(),
            revoked: false,
            source: "entered",
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn the_walked_list_follows_every_write_of_an_award() {
    let db = TestDb::with_demo_no_awards().await;
    let s = &db.store;
    registry(s, 0xD21F7).await;
    crate::newest::lists_in_step(s).await;
    let p = s
        .search_people(&tdkt_store::people::PeopleScope::All, "tran", None, 1)
        .await
        .unwrap()
        .remove(0);
    // an older award changes nothing, a newer one moves the person
    record(s, p.id, p.unit_id, 2016, "1/QĐ-CŨ").await;
    crate::newest::lists_in_step(s).await;
    let newest = record(s, p.id, p.unit_id, 2024, "2/QĐ-MỚI").await;
    crate::newest::lists_in_step(s).await;
    let found = s
        .search_awards(&AwardFilter {
            q: p.full_name.clone(),
            limit: 1,
            ..AwardFilter::default()
        })
        .await
        .unwrap();
    assert!(found.iter().any(|a| a.year == 2024), "{found:?}");
    // the same award corrected to an older year: the person's newest is
    // again one of the others
    let c = tdkt_core::revocation::Correction::parse(
        &tdkt_store::revocations::corrected_of(&newest),
        "2017",
        "2/QĐ-MỚI",
        "2025-01-05",
        &newest.authority,
        "",
        "gõ nhầm năm",
    )
    .unwrap();
    s.correct_award("test", newest.id, &c).await.unwrap();
    crate::newest::lists_in_step(s).await;
}

#[tokio::test]
async fn a_scoped_people_search_follows_a_person_moved_to_another_unit() {
    let db = TestDb::with_demo().await;
    let s = &db.store;
    let lineage = s.lineage().await.unwrap();
    let unit = |code: &str| PeopleScope::Units([code_id(&lineage, code)].into());
    let (from, to) = (unit("hau-giang.so-xay-dung"), unit("can-tho.so-noi-vu"));
    let finds = |scope: &PeopleScope, q: &str, id: i64| {
        let (s, scope, q) = (s.clone(), scope.clone(), q.to_owned());
        async move { people_pages(&s, &scope, &q, 3).await.contains(&id) }
    };
    let ha = s
        .search_people(&PeopleScope::All, "Trần Thị Hà", None, 1)
        .await
        .unwrap()
        .remove(0);
    // by her name, and by her name with her unit's words
    assert!(finds(&from, "tran thi ha", ha.id).await);
    assert!(finds(&from, "ha xay dung", ha.id).await);
    assert!(!finds(&to, "tran thi ha", ha.id).await);
    // her award of her unit, found within its scope however far she moves
    let PeopleScope::Units(from_units) = &from else {
        unreachable!()
    };
    let PeopleScope::Units(to_units) = &to else {
        unreachable!()
    };
    let old = record(s, ha.id, ha.unit_id, 2024, "9/QĐ-HÀ").await;
    s.count_name_keys().await.unwrap();
    let awards_within = |units: &std::collections::BTreeSet<i64>, q: &str| {
        let (s, units, q) = (s.clone(), units.clone(), q.to_owned());
        async move {
            s.search_awards(&AwardFilter {
                q,
                units: Some(units),
                limit: 50,
                ..AwardFilter::default()
            })
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
        }
    };
    assert!(awards_within(from_units, "tran thi ha")
        .await
        .contains(&old.id));
    s.update_person_unit("test", ha.id, "can-tho.so-noi-vu", date!(2026 - 12 - 03))
        .await
        .unwrap();
    lists_in_step(s).await;
    for q in ["tran thi ha", "ha tran", "thi h"] {
        assert!(
            awards_within(from_units, q).await.contains(&old.id),
            "«{q}»"
        );
        assert!(!awards_within(to_units, q).await.contains(&old.id), "«{q}»");
    }
    // an award of her new unit
    let new = record(
        s,
        ha.id,
        code_id(&lineage, "can-tho.so-noi-vu"),
        2025,
        "10/QĐ-HÀ",
    )
    .await;
    assert!(awards_within(to_units, "tran thi ha")
        .await
        .contains(&new.id));
    assert!(!awards_within(from_units, "tran thi ha")
        .await
        .contains(&new.id));
    lists_in_step(s).await;
    assert!(!finds(&from, "tran thi ha", ha.id).await);
    assert!(!finds(&from, "ha xay dung", ha.id).await);
    assert!(finds(&to, "tran thi ha", ha.id).await);
    assert!(finds(&to, "ha noi vu", ha.id).await);
    assert!(!finds(&to, "ha xay dung", ha.id).await);
    // a name with an apostrophe: its words as the text index splits them
    let bia = s
        .create_person(
            "test",
            &tdkt_core::person::NewPerson {
                full_name: "Ksor H'Bia".to_owned(),
                gender: tdkt_core::person::Gender::Female,
                birth_date: date!(1990 - 03 - 04),
                cccd: tdkt_core::cccd::Cccd::parse("092190654321").unwrap(),
                unit_code: "can-tho.so-noi-vu".to_owned(),
                position: "Chuyên viên".to_owned(),
                is_leader: false,
            },
            date!(2025 - 08 - 01),
        )
        .await
        .unwrap();
    let award = record(s, bia.id, bia.unit_id, 2025, "7/QĐ-BIA").await;
    // an award of a unit she does not work in, found within its scope
    let lent = record(
        s,
        bia.id,
        code_id(&lineage, "hau-giang.so-xay-dung"),
        2024,
        "8/QĐ-BIA",
    )
    .await;
    assert!(awards_within(from_units, "h bia").await.contains(&lent.id));
    assert!(!awards_within(to_units, "h bia").await.contains(&lent.id));
    s.count_name_keys().await.unwrap();
    for q in ["bia", "ksor bia", "h bia", "ksor h'bia"] {
        assert!(finds(&to, q, bia.id).await, "«{q}»");
        assert!(finds(&PeopleScope::All, q, bia.id).await, "«{q}»");
        // and her award, through the name lists' walk
        let found = s
            .search_awards(&AwardFilter {
                q: q.to_owned(),
                limit: 5,
                ..AwardFilter::default()
            })
            .await
            .unwrap();
        assert!(found.iter().any(|a| a.id == award.id), "«{q}»: {found:?}");
    }
    crate::newest::lists_in_step(s).await;
}
