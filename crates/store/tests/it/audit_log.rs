//! The audit page's reading of the log: every code the store writes has a
//! Vietnamese name, and a filtered page is the same slice of the chain on
//! both backends, continued by sequence number.

use std::path::Path;

use tdkt_core::audit::names;
use tdkt_store::audit::AuditFilter;
use tdkt_store::testing::TestDb;

/// Every `audit!(tx, actor, "entity", id, "action", …)` in the store's
/// source, as (entity when written as a literal, action).
fn written_codes() -> Vec<(Option<String>, String)> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut sources = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut sources,
    );
    let mut codes = Vec::new();
    for src in sources {
        for call in src.split("audit!(").skip(1) {
            let args = top_level_args(call);
            // (tx, actor, entity, entity_id, action, before, after); an
            // entity chosen at run time (`what.entity()`) is checked by the
            // literal action alone
            let literal = |i: usize| {
                args.get(i)
                    .and_then(|a| a.strip_prefix('"'))
                    .and_then(|a| a.strip_suffix('"'))
                    .map(str::to_owned)
            };
            if let Some(action) = literal(4) {
                codes.push((literal(2), action));
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

/// The arguments of a macro call up to its closing parenthesis, split at
/// the commas that are not inside brackets or string literals.
fn top_level_args(call: &str) -> Vec<String> {
    let (mut args, mut current, mut depth, mut in_str, mut escaped) =
        (Vec::new(), String::new(), 0_i32, false, false);
    for c in call.chars() {
        if in_str {
            current.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                current.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => args.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    args.push(current.trim().to_owned());
    args
}

#[test]
fn every_entity_and_action_the_store_audits_has_a_vietnamese_name() {
    let codes = written_codes();
    assert!(codes.len() > 30, "{codes:?}");
    assert!(codes.contains(&(Some("award_record".into()), "revoke".into())));
    let unnamed: Vec<_> = codes
        .iter()
        .filter(|(e, a)| {
            e.as_deref().is_some_and(|e| names::entity(e).is_none()) || names::action(a).is_none()
        })
        .collect();
    assert!(
        unnamed.is_empty(),
        "no Vietnamese name in core::audit::names for {unnamed:?}"
    );
}

#[tokio::test]
async fn the_audit_page_filters_by_who_and_what_and_continues_below_a_sequence_number() {
    let db = TestDb::with_demo().await;
    let all = db.store.recent_audit(1_000_000).await.unwrap();
    let (page, total) = db
        .store
        .audit_page(&AuditFilter::default(), None, 10)
        .await
        .unwrap();
    assert_eq!(usize::try_from(total).unwrap(), all.len());
    assert_eq!(page, all[..10].to_vec());
    // the next page starts right below the last one shown
    let (next, _) = db
        .store
        .audit_page(&AuditFilter::default(), Some(page[9].seq), 10)
        .await
        .unwrap();
    assert_eq!(next, all[10..20].to_vec());

    let people = AuditFilter {
        entity: Some("person".into()),
        ..AuditFilter::default()
    };
    let (page, total) = db.store.audit_page(&people, None, 1000).await.unwrap();
    let expected: Vec<_> = all
        .iter()
        .filter(|e| e.entity == "person")
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(page, expected);
    assert_eq!(usize::try_from(total).unwrap(), expected.len());

    let actor = all[0].actor.clone();
    let by_actor = AuditFilter {
        actor: Some(actor.clone()),
        ..AuditFilter::default()
    };
    let (page, _) = db.store.audit_page(&by_actor, None, 1000).await.unwrap();
    assert!(!page.is_empty() && page.iter().all(|e| e.actor == actor));
    let nobody = AuditFilter {
        actor: Some("không-có-ai".into()),
        ..AuditFilter::default()
    };
    assert_eq!(db.store.audit_page(&nobody, None, 10).await.unwrap().1, 0);

    // the demo was written today (Việt Nam time): a window of today holds it
    // all, one that ended yesterday holds nothing
    let today = tdkt_core::date::today_vn();
    let window = |from, to| AuditFilter {
        from: Some(from),
        to: Some(to),
        ..AuditFilter::default()
    };
    let (_, today_total) = db
        .store
        .audit_page(&window(today, today), None, 1)
        .await
        .unwrap();
    assert_eq!(usize::try_from(today_total).unwrap(), all.len());
    let yesterday = today.previous_day().unwrap();
    let (_, before_total) = db
        .store
        .audit_page(
            &window(yesterday.previous_day().unwrap(), yesterday),
            None,
            1,
        )
        .await
        .unwrap();
    assert_eq!(before_total, 0);
}
