//! Role × route × scope (issue 12): every route of the app, GET and POST,
//! asked by every role (admin, officer, viewer, council member, submitter,
//! anonymous) about an object inside the account's subtree and one outside
//! it, each answer checked against the table below.
//!
//! The routes are read from the router's own source (every `.route(…)` of
//! `crates/web/src`, with the prefix of a `.nest(…)`), and each one found is
//! probed on the live app (an unrouted method answers 405, an unknown path
//! 404), so **a route added without a row here fails this test**, and so
//! does a row for a route that no longer exists.
//!
//! The accounts are the demo's: `canbo.cantho` (officer of Cần Thơ),
//! `xem.cantho` (viewer), `hoidong.cantho` (council member), `nop.xaydung.hg`
//! (submitter of Sở Xây dựng Hậu Giang). "Inside" objects sit in Sở Xây dựng
//! Hậu Giang, which since the 2025 merger lies in Cần Thơ's subtree (so the
//! officer, viewer and council member of Cần Thơ reach it only across the
//! merger); "outside" objects sit in Trà Vinh (merged into Vĩnh Long).
//!
//! Answers are classed as the gate sees them:
//! `P` passed the gate (2xx, a redirect other than to the login page, or a
//! refusal of the input: 409, 422…), `F` 403, `H` 404 (hidden: the same as
//! missing), `L` sign in first (401, or a redirect to `/login`).
//! Columns: admin, officer, viewer, council, submitter, anonymous.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::http::{Method, StatusCode};
use serde_json::json;
use tdkt_store::ballots::NewBallot;
use tdkt_web::testing::{Client, TestApp, TestResponse};

const ROLES: [&str; 6] = [
    "admin",
    "canbo.cantho",
    "xem.cantho",
    "hoidong.cantho",
    "nop.xaydung.hg",
    "",
];

#[derive(Clone, Copy)]
enum Body {
    /// No body.
    None,
    /// A form: every field name any form reads, empty, then these.
    Form(&'static [(&'static str, &'static str)]),
    /// A JSON body (tokens replaced).
    Json(&'static str),
    /// A multipart upload of an empty file.
    File,
}

struct Row {
    method: &'static str,
    route: &'static str,
    path: &'static str,
    body: Body,
    /// Is the object scope-protected (otherwise public, or none)?
    scoped: bool,
    inside: &'static str,
    outside: &'static str,
}

const fn r(
    method: &'static str,
    route: &'static str,
    path: &'static str,
    body: Body,
    scoped: bool,
    inside: &'static str,
    outside: &'static str,
) -> Row {
    Row {
        method,
        route,
        path,
        body,
        scoped,
        inside,
        outside,
    }
}

use Body::{File, Form, Json, None as NoBody};

const NO: &[(&str, &str)] = &[];
const GET: &str = "GET";
const POST: &str = "POST";

/// The table. Rows that change or end something the later rows need
/// (close, delete, remove, sign, logout) come last; each role runs on its
/// own database.
#[rustfmt::skip]
const ROWS: &[Row] = &[
    // public
    r(GET, "/static/app.css", "/static/app.css", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/static/app.js", "/static/app.js", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/login", "/login", NoBody, false, "PPPPPP", "PPPPPP"),
    // the user guide (issue 15): how the work is done, no unit's data
    r(GET, "/huong-dan", "/huong-dan", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/huong-dan/{trang}", "/huong-dan/can-bo-tdkt", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/huong-dan/anh/{tep}", "/huong-dan/anh/dang-nhap.png", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/xac-minh", "/xac-minh", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/xac-minh/khoa-cong-khai", "/xac-minh/khoa-cong-khai", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/xac-minh/khoa-cong-khai.pem", "/xac-minh/khoa-cong-khai.pem", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/xac-minh/tra-cuu", "/xac-minh/tra-cuu", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/xac-minh/{code}", "/xac-minh/{code}", NoBody, false, "HHHHHH", "HHHHHH"),
    r(POST, "/xac-minh/tep", "/xac-minh/tep", File, false, "PPPPPP", "PPPPPP"),
    r(GET, "/api/v1/openapi.json", "/api/v1/openapi.json", NoBody, false, "PPPPPP", "PPPPPP"),
    // home, me, audit
    r(GET, "/", "/", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/api/v1/me", "/api/v1/me", NoBody, false, "PPPPPL", "PPPPPL"),
    r(GET, "/admin/audit", "/admin/audit", NoBody, false, "PFFFFL", "PFFFFL"),
    r(GET, "/admin/rules", "/admin/rules", NoBody, false, "PFFFFL", "PFFFFL"),
    // units and lineage (units are public information)
    r(GET, "/units", "/units", NoBody, false, "PPPPPP", "PPPPPP"),
    r(POST, "/units", "/units", Form(&[("code", "{unit}.moi"), ("name", "Phòng mới"), ("kind", "phong"), ("parent", "{unit}"), ("valid_from", "01/01/2026")]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/units/{code}", "/units/{unit}", NoBody, false, "PPPPPP", "PPPPPP"),
    r(POST, "/units/lineage", "/units/lineage", Form(&[("kind", "rename"), ("effective", "01/01/2026"), ("from", "{unit}"), ("new_value", "Tên mới")]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/api/v1/units", "/api/v1/units", NoBody, false, "PPPPPP", "PPPPPP"),
    r(POST, "/api/v1/units", "/api/v1/units", Json(r#"{"code":"{unit}.api","name":"Phòng mới","kind":"phong","parent":"{unit}","valid_from":"01/01/2026"}"#), true, "PPFFFL", "PHFFFL"),
    r(GET, "/api/v1/units/{code}", "/api/v1/units/{unit}", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/api/v1/units/{code}/lineage", "/api/v1/units/{unit}/lineage", NoBody, false, "PPPPPP", "PPPPPP"),
    r(POST, "/api/v1/lineage", "/api/v1/lineage", Json(r#"{"kind":"rename","effective":"01/01/2026","from":"{unit}","new_value":"Tên mới"}"#), true, "PPFFFL", "PHFFFL"),
    // people
    r(GET, "/people", "/people?unit={unit}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/people", "/people", Form(&[("full_name", "Nguyễn Văn Mới"), ("gender", "male"), ("birth_date", "01/01/1990"), ("cccd", "093090123456"), ("unit", "{unit}")]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/people/{id}", "/people/{person}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/people/{id}/move", "/people/{person}/move", Form(&[("unit", "{unit}"), ("from", "01/01/2026")]), true, "PPFFFL", "PHHHHL"),
    r(POST, "/people/{id}/positions", "/people/{person}/positions", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(POST, "/people/{id}/positions/{pid}", "/people/{person}/positions/{missing}", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(POST, "/people/{id}/positions/{pid}/delete", "/people/{person}/positions/{missing}/delete", Form(NO), true, "HHFFFL", "HHHHHL"),
    r(GET, "/api/v1/people", "/api/v1/people?unit={unit}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/api/v1/people", "/api/v1/people", Json(r#"{"full_name":"Nguyễn Văn Mới","gender":"male","birth_date":"01/01/1990","cccd":"093090654321","unit":"{unit}"}"#), true, "PPFFFL", "PHFFFL"),
    r(GET, "/api/v1/people/{id}", "/api/v1/people/{person}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/api/v1/people/{id}/move", "/api/v1/people/{person}/move", Json(r#"{"unit":"{unit}","from":"01/01/2026"}"#), true, "PPFFFL", "PHHHHL"),
    r(GET, "/people/{id}/awards", "/people/{person}/awards", NoBody, true, "PPPPPL", "PHHHHL"),
    // eligibility and its inputs
    r(GET, "/people/{id}/eligibility", "/people/{person}/eligibility", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/people/{id}/ratings", "/people/{person}/ratings", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(POST, "/people/{id}/discipline", "/people/{person}/discipline", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(POST, "/people/{id}/initiatives", "/people/{person}/initiatives", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(POST, "/people/{id}/evaluations", "/people/{person}/evaluations", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(POST, "/people/{id}/discipline/{rid}/void", "/people/{person}/discipline/{missing}/void", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(POST, "/people/{id}/initiatives/{rid}/void", "/people/{person}/initiatives/{missing}/void", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(GET, "/units/{code}/eligibility", "/units/{unit}/eligibility", NoBody, true, "PPPPPL", "PHHHHL"),
    r(GET, "/api/v1/people/{id}/eligibility", "/api/v1/people/{person}/eligibility", NoBody, true, "PPPPPL", "PHHHHL"),
    r(GET, "/api/v1/units/{code}/eligibility", "/api/v1/units/{unit}/eligibility", NoBody, true, "PPPPPL", "PHHHHL"),
    // awards, search, certificates, revocation, import
    r(GET, "/search", "/search?unit={unit}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(GET, "/api/v1/search", "/api/v1/search?unit={unit}", NoBody, true, "PPPPPL", "PHHHHL"),
    // a unit is public; its award list shows only the rows in the caller's scope
    r(GET, "/units/{code}/awards", "/units/{unit}/awards", NoBody, false, "PPPPPL", "PPPPPL"),
    r(GET, "/awards/{id}", "/awards/{award}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(GET, "/awards/{id}/certificate.pdf", "/awards/{award}/certificate.pdf", NoBody, true, "PPFFFL", "PHHHHL"),
    r(GET, "/awards/certificates.pdf", "/awards/certificates.pdf?decision={decision}", NoBody, true, "PPFFFL", "PHFFFL"),
    r(GET, "/awards/{id}/revoke", "/awards/{award}/revoke", NoBody, true, "PPFFFL", "PHHHHL"),
    r(POST, "/awards/{id}/revoke", "/awards/{award}/revoke", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(GET, "/awards/{id}/correct", "/awards/{award}/correct", NoBody, true, "PPFFFL", "PHHHHL"),
    r(POST, "/awards/{id}/correct", "/awards/{award}/correct", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(GET, "/awards/import", "/awards/import", NoBody, false, "PPFFFL", "PPFFFL"),
    r(GET, "/awards/import/template.xlsx", "/awards/import/template.xlsx", NoBody, false, "PPFFFL", "PPFFFL"),
    r(POST, "/awards/import", "/awards/import", File, false, "PPFFFL", "PPFFFL"),
    r(GET, "/awards/import/{id}", "/awards/import/{missing}", NoBody, false, "HHFFFL", "HHFFFL"),
    r(GET, "/awards/import/{id}/progress", "/awards/import/{missing}/progress", NoBody, false, "HHFFFL", "HHFFFL"),
    r(GET, "/awards/import/{id}/errors", "/awards/import/{missing}/errors", NoBody, false, "HHFFFL", "HHFFFL"),
    // proposal lists
    r(GET, "/units/{code}/proposals", "/units/{unit}/proposals", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/units/{code}/proposals", "/units/{unit}/proposals", Form(&[("year", "2024"), ("award", "lao-dong-tien-tien"), ("kind", "person")]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/units/{code}/proposals/{id}", "/units/{unit}/proposals/{list}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/units/{code}/proposals/{id}/entries", "/units/{unit}/proposals/{list}/entries", Form(&[("nominee", "{person}")]), true, "PPFFFL", "PHFFFL"),
    r(POST, "/units/{code}/proposals/{id}/entries/{entry}/vote", "/units/{unit}/proposals/{list}/entries/{entry}/vote", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(GET, "/api/v1/units/{code}/proposals/{id}", "/api/v1/units/{unit}/proposals/{list}", NoBody, true, "PPPPPL", "PHHHHL"),
    // ballots
    r(GET, "/ballots", "/ballots", NoBody, false, "PPPPPL", "PPPPPL"),
    r(POST, "/ballots", "/ballots", Form(&[("unit", "{unit}"), ("title", "Bình xét"), ("candidates", "a"), ("quorum_num", "1"), ("quorum_den", "2"), ("percent", "50")]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/ballots/{id}", "/ballots/{ballot}", NoBody, true, "PPHHHL", "PHHHHL"),
    // dossiers (inside: a Bằng khen Thủ tướng dossier opened by Sở Xây dựng
    // Cần Thơ; outside: one opened in Vĩnh Long)
    r(GET, "/dossiers", "/dossiers", NoBody, false, "PPPPFL", "PPPPFL"),
    r(GET, "/dossiers/new", "/dossiers/new", NoBody, false, "PPFFFL", "PPFFFL"),
    r(GET, "/dossiers/{id}", "/dossiers/{dossier}", NoBody, true, "PPPPFL", "PHHHFL"),
    r(GET, "/dossiers/{id}/files/{file}", "/dossiers/{dossier}/files/{missing}", NoBody, true, "HHHHFL", "HHHHFL"),
    r(POST, "/dossiers", "/dossiers", Form(NO), false, "PPFFFL", "PPFFFL"),
    r(POST, "/dossiers/from-list", "/dossiers/from-list", Form(NO), false, "PPFFFL", "PPFFFL"),
    r(POST, "/dossiers/{id}/act", "/dossiers/{dossier}/act", Form(NO), true, "PPFFFL", "PHHHFL"),
    r(POST, "/dossiers/{id}/files", "/dossiers/{dossier}/files", File, true, "PPFFFL", "PHHHFL"),
    r(GET, "/dossiers/{id}/report", "/dossiers/{dossier}/report", NoBody, true, "PPFFFL", "PHHHFL"),
    r(POST, "/dossiers/{id}/report", "/dossiers/{dossier}/report", Form(NO), true, "PPFFFL", "PHHHFL"),
    // councils (inside: the council of Sở Xây dựng Cần Thơ, whose draft
    // dossier is on a session's agenda; outside: Vĩnh Long's)
    r(GET, "/councils/{unit}", "/councils/{council}", NoBody, true, "PPPPFL", "PHHHFL"),
    r(POST, "/councils/{unit}/members", "/councils/{council}/members", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(POST, "/councils/{unit}/members/{id}/end", "/councils/{council}/members/{cmember}/end", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(GET, "/councils/{unit}/sessions/new", "/councils/{council}/sessions/new", NoBody, true, "PPFFFL", "PHFFFL"),
    r(GET, "/councils/{unit}/sessions", "/councils/{council}/sessions", NoBody, true, "PPPPFL", "PHHHFL"),
    r(POST, "/councils/{unit}/sessions", "/councils/{council}/sessions", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(GET, "/council-sessions/{id}", "/council-sessions/{csession}", NoBody, true, "PPPPFL", "PHHHFL"),
    r(POST, "/council-sessions/{id}/attendance", "/council-sessions/{csession}/attendance", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(POST, "/council-sessions/{id}/open", "/council-sessions/{csession}/open", NoBody, true, "PPFFFL", "PHFFFL"),
    r(GET, "/council-sessions/{id}/minutes", "/council-sessions/{csession}/minutes", NoBody, true, "HHHHFL", "HHHHFL"),
    r(GET, "/council-sessions/{id}/minutes.docx", "/council-sessions/{csession}/minutes.docx", NoBody, true, "HHHHFL", "HHHHFL"),
    // public disclosure (inside: the dossier above published by Sở Xây
    // dựng Cần Thơ with a pending comment; outside: one of Vĩnh Long)
    r(GET, "/cong-khai", "/cong-khai", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/cong-khai/{id}", "/cong-khai/{disclosure}", NoBody, false, "PPPPPP", "PPPPPP"),
    r(POST, "/cong-khai/{id}/y-kien", "/cong-khai/{disclosure}/y-kien", Form(&[("dossier", "{dossier}"), ("comment", "Ý kiến góp ý")]), false, "PPPPPP", "PPPPPP"),
    r(GET, "/disclosures", "/disclosures", NoBody, false, "PPFFFL", "PPFFFL"),
    r(GET, "/disclosures/new", "/disclosures/new", NoBody, false, "PPFFFL", "PPFFFL"),
    r(POST, "/disclosures", "/disclosures", Form(&[("dossier", "{dossier}")]), true, "PPFFFL", "PHFFFL"),
    r(POST, "/disclosures/comments/{id}", "/disclosures/comments/{comment}", Form(&[("decision", "dismiss")]), true, "PPFFFL", "PHFFFL"),
    // decisions and the fund (inside: the demo's decision of Cần Thơ;
    // outside: no decision of another authority exists, so a missing one)
    r(GET, "/decisions", "/decisions", NoBody, false, "PPPPFL", "PPPPFL"),
    r(GET, "/decisions/new", "/decisions/new", NoBody, false, "PPFFFL", "PPFFFL"),
    r(GET, "/decisions/template.xlsx", "/decisions/template.xlsx", NoBody, false, "PPFFFL", "PPFFFL"),
    r(GET, "/decisions/{id}", "/decisions/{qd}", NoBody, true, "PPPPFL", "HHHHHL"),
    r(GET, "/decisions/{id}/quyet-dinh.docx", "/decisions/{qd}/quyet-dinh.docx", NoBody, true, "PPPPFL", "HHHHHL"),
    r(POST, "/decisions", "/decisions", Form(NO), false, "HHFFFL", "HHFFFL"),
    r(POST, "/decisions/{id}/issue", "/decisions/{qd}/issue", Form(NO), true, "PPFFFL", "HHHHHL"),
    // drafts: inside, the demo's decision is issued, so an edit or delete
    // passes the gate and is refused (409)
    r(POST, "/decisions/upload", "/decisions/upload", File, false, "HHFFFL", "HHFFFL"),
    r(GET, "/decisions/{id}/edit", "/decisions/{qd}/edit", NoBody, true, "PPFFFL", "HHHHHL"),
    r(POST, "/decisions/{id}/edit", "/decisions/{qd}/edit", File, true, "PPFFFL", "HHHHHL"),
    r(POST, "/decisions/{id}/delete", "/decisions/{qd}/delete", Form(NO), true, "PPFFFL", "HHHHHL"),
    r(GET, "/fund", "/fund", NoBody, false, "PPPPFL", "PPPPFL"),
    r(GET, "/fund/so-quy.xlsx", "/fund/so-quy.xlsx", NoBody, false, "PPFFFL", "PPFFFL"),
    r(POST, "/fund/receipts", "/fund/receipts", Form(NO), false, "PPFFFL", "PPFFFL"),
    r(POST, "/ballots/{id}/vote", "/ballots/{ballot}/vote", Form(NO), true, "PPHHHL", "PHHHHL"),
    r(GET, "/ballots/{id}/minutes", "/ballots/{ballot}/minutes", NoBody, true, "PPHHHL", "PHHHHL"),
    r(GET, "/ballots/{id}/minutes/{format}", "/ballots/{ballot}/minutes/docx", NoBody, true, "HHHHHL", "HHHHHL"),
    r(GET, "/receipts", "/receipts", NoBody, false, "PPPPPL", "PPPPPL"),
    r(GET, "/api/v1/ballots", "/api/v1/ballots", NoBody, false, "PPPPPL", "PPPPPL"),
    r(POST, "/api/v1/ballots", "/api/v1/ballots", Json(r#"{"unit":"{unit}","title":"Bình xét","question":{"kind":"yes-no"},"candidates":[],"voters":[],"quorum":{"num":1,"den":2},"threshold":{"percent":50,"base":"eligible"}}"#), true, "PPFFFL", "PHFFFL"),
    r(GET, "/api/v1/ballots/{id}", "/api/v1/ballots/{ballot}", NoBody, true, "PPHHHL", "PHHHHL"),
    r(POST, "/api/v1/ballots/{id}/votes", "/api/v1/ballots/{ballot}/votes", Json(r#"{"kind":"yes-no","marks":{}}"#), true, "PPHHHL", "PHHHHL"),
    r(GET, "/api/v1/ballots/{id}/result", "/api/v1/ballots/{ballot}/result", NoBody, true, "PPHHHL", "PHHHHL"),
    r(GET, "/api/v1/receipts/{code}", "/api/v1/receipts/{code}", NoBody, false, "PPPPPL", "PPPPPL"),
    // clusters
    r(GET, "/clusters", "/clusters", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/clusters/new", "/clusters/new", NoBody, false, "PPFFFL", "PPFFFL"),
    r(POST, "/clusters/new", "/clusters/new", Form(&[("name", "Cụm mới"), ("key", "cum-moi"), ("year", "2024"), ("kind", "cluster"), ("organizer", "{unit}")]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/clusters/{key}/{year}", "/clusters/{cluster}", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/clusters/{key}/{year}/setup", "/clusters/{cluster}/setup", NoBody, true, "PPFFFL", "PHFFFL"),
    r(POST, "/clusters/{key}/{year}/setup/general", "/clusters/{cluster}/setup/general", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(POST, "/clusters/{key}/{year}/setup/members", "/clusters/{cluster}/setup/members", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(POST, "/clusters/{key}/{year}/setup/regulation", "/clusters/{cluster}/setup/regulation", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(POST, "/clusters/{key}/{year}/setup/documents", "/clusters/{cluster}/setup/documents", File, true, "PPFFFL", "PHFFFL"),
    r(GET, "/clusters/{key}/{year}/documents/{id}", "/clusters/{cluster}/documents/{missing}", NoBody, false, "HHHHHL", "HHHHHL"),
    r(POST, "/clusters/{key}/{year}/setup/indicators", "/clusters/{cluster}/setup/indicators", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(POST, "/clusters/{key}/{year}/setup/targets", "/clusters/{cluster}/setup/targets", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(POST, "/clusters/{key}/{year}/setup/deadline", "/clusters/{cluster}/setup/deadline", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(GET, "/clusters/{key}/{year}/submit/{unit}", "/clusters/{cluster}/submit/{cunit}", NoBody, true, "PPFFPL", "PHFFHL"),
    r(POST, "/clusters/{key}/{year}/submit/{unit}", "/clusters/{cluster}/submit/{cunit}", Form(NO), true, "PPFFPL", "PHFFHL"),
    r(GET, "/clusters/{key}/{year}/review", "/clusters/{cluster}/review", NoBody, true, "PPFFFL", "PHFFFL"),
    r(POST, "/clusters/{key}/{year}/review", "/clusters/{cluster}/review", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(GET, "/clusters/{key}/{year}/export/{format}", "/clusters/{cluster}/export/docx", NoBody, true, "PPFFFL", "PHFFFL"),
    r(GET, "/clusters/{key}/{year}/template.xlsx", "/clusters/{cluster}/template.xlsx", NoBody, true, "PPFFPL", "PHFFHL"),
    r(GET, "/clusters/{key}/{year}/upload", "/clusters/{cluster}/upload", NoBody, true, "PPFFPL", "PHFFHL"),
    r(POST, "/clusters/{key}/{year}/upload", "/clusters/{cluster}/upload", File, true, "PPFFPL", "PHFFHL"),
    // movements
    r(GET, "/movements", "/movements", NoBody, false, "PPPPPP", "PPPPPP"),
    r(GET, "/movements/new", "/movements/new", NoBody, false, "PPFFFL", "PPFFFL"),
    r(POST, "/movements/new", "/movements/new", Form(&[("name", "Phong trào mới"), ("code", "pt-moi"), ("kind", "thematic"), ("starts", "2026-01-01T00:00"), ("ends", "2026-12-31T00:00"), ("unit", "{unit}")]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/movements/{code}", "/movements/{movement}", NoBody, false, "PPPPPP", "PPPPPP"),
    r(POST, "/movements/{code}/register", "/movements/{movement}/register", Form(&[("unit", "{unit}")]), true, "PPFFPL", "PHFFHL"),
    r(POST, "/movements/{code}/documents", "/movements/{movement}/documents", File, true, "PPFFFL", "PHFFFL"),
    r(GET, "/movements/{code}/documents/{id}", "/movements/{movement}/documents/{missing}", NoBody, false, "HHHHHL", "HHHHHL"),
    // scoring
    r(GET, "/scoring", "/scoring", NoBody, false, "PPPPPL", "PPPPPL"),
    r(POST, "/scoring/rubrics", "/scoring/rubrics", Form(&[("code", "{rubric}"), ("title", "Bảng tiêu chí"), ("json", r#"[{"code":"1","title":"Mục một","max":"10","kind":"manual"}]"#)]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/scoring/rubrics", "/scoring/rubrics", NoBody, false, "PPFFFL", "PPFFFL"),
    r(GET, "/scoring/rubric-template.xlsx", "/scoring/rubric-template.xlsx", NoBody, false, "PPFFFL", "PPFFFL"),
    r(GET, "/scoring/rubrics/{code}", "/scoring/rubrics/{rubric}", NoBody, false, "PPPPPL", "PPPPPL"),
    r(GET, "/scoring/rubrics/{code}/{version}/xlsx", "/scoring/rubrics/{rubric}/1/xlsx", NoBody, false, "PPPPPL", "PPPPPL"),
    r(GET, "/scoring/rubrics/{code}/{version}/json", "/scoring/rubrics/{rubric}/1/json", NoBody, false, "PPPPPL", "PPPPPL"),
    r(GET, "/api/v1/rubrics/{code}", "/api/v1/rubrics/{rubric}", NoBody, false, "PPPPPL", "PPPPPL"),
    r(POST, "/scoring/rounds", "/scoring/rounds", Form(&[("unit", "{unit}"), ("title", "Đợt mới"), ("rubric", "{rubric}@1"), ("members", "{unit}"), ("leader", "{unit}"), ("aggregation", "mean"), ("trim", "0"), ("basis", "cross")]), true, "PPFFFL", "PHFFFL"),
    r(GET, "/scoring/rounds/{id}", "/scoring/rounds/{round}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/scoring/rounds/{id}/self", "/scoring/rounds/{round}/self", Form(NO), true, "FPFFPL", "FHHHHL"),
    r(POST, "/scoring/rounds/{id}/cross", "/scoring/rounds/{round}/cross", Form(NO), true, "FPFFPL", "FHHHHL"),
    r(POST, "/scoring/rounds/{id}/adjust", "/scoring/rounds/{round}/adjust", Form(&[("member", "{unit}"), ("delta", "1"), ("reason", "Điều chỉnh theo biên bản")]), true, "FPFFFL", "FHHHHL"),
    r(GET, "/scoring/rounds/{id}/proposals", "/scoring/rounds/{round}/proposals", NoBody, true, "PPPPPL", "PHHHHL"),
    r(POST, "/scoring/rounds/{id}/proposals", "/scoring/rounds/{round}/proposals", Form(NO), true, "PPFFFL", "PHHHHL"),
    r(GET, "/api/v1/scoring/rounds/{id}", "/api/v1/scoring/rounds/{round}", NoBody, true, "PPPPPL", "PHHHHL"),
    r(GET, "/api/v1/scoring/rounds/{id}/nominations", "/api/v1/scoring/rounds/{round}/nominations", NoBody, true, "PPPPPL", "PHHHHL"),
    r(GET, "/api/v1/nominations", "/api/v1/nominations", NoBody, false, "PPFFFL", "PPFFFL"),
    // last: what closes, removes or ends
    r(POST, "/units/{code}/proposals/{id}/submit", "/units/{unit}/proposals/{list}/submit", NoBody, true, "PPFFFL", "PHFFFL"),
    r(POST, "/units/{code}/proposals/{id}/entries/{entry}/delete", "/units/{unit}/proposals/{list}/entries/{entry}/delete", NoBody, true, "PPFFFL", "PHFFFL"),
    r(POST, "/ballots/{id}/close", "/ballots/{ballot}/close", NoBody, true, "PPHHHL", "PHHHHL"),
    r(POST, "/council-sessions/{id}/close", "/council-sessions/{csession}/close", NoBody, true, "PPFFFL", "PHFFFL"),
    r(POST, "/api/v1/ballots/{id}/close", "/api/v1/ballots/{ballot}/close", NoBody, true, "PPHHHL", "PHHHHL"),
    r(POST, "/scoring/rounds/{id}/close", "/scoring/rounds/{round}/close", NoBody, true, "PPFFFL", "PHHHHL"),
    r(POST, "/clusters/{key}/{year}/setup/members/{unit}/remove", "/clusters/{cluster}/setup/members/{cunit}/remove", NoBody, true, "PPFFFL", "PHFFFL"),
    r(POST, "/clusters/{key}/{year}/setup/sign", "/clusters/{cluster}/setup/sign", Form(NO), true, "PPFFFL", "PHFFFL"),
    r(POST, "/login", "/login", Form(&[("username", "khong-ai"), ("password", "sai")]), false, "PPPPPP", "PPPPPP"),
    r(POST, "/logout", "/logout", NoBody, false, "PPPPPP", "PPPPPP"),
];

/// Every field name a form of the app reads, sent empty unless a row sets
/// it, so that each form deserializes and the handler's own gate answers.
const FIELDS: &[&str] = &[
    "achievement",
    "acted_on",
    "action",
    "author",
    "aggregation",
    "amount",
    "authority",
    "award",
    "ballot",
    "base",
    "bases",
    "basis",
    "birth_date",
    "cccd",
    "cluster",
    "code",
    "comment",
    "contact",
    "context",
    "decided_on",
    "decision",
    "decision_date",
    "decision_no",
    "delta",
    "description",
    "dossier",
    "effective",
    "effective_on",
    "ends_on",
    "entry_date",
    "facts",
    "favourable",
    "from",
    "full_name",
    "gender",
    "ground",
    "held_on",
    "is_leader",
    "json",
    "kind",
    "level",
    "list",
    "member",
    "minutes_ref",
    "missing",
    "months",
    "name",
    "new_value",
    "next",
    "nominee",
    "note",
    "notes",
    "number",
    "one_award",
    "parent",
    "password",
    "period",
    "place",
    "position",
    "present",
    "rating",
    "reason",
    "reasons",
    "received_on",
    "recipient",
    "recipients",
    "recognised_on",
    "report_date",
    "report_text",
    "role",
    "rows",
    "rules",
    "scope",
    "signer_name",
    "signer_title",
    "source",
    "starts_on",
    "title",
    "to",
    "track",
    "unit",
    "username",
    "valid_from",
    "valid_to",
    "xlsx_b64",
    "year",
    "yes",
];

// ---- the routes, from the router's source ----

/// `(method, path)` of every `.route(…)` in `crates/web/src`, with the
/// prefix of the `.nest(prefix, module::router())` that mounts its module.
fn declared_routes() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let module = p.file_stem().unwrap().to_string_lossy().into_owned();
            (module, std::fs::read_to_string(p).expect("read"))
        })
        .collect();
    let mut prefixes = BTreeMap::new();
    for (_, text) in &texts {
        for args in calls(text, ".nest(") {
            let prefix = first_literal(&args).expect("nest prefix");
            let module = args
                .split("::router")
                .next()
                .and_then(|a| a.rsplit([',', ' ', '\n']).next())
                .expect("nested module")
                .trim()
                .to_owned();
            prefixes.insert(module, prefix);
        }
    }
    let mut out = BTreeSet::new();
    for (module, text) in &texts {
        let prefix = prefixes.get(module).cloned().unwrap_or_default();
        for args in calls(text, ".route(") {
            let path = first_literal(&args).expect("route path");
            let rest = &args[args.find(&format!("\"{path}\"")).unwrap() + path.len() + 2..];
            for m in ["get", "post", "put", "patch", "delete"] {
                let needle = format!("{m}(");
                let mut from = 0;
                while let Some(i) = rest[from..].find(&needle) {
                    let at = from + i;
                    let before = rest[..at].chars().last();
                    if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                        out.insert((m.to_uppercase(), format!("{prefix}{path}")));
                    }
                    from = at + needle.len();
                }
            }
        }
    }
    out
}

/// The argument text of every call `opening…)` in `text`.
fn calls(text: &str, opening: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(opening) {
        let start = from + i + opening.len();
        let (mut depth, mut in_str, mut esc) = (1, false, false);
        let mut end = start;
        for (j, c) in text[start..].char_indices() {
            if in_str {
                match (esc, c) {
                    (true, _) => esc = false,
                    (false, '\\') => esc = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + j;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(text[start..end].to_owned());
        from = end;
    }
    out
}

fn first_literal(args: &str) -> Option<String> {
    let a = args.find('"')?;
    let b = args[a + 1..].find('"')?;
    Some(args[a + 1..a + 1 + b].to_owned())
}

// ---- the objects ----

type Objects = BTreeMap<&'static str, String>;

fn ok(r: &TestResponse, what: &str) {
    assert!(
        r.status == StatusCode::SEE_OTHER || r.status == StatusCode::CREATED,
        "{what}: {} {}",
        r.status,
        r.body
    );
}

fn tail_id(r: &TestResponse) -> String {
    r.landing()
        .and_then(|l| l.rsplit('/').next())
        .expect("location")
        .to_owned()
}

/// The objects inside (Sở Xây dựng Hậu Giang, in Cần Thơ since 2025) and
/// outside (Trà Vinh) every non-admin account's subtree, made by the admin.
async fn objects(app: &TestApp) -> (Objects, Objects) {
    let s = &app.db.store;
    let mut admin = app.login("admin").await;
    let mut all = Vec::new();
    for (side, unit, cccd, member2) in [
        (
            "in",
            "hau-giang.so-xay-dung",
            "093182124906",
            "hau-giang.so-noi-vu",
        ),
        ("out", "tra-vinh", "084183441046", "ben-tre"),
    ] {
        let mut o = Objects::new();
        o.insert("unit", unit.to_owned());
        o.insert("cunit", unit.to_owned());
        let person = s.person_by_cccd(cccd).await.unwrap().unwrap();
        o.insert("person", person.id.to_string());
        let award = s.person_awards(person.id).await.unwrap().remove(0);
        o.insert("award", award.id.to_string());
        o.insert(
            "decision",
            form_urlencoded::byte_serialize(award.decision_no.as_bytes()).collect(),
        );
        o.insert("missing", "987654".into());
        // a dossier opened today for the person by a unit in being
        let opener = if side == "in" {
            "can-tho.so-xay-dung"
        } else {
            "vinh-long"
        };
        let dossier = s
            .create_dossier(
                "test",
                &tdkt_store::dossiers::NewDossier {
                    unit_id: s.unit_by_code(opener).await.unwrap().id,
                    award_code: "bang-khen-thu-tuong".into(),
                    kind: tdkt_core::catalogue::Recipient::Individual,
                    year: 2025,
                    title: String::new(),
                    received_on: tdkt_core::date::today_vn(),
                    recipients: vec![tdkt_store::dossiers::NewRecipient::Person(person.id)],
                    track: tdkt_core::dossier::Track::Regular,
                    acted_on: None,
                    facts: Vec::new(),
                },
            )
            .await
            .unwrap();
        o.insert("dossier", dossier.to_string());
        // the opener's council, one member, a session with the dossier
        let (opener_id, member) = (
            s.unit_by_code(opener).await.unwrap().id,
            if side == "in" {
                "hoidong.cantho"
            } else {
                "cum.tra-vinh"
            },
        );
        let m =
            tdkt_store::councils::NewMember::parse(member, "uy-vien", "01/07/2025", "").unwrap();
        let cmember = s.add_council_member("test", opener_id, &m).await.unwrap();
        o.insert("cmember", cmember.to_string());
        let cs = s
            .create_council_session(
                "test",
                &tdkt_store::councils::NewSession {
                    unit_id: opener_id,
                    held_on: tdkt_core::date::today_vn(),
                    place: "Hội trường".into(),
                    dossiers: vec![dossier],
                },
            )
            .await
            .unwrap();
        o.insert("council", opener.to_owned());
        o.insert("csession", cs.to_string());
        // published for comment today, with one pending comment
        let root = tdkt_core::access::Principal {
            user_id: 0,
            username: "admin".into(),
            full_name: "admin".into(),
            role: tdkt_core::access::Role::Admin,
            scope_unit: None,
        };
        let today = tdkt_core::date::today_vn();
        let disclosure = s
            .publish_disclosure(
                &root,
                &tdkt_store::disclosures::NewDisclosure {
                    title: "Công khai".into(),
                    starts_on: today,
                    ends_on: None,
                    dossiers: vec![(dossier, String::new())],
                },
                today,
            )
            .await
            .unwrap();
        o.insert("disclosure", disclosure.to_string());
        let comment =
            tdkt_core::dossier::disclosure::NewComment::parse(None, None, "Ý kiến").unwrap();
        let posted = s
            .post_comment(
                disclosure,
                dossier,
                &comment,
                "matrix",
                time::OffsetDateTime::now_utc(),
            )
            .await
            .unwrap();
        let tdkt_store::disclosures::Posted::Stored(comment) = posted else {
            panic!("throttled")
        };
        o.insert("comment", comment.to_string());
        let qd = if side == "in" {
            s.decisions(false, None).await.unwrap()[0].id.to_string()
        } else {
            "987654".into()
        };
        o.insert("qd", qd);
        o.insert("code", "KHONGCO".into());
        // Ballots and rounds are opened today, so in units in being (issue
        // 12 item 9): inside, the successor of Sở Xây dựng Hậu Giang;
        // outside, Vĩnh Long (Trà Vinh's successor).
        let live = if side == "in" {
            "can-tho.so-xay-dung"
        } else {
            "vinh-long"
        };
        // a ballot whose only voter is the unit's cluster account
        let voter = if side == "in" {
            "cum.hau-giang"
        } else {
            "cum.tra-vinh"
        };
        let b = s
            .create_ballot(
                "test",
                &NewBallot {
                    unit_code: live.into(),
                    context: String::new(),
                    spec: tdkt_core::ballot::BallotSpec {
                        title: format!("Bỏ phiếu {side}"),
                        question: tdkt_core::ballot::Question::YesNo,
                        candidates: vec![tdkt_core::ballot::Candidate {
                            id: tdkt_core::scoring::MemberId("a".into()),
                            name: "A".into(),
                            threshold: None,
                        }],
                        eligible: 0,
                        quorum: tdkt_core::ballot::Quorum { num: 1, den: 2 },
                        threshold: tdkt_core::ballot::Threshold::new(
                            rust_decimal::Decimal::from(50),
                            tdkt_core::ballot::Base::Eligible,
                        ),
                    },
                    voters: vec![voter.into()],
                    cluster_id: None,
                },
            )
            .await
            .unwrap();
        o.insert("ballot", b.id.to_string());
        // a rubric owned by the unit and a round of it; inside, the members
        // are the scope units of the viewer, council member and submitter
        let rubric = format!("bang-{side}");
        let r = admin
            .post_form(
                "/scoring/rubrics",
                &[
                    ("code", &rubric),
                    ("title", "Bảng tiêu chí"),
                    (
                        "json",
                        r#"[{"code":"1","title":"Mục một","max":"10","kind":"manual"}]"#,
                    ),
                    ("unit", unit),
                ],
            )
            .await;
        ok(&r, "rubric");
        let members = if side == "in" {
            "can-tho, hau-giang.so-xay-dung, soc-trang"
        } else {
            "tra-vinh, ben-tre"
        };
        let leader = members.split(", ").next().unwrap();
        let r = admin
            .post_form(
                "/scoring/rounds",
                &[
                    ("unit", live),
                    ("title", "Đợt chấm điểm"),
                    ("rubric", &format!("{rubric}@1")),
                    ("members", members),
                    ("leader", leader),
                    ("aggregation", "mean"),
                    ("trim", "0"),
                    ("basis", "cross"),
                ],
            )
            .await;
        ok(&r, "round");
        o.insert("round", tail_id(&r));
        o.insert("rubric", rubric);
        // a cluster organised by the unit, of two members
        let key = format!("cum-{side}");
        let r = admin
            .post_form(
                "/clusters/new",
                &[
                    ("name", "Cụm thi đua"),
                    ("key", &key),
                    ("year", "2024"),
                    ("kind", "cluster"),
                    ("organizer", unit),
                ],
            )
            .await;
        ok(&r, "cluster");
        for m in [unit, member2] {
            let r = admin
                .post_form(
                    &format!("/clusters/{key}/2024/setup/members"),
                    &[("unit", m)],
                )
                .await;
            ok(&r, "member");
        }
        o.insert("cluster", format!("{key}/2024"));
        // a movement launched by the unit
        let code = format!("phong-trao-{side}");
        let r = admin
            .post_form(
                "/movements/new",
                &[
                    ("name", "Phong trào thi đua"),
                    ("code", &code),
                    ("kind", "thematic"),
                    ("starts", "2024-01-01T00:00"),
                    ("ends", "2024-12-31T00:00"),
                    ("unit", unit),
                    ("scope", unit),
                    ("description", ""),
                ],
            )
            .await;
        ok(&r, "movement");
        o.insert("movement", code);
        // a proposal list of the unit with its person on it
        let r = admin
            .post_form(
                &format!("/units/{unit}/proposals"),
                &[
                    ("year", "2024"),
                    ("award", "lao-dong-tien-tien"),
                    ("kind", "person"),
                ],
            )
            .await;
        ok(&r, "list");
        let list = tail_id(&r);
        let r = admin
            .post_form(
                &format!("/units/{unit}/proposals/{list}/entries"),
                &[("nominee", &person.id.to_string())],
            )
            .await;
        ok(&r, "entry");
        let l = s.proposal_list(list.parse().unwrap()).await.unwrap();
        let entry = s.proposal_entries(l.id).await.unwrap().remove(0);
        o.insert("list", list);
        o.insert("entry", entry.id.to_string());
        all.push(o);
    }
    let out = all.pop().unwrap();
    (all.pop().unwrap(), out)
}

fn fill(template: &str, o: &Objects) -> String {
    let mut s = template.to_owned();
    for (k, v) in o {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

fn class(r: &TestResponse) -> char {
    match r.status {
        StatusCode::UNAUTHORIZED => 'L',
        StatusCode::FORBIDDEN => 'F',
        StatusCode::NOT_FOUND => 'H',
        s if s.is_redirection() && r.location().is_some_and(|l| l.starts_with("/login")) => 'L',
        _ => 'P',
    }
}

async fn ask(c: &mut Client<'_>, row: &Row, o: &Objects) -> TestResponse {
    let path = fill(row.path, o);
    if row.method == GET {
        return c.get(&path).await;
    }
    match row.body {
        Body::None => c.post_form(&path, &[]).await,
        Body::Form(extra) => {
            let mut fields: BTreeMap<&str, String> =
                FIELDS.iter().map(|f| (*f, String::new())).collect();
            for (k, v) in extra {
                fields.insert(k, fill(v, o));
            }
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form(&path, &pairs).await
        }
        Body::Json(t) => {
            let v: serde_json::Value = serde_json::from_str(&fill(t, o)).expect("row json");
            c.json(Method::POST, &path, &v).await
        }
        Body::File => c.post_file(&path, &[], "tep.xlsx", b"").await,
    }
}

/// Routes any account, even anonymous, may pass: the shell, signing in,
/// certificate verification, public disclosure and its comment form, the
/// user guide, and what `Action::ReadUnits` makes public (the
/// org tree and its lineage, clusters and movements).
const PUBLIC: &[&str] = &[
    "/",
    "/units",
    "/units/{code}",
    "/api/v1/units",
    "/api/v1/units/{code}",
    "/api/v1/units/{code}/lineage",
    "/clusters",
    "/clusters/{key}/{year}",
    "/movements",
    "/movements/{code}",
    "/static/app.css",
    "/static/app.js",
    "/login",
    "/logout",
    "/xac-minh",
    "/xac-minh/khoa-cong-khai",
    "/xac-minh/khoa-cong-khai.pem",
    "/xac-minh/tra-cuu",
    "/xac-minh/{code}",
    "/xac-minh/tep",
    "/api/v1/openapi.json",
    "/cong-khai",
    "/cong-khai/{id}",
    "/cong-khai/{id}/y-kien",
    "/huong-dan",
    "/huong-dan/{trang}",
    "/huong-dan/anh/{tep}",
];

/// Writes a reading role (viewer, council member) may pass: signing in and
/// out, checking a certificate file, commenting on a public disclosure.
const READER_WRITES: &[&str] = &[
    "/login",
    "/logout",
    "/xac-minh/tep",
    "/cong-khai/{id}/y-kien",
];

#[tokio::test]
async fn every_route_answers_every_role_inside_and_outside_its_subtree_as_the_table_says() {
    // the table covers exactly the router's routes
    let declared = declared_routes();
    assert!(declared.len() > 100, "too few routes found: {declared:?}");
    let rows: BTreeSet<(String, String)> = ROWS
        .iter()
        .map(|r| (r.method.to_owned(), r.route.to_owned()))
        .collect();
    let missing: Vec<_> = declared.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the matrix: {missing:?}"
    );
    let stale: Vec<_> = rows.difference(&declared).collect();
    assert!(
        stale.is_empty(),
        "rows for routes the router lacks: {stale:?}"
    );
    assert_eq!(rows.len(), ROWS.len(), "a route has two rows");

    let mut wrong = Vec::new();
    let mut table = Vec::new();
    let mut seen: BTreeMap<usize, [String; 2]> = BTreeMap::new();
    for (ri, role) in ROLES.iter().enumerate() {
        let app = TestApp::demo().await;
        let (inside, outside) = objects(&app).await;
        if ri == 0 {
            // each declared path is routed: a method it lacks answers 405
            let mut admin = app.login("admin").await;
            for (_, route) in &declared {
                let row = ROWS.iter().find(|r| r.route == route).unwrap();
                let path = fill(row.path, &inside);
                let path = path.split('?').next().unwrap();
                let r = admin.json(Method::DELETE, path, &json!({})).await;
                assert_eq!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{path} is not routed as {route}"
                );
            }
        }
        let mut c = if role.is_empty() {
            app.client()
        } else {
            app.login(role).await
        };
        for (i, row) in ROWS.iter().enumerate() {
            let a = class(&ask(&mut c, row, &inside).await);
            let b = class(&ask(&mut c, row, &outside).await);
            let e = seen.entry(i).or_default();
            e[0].push(a);
            e[1].push(b);
        }
    }
    for (i, row) in ROWS.iter().enumerate() {
        let [got_in, got_out] = &seen[&i];
        table.push(format!(
            "{} {} in {got_in} out {got_out}",
            row.method, row.route
        ));
        if got_in != row.inside || got_out != row.outside {
            wrong.push(format!(
                "{} {}: expected in {} out {}, got in {got_in} out {got_out}",
                row.method, row.route, row.inside, row.outside
            ));
        }
    }
    // properties the table itself must keep, whatever its rows say
    let mut unsafe_rows = Vec::new();
    for row in ROWS {
        let public = PUBLIC.contains(&row.route);
        let (i, o): (Vec<char>, Vec<char>) =
            (row.inside.chars().collect(), row.outside.chars().collect());
        if !public && (i[5] == 'P' || o[5] == 'P') {
            unsafe_rows.push(format!("{} {}: anonymous passes", row.method, row.route));
        }
        if row.scoped && o[1..5].contains(&'P') {
            unsafe_rows.push(format!(
                "{} {}: passes outside the subtree",
                row.method, row.route
            ));
        }
        if row.method == POST
            && !READER_WRITES.contains(&row.route)
            && (i[2..4].contains(&'P') || o[2..4].contains(&'P'))
        {
            unsafe_rows.push(format!(
                "{} {}: a reading role writes",
                row.method, row.route
            ));
        }
    }
    assert!(unsafe_rows.is_empty(), "unsafe rows: {unsafe_rows:#?}");
    assert!(
        wrong.is_empty(),
        "answers differ from the table:\n{}\n\nobserved:\n{}",
        wrong.join("\n"),
        table.join("\n")
    );
}
