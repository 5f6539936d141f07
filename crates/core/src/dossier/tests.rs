use time::macros::date;

use super::*;
use crate::catalogue::Catalogue;
use crate::rules::Rules;
use LevelClass as L;

fn u(id: i64, code: &str, class: LevelClass) -> RouteUnit {
    RouteUnit {
        id,
        code: code.to_owned(),
        name: code.to_owned(),
        class,
    }
}

fn codes(r: &Route) -> Vec<&str> {
    r.steps.iter().map(|s| s.code.as_str()).collect()
}

fn bnv() -> RouteUnit {
    u(2, "bo-noi-vu", L::HomeAffairs)
}

/// A commune of Cần Thơ, its office, the city, the centre.
fn commune_chain() -> Vec<RouteUnit> {
    vec![
        u(30, "can-tho.xa-a.van-phong", L::Subunit),
        u(20, "can-tho.xa-a", L::Commune),
        u(10, "can-tho", L::Province),
        u(1, "trung-uong", L::Central),
    ]
}

fn award(c: &Catalogue, code: &str) -> Award {
    c.get(code).unwrap().clone()
}

#[test]
fn after_the_reform_the_commune_chairman_decides_cstd_co_so_and_giay_khen() {
    let c = Catalogue::embedded();
    for code in ["chien-si-thi-dua-co-so", "lao-dong-tien-tien", "giay-khen"] {
        let r = route(
            &award(&c, code),
            &commune_chain(),
            None,
            date!(2026 - 03 - 01),
        )
        .unwrap();
        assert_eq!(
            codes(&r),
            ["can-tho.xa-a.van-phong", "can-tho.xa-a"],
            "{code}"
        );
        assert!(r.citation.contains("129/2025"));
    }
}

#[test]
fn before_the_reform_cstd_co_so_of_a_commune_went_to_the_district() {
    let c = Catalogue::embedded();
    let chain = vec![
        u(20, "xa-b", L::Commune),
        u(15, "huyen-b", L::District),
        u(10, "tinh-b", L::Province),
    ];
    let r = route(
        &award(&c, "chien-si-thi-dua-co-so"),
        &chain,
        None,
        date!(2024 - 12 - 01),
    )
    .unwrap();
    assert_eq!(codes(&r), ["xa-b", "huyen-b"]);
    // a commune chairman already gave LĐTT (khoản 3 Điều 80 Luật TĐKT 2022)
    let r = route(
        &award(&c, "lao-dong-tien-tien"),
        &chain,
        None,
        date!(2024 - 12 - 01),
    )
    .unwrap();
    assert_eq!(codes(&r), ["xa-b"]);
}

#[test]
fn a_bang_khen_climbs_to_the_province_and_a_state_form_on_to_bo_noi_vu() {
    let c = Catalogue::embedded();
    let chain = commune_chain();
    let r = route(
        &award(&c, "bang-khen-cap-tinh"),
        &chain,
        Some(&bnv()),
        date!(2026 - 03 - 01),
    )
    .unwrap();
    assert_eq!(
        codes(&r),
        ["can-tho.xa-a.van-phong", "can-tho.xa-a", "can-tho"]
    );
    let r = route(
        &award(&c, "bang-khen-thu-tuong"),
        &chain,
        Some(&bnv()),
        date!(2026 - 03 - 01),
    )
    .unwrap();
    assert_eq!(
        codes(&r),
        [
            "can-tho.xa-a.van-phong",
            "can-tho.xa-a",
            "can-tho",
            "bo-noi-vu"
        ]
    );
    let r = route(
        &award(&c, "huan-chuong-lao-dong-hang-ba"),
        &chain[2..],
        Some(&bnv()),
        date!(2026 - 03 - 01),
    )
    .unwrap();
    assert_eq!(codes(&r), ["can-tho", "bo-noi-vu"]);
}

#[test]
fn a_state_form_without_bo_noi_vu_in_the_tree_is_refused_by_name() {
    let c = Catalogue::embedded();
    let e = route(
        &award(&c, "bang-khen-thu-tuong"),
        &commune_chain(),
        None,
        date!(2026 - 03 - 01),
    )
    .unwrap_err();
    assert!(e.message().contains("bo-noi-vu"), "{e}");
}

#[test]
fn a_unit_with_no_commune_above_it_cannot_route_a_commune_award() {
    let c = Catalogue::embedded();
    let chain = vec![u(5, "so-x", L::Grassroots), u(10, "tinh", L::Province)];
    let e = route(
        &award(&c, "gia-dinh-van-hoa"),
        &chain,
        None,
        date!(2026 - 03 - 01),
    )
    .unwrap_err();
    assert!(e.message().contains("so-x"), "{e}");
}

#[test]
fn a_dossier_climbs_returns_and_comes_back_to_the_level_that_returned_it() {
    let s = State::new();
    let s = next(s, 3, &Act::Forward, &[]).unwrap();
    assert_eq!((s.status, s.step), (Status::Pending, 1));
    let s = next(s, 3, &Act::Forward, &[]).unwrap();
    assert_eq!((s.status, s.step), (Status::Pending, 2));
    let missing = vec!["Biên bản họp Hội đồng".to_owned()];
    let s = next(s, 3, &Act::Return { missing: &missing }, &[]).unwrap();
    assert_eq!((s.status, s.step, s.resume), (Status::Returned, 1, Some(2)));
    let s = next(s, 3, &Act::Forward, &[]).unwrap();
    assert_eq!((s.status, s.step, s.resume), (Status::Pending, 2, None));
    let s = next(s, 3, &Act::Forward, &[]).unwrap();
    assert_eq!((s.status, s.step), (Status::Ready, 2));
    let s = next(s, 3, &Act::Decide, &[]).unwrap();
    assert_eq!(s.status, Status::Decided);
}

#[test]
fn forward_is_refused_while_a_document_is_missing() {
    let e = next(
        State::new(),
        2,
        &Act::Forward,
        &["Tờ trình đề nghị khen thưởng (Mẫu số 01)"],
    )
    .unwrap_err();
    assert_eq!(e.field(), "documents");
    assert!(e.message().contains("Tờ trình"), "{e}");
}

#[test]
fn illegal_transitions_are_refused_with_the_state_named() {
    let draft = State::new();
    let missing = vec!["x".to_owned()];
    for act in [
        Act::Return { missing: &missing },
        Act::Reject { reasons: "r" },
        Act::Appraise {
            favourable: true,
            notes: "n",
        },
        Act::Decide,
    ] {
        let e = next(draft, 2, &act, &[]).unwrap_err();
        assert!(e.message().contains("đang lập"), "{e}");
    }
    let rejected = next(
        next(draft, 2, &Act::Forward, &[]).unwrap(),
        2,
        &Act::Reject {
            reasons: "không đủ tiêu chuẩn",
        },
        &[],
    )
    .unwrap();
    assert_eq!(rejected.status, Status::Rejected);
    assert!(next(rejected, 2, &Act::Forward, &[]).is_err());
    assert!(next(rejected, 2, &Act::Decide, &[]).is_err());
    // a return must say what is missing, a rejection why
    let pending = next(draft, 2, &Act::Forward, &[]).unwrap();
    assert_eq!(
        next(
            pending,
            2,
            &Act::Return {
                missing: &[" ".to_owned()]
            },
            &[]
        )
        .unwrap_err()
        .field(),
        "missing"
    );
    assert_eq!(
        next(pending, 2, &Act::Reject { reasons: "" }, &[])
            .unwrap_err()
            .field(),
        "reasons"
    );
}

#[test]
fn a_one_level_route_is_ready_as_soon_as_it_is_submitted() {
    let s = next(State::new(), 1, &Act::Forward, &[]).unwrap();
    assert_eq!((s.status, s.step), (Status::Ready, 0));
}

#[test]
fn the_regime_follows_the_day_the_dossier_was_received() {
    assert_eq!(Regime::for_received(date!(2025 - 06 - 30)), Regime::Nd98);
    assert_eq!(Regime::for_received(date!(2025 - 07 - 01)), Regime::Nd152);
    assert_eq!(Regime::parse(Regime::Nd98.code()).unwrap(), Regime::Nd98);
}

#[test]
fn the_checklist_of_cstd_toan_quoc_has_the_minutes_with_the_ballot_and_mau_13() {
    let c = Catalogue::embedded();
    let req = c.procedures().required(
        &award(&c, "chien-si-thi-dua-toan-quoc"),
        &["can-tho"],
        date!(2026 - 03 - 01),
    );
    let codes: Vec<&str> = req.iter().map(|r| r.kind.code.as_str()).collect();
    assert!(codes.contains(&"to-trinh"));
    assert!(codes.contains(&"bien-ban-hoi-dong-bo-phieu"));
    assert!(codes.contains(&"xac-nhan-sang-kien"));
    // Huân chương: minutes without the ballot result (Điều 38)
    let req = c.procedures().required(
        &award(&c, "huan-chuong-lao-dong-hang-ba"),
        &["can-tho"],
        date!(2026 - 03 - 01),
    );
    let codes: Vec<&str> = req.iter().map(|r| r.kind.code.as_str()).collect();
    assert!(codes.contains(&"bien-ban-hoi-dong") && !codes.contains(&"bien-ban-hoi-dong-bo-phieu"));
}

#[test]
fn bac_ninh_adds_its_own_document_inside_its_scope_only() {
    let c = Catalogue::embedded();
    let a = award(&c, "tap-the-lao-dong-xuat-sac");
    let has = |scope: &[&str], on| {
        c.procedures()
            .required(&a, scope, on)
            .iter()
            .any(|r| r.kind.code == "xac-nhan-nghia-vu-thue-bhxh")
    };
    assert!(has(
        &["bac-ninh.so-noi-vu", "bac-ninh"],
        date!(2026 - 03 - 01)
    ));
    assert!(!has(&["can-tho"], date!(2026 - 03 - 01)));
    // not before the decision took effect (15/12/2025)
    assert!(!has(&["bac-ninh"], date!(2025 - 12 - 01)));
}

fn due_of(
    award: &Award,
    steps: &[StepScope<'_>],
    state: State,
    arrived: Date,
    year: i32,
) -> Option<DueDate> {
    let r = Rules::embedded();
    due(
        r.catalogue().procedures(),
        r.calendar(),
        &DueInput {
            award,
            steps,
            state,
            year,
            arrived,
            procedure: super::Procedure::Regular,
            found_wanting: None,
        },
    )
    .unwrap()
}

#[test]
fn bo_noi_vu_has_20_working_days_and_tet_2026_does_not_count() {
    let c = Catalogue::embedded();
    let a = award(&c, "bang-khen-thu-tuong");
    let steps = [
        StepScope {
            class: L::Province,
            scope: &["can-tho"],
        },
        StepScope {
            class: L::HomeAffairs,
            scope: &["bo-noi-vu"],
        },
    ];
    let at_bnv = State {
        status: Status::Pending,
        step: 1,
        resume: None,
    };
    // Friday 06/02/2026; Tết holidays 14–22/02 skip a working week
    let d = due_of(&a, &steps, at_bnv, date!(2026 - 02 - 06), 2025).unwrap();
    assert_eq!(d.due, date!(2026 - 03 - 13));
    assert!(d.citation.contains("khoản 2 Điều 35"));
    assert!(
        d.explanation.iter().any(|l| l.contains("Tết")),
        "{:?}",
        d.explanation
    );
    // the province: 30 working days (khoản 3 Điều 35)
    let at_province = State {
        status: Status::Pending,
        step: 0,
        resume: None,
    };
    let d = due_of(&a, &steps, at_province, date!(2026 - 01 - 30), 2025).unwrap();
    assert_eq!(d.due, date!(2026 - 03 - 20));
}

#[test]
fn the_heaviest_orders_get_40_days_at_the_province() {
    let c = Catalogue::embedded();
    let steps = [
        StepScope {
            class: L::Province,
            scope: &["can-tho"],
        },
        StepScope {
            class: L::HomeAffairs,
            scope: &["bo-noi-vu"],
        },
    ];
    let s = State {
        status: Status::Pending,
        step: 0,
        resume: None,
    };
    let d = due_of(
        &award(&c, "huan-chuong-doc-lap-hang-ba"),
        &steps,
        s,
        date!(2026 - 03 - 02),
        2025,
    )
    .unwrap();
    assert!(d.explanation[0].contains("40"), "{:?}", d.explanation);
}

#[test]
fn bac_ninh_wants_annual_dossiers_at_the_province_by_10_december() {
    let c = Catalogue::embedded();
    let a = award(&c, "bang-khen-cap-tinh");
    let steps = [
        StepScope {
            class: L::Grassroots,
            scope: &["bac-ninh.so-giao-duc-dao-tao", "bac-ninh"],
        },
        StepScope {
            class: L::Province,
            scope: &["bac-ninh"],
        },
    ];
    let d = due_of(&a, &steps, State::new(), date!(2026 - 11 - 20), 2026).unwrap();
    assert_eq!(
        (d.due, d.kind),
        (date!(2026 - 12 - 10), DeadlineKind::SubmitBy)
    );
    let elsewhere = [
        StepScope {
            class: L::Grassroots,
            scope: &["can-tho.so-xay-dung", "can-tho"],
        },
        StepScope {
            class: L::Province,
            scope: &["can-tho"],
        },
    ];
    assert_eq!(
        due_of(&a, &elsewhere, State::new(), date!(2026 - 11 - 20), 2026),
        None
    );
    // once at the province, the cut-off no longer applies
    let there = State {
        status: Status::Pending,
        step: 1,
        resume: None,
    };
    assert_eq!(due_of(&a, &steps, there, date!(2026 - 12 - 01), 2026), None);
}

#[test]
fn a_refusal_notice_runs_from_the_appraisal_that_found_the_dossier_wanting() {
    let r = Rules::embedded();
    let c = r.catalogue();
    let a = award(c, "bang-khen-thu-tuong");
    let steps = [
        StepScope {
            class: L::Province,
            scope: &["can-tho"],
        },
        StepScope {
            class: L::HomeAffairs,
            scope: &["bo-noi-vu"],
        },
    ];
    let d = due(
        c.procedures(),
        r.calendar(),
        &DueInput {
            award: &a,
            steps: &steps,
            state: State {
                status: Status::Pending,
                step: 1,
                resume: None,
            },
            year: 2025,
            arrived: date!(2026 - 03 - 02),
            procedure: super::Procedure::Regular,
            found_wanting: Some(date!(2026 - 03 - 09)),
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        (d.kind, d.due),
        (DeadlineKind::Refusal, date!(2026 - 03 - 23))
    );
}

#[test]
fn a_documents_list_naming_an_undeclared_kind_is_refused_with_its_line() {
    let mut files = crate::catalogue::EMBEDDED.to_vec();
    files.push((
        "catalogue/x.toml",
        "[[deadline]]\nkind = \"handle\"\nlevels = [\"province\"]\nawards = [\"khong-co\"]\ndays = 5\ncitation = \"x\"\n",
    ));
    let e = Catalogue::load(&files).unwrap_err();
    assert!(
        e.iter()
            .any(|e| e.file == "catalogue/x.toml" && e.line == 1 && e.message.contains("khong-co")),
        "{e:?}"
    );
    let files = [(
        "catalogue/y.toml",
        "[[documents]]\nawards = []\nadd = []\ncitation = \"x\"\n",
    )];
    let e = Catalogue::load(&files).unwrap_err();
    assert!(e[0].message.contains("[overlay]"), "{e:?}");
}
