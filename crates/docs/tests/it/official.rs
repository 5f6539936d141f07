//! Issue 15, item 6: every generated document in the official layout of
//! Nghị định 30/2020/NĐ-CP (Phụ lục I): the ballot minutes (DOCX and PDF)
//! and the council minutes (DOCX, PDF) in their frame — issuing body,
//! national title and motto, `Số: …/BB-…`, place and date, title and
//! abstract, the text, the signature blocks side by side, the recipients —
//! with the serif that has Times New Roman's metrics embedded in the PDF.

use std::io::{Cursor, Read};
use std::process::Command;

use rust_decimal::Decimal;
use tdkt_core::ballot::{
    BallotSpec, Base, CandidateResult, Elected, Outcome, Question, Quorum, Tally, Threshold,
};
use tdkt_core::council::{MemberRole, QuorumRule};
use tdkt_core::review::council_minutes::{Attendee, CouncilMinutes, Item};
use tdkt_core::review::frame::Frame;
use tdkt_core::review::minutes::Minutes;
use tdkt_core::review::ReviewDocument;
use tdkt_core::scoring::MemberId;
use tdkt_core::share::Share;

fn spec() -> BallotSpec {
    BallotSpec {
        title: "Bình xét Cờ thi đua của Chính phủ năm 2026".into(),
        question: Question::YesNo,
        candidates: Vec::new(),
        eligible: 9,
        quorum: Quorum { num: 2, den: 3 },
        threshold: Threshold::new(Decimal::from(70), Base::Eligible),
    }
}

fn outcome() -> Outcome {
    let result = |id: &str, name: &str, yes, elected| CandidateResult {
        id: MemberId(id.into()),
        name: name.into(),
        yes,
        no: 8 - yes,
        blank: 0,
        base: 9,
        threshold: spec().threshold,
        share_percent: (Decimal::from(yes * 100) / Decimal::from(9)).round_dp(2),
        passed_threshold: elected == Elected::Yes,
        elected,
        explanation: String::new(),
    };
    Outcome::Counted(Tally {
        eligible: 9,
        present: 8,
        cast: 8,
        valid: 8,
        invalid: 0,
        candidates: vec![
            result("tra-vinh", "Trà Vinh", 7, Elected::Yes),
            result("soc-trang", "Sóc Trăng", 3, Elected::No),
        ],
        explanation: "Trà Vinh đạt; Sóc Trăng không đạt.".into(),
    })
}

/// The ballot minutes' text and frame, closed at 18:30 UTC: 01:30 on the
/// next day in Việt Nam.
fn ballot_minutes() -> (ReviewDocument, Frame) {
    let (spec, outcome) = (spec(), outcome());
    let m = Minutes {
        spec: &spec,
        unit: "Sở Xây dựng tỉnh Hậu Giang",
        context: "Cụm thi đua Tây Nam bộ 2026",
        closed_at: Some("2026-12-03T18:30:45.317467637Z"),
        outcome: &outcome,
    };
    (m.vietnamese(), m.vietnamese_frame())
}

fn council_minutes() -> (ReviewDocument, Frame) {
    let attendees: Vec<Attendee> = [
        ("Trần Văn Chủ", MemberRole::Chair, true),
        ("Lê Thị Thư", MemberRole::Secretary, true),
        ("Phạm Văn Vắng", MemberRole::Member, false),
    ]
    .into_iter()
    .map(|(n, role, present)| Attendee {
        name: n.into(),
        role,
        present,
    })
    .collect();
    let quorum = QuorumRule {
        num: 2,
        den: 3,
        citation: "khoản 4 Điều 33 NĐ 152/2025/NĐ-CP".into(),
        verified: true,
    };
    let items = [Item {
        dossier_id: 7,
        award: "Bằng khen của Chủ tịch UBND thành phố".into(),
        recipients: "Nguyễn Thị Hồng Nhung".into(),
        share: Share::new(2, 3, tdkt_core::share::Base::Eligible),
        rule: "trên 50%".into(),
        citation: "khoản 5 Điều 33 NĐ 152/2025/NĐ-CP".into(),
        passed: true,
        comments: String::new(),
    }];
    let m = CouncilMinutes {
        unit: "thành phố Cần Thơ",
        held_on: time::macros::date!(2026 - 12 - 01),
        place: "Trụ sở UBND thành phố",
        attendees: &attendees,
        quorum: &quorum,
        items: &items,
    };
    (m.vietnamese(), m.vietnamese_frame())
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// `parts` in this order in `text`.
fn in_order(text: &str, parts: &[&str]) {
    let mut at = 0;
    for part in parts {
        let found = text[at..]
            .find(part)
            .unwrap_or_else(|| panic!("«{part}» missing or out of order in:\n{text}"));
        at += found + part.len();
    }
}

fn save(name: &str, bytes: &[u8]) {
    // To look at the files: TDKT_DOCS_OUT=/tmp cargo test -p tdkt-docs
    if let Some(dir) = std::env::var_os("TDKT_DOCS_OUT") {
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
}

/// Runs a poppler tool on `pdf`; `None`, with a note, where poppler-utils
/// is not installed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8], tag: &str) -> Option<String> {
    let path = std::env::temp_dir().join(format!("tdkt-official-{}-{tag}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(tool).args(args).arg(&path).arg("-").output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8(o.stdout).unwrap()),
        _ => {
            eprintln!("note: {tool} not found (apt-get install poppler-utils); not checked");
            None
        }
    }
}

/// The frame's words in reading order, as each document prints them.
const BALLOT_FRAME: [&str; 9] = [
    "SỞ XÂY DỰNG TỈNH HẬU GIANG",
    "Số: ……/BB-……",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "…………, ngày 04 tháng 12 năm 2026",
    "BIÊN BẢN KIỂM PHIẾU",
    "Bình xét Cờ thi đua của Chính phủ năm 2026",
    "Kết thúc bỏ phiếu lúc 01:30 ngày 04/12/2026",
    "Trà Vinh: 7 phiếu đồng ý trên 9",
];

#[test]
fn the_ballot_minutes_docx_has_the_frame_and_two_signature_blocks_side_by_side() {
    let (doc, frame) = ballot_minutes();
    let bytes = tdkt_docs::framed::docx(&doc, &frame).unwrap();
    save("bien-ban-kiem-phieu.docx", &bytes);
    let xml = document_xml(&bytes);
    in_order(&xml, &BALLOT_FRAME);
    in_order(
        &xml,
        &[
            "Trà Vinh: 7 phiếu",
            "THƯ KÝ",
            "(Ký, ghi rõ họ tên)",
            "TRƯỞNG BAN KIỂM PHIẾU",
            "(Ký, ghi rõ họ tên)",
            "Nơi nhận:",
            "Lưu: VT",
        ],
    );
    // the two blocks are the two cells of one row, not one line of text
    let sign = xml.rfind("<w:tbl>").unwrap();
    let row = &xml[sign..];
    assert_eq!(row.matches("<w:tc>").count(), 2, "{row}");
    assert!(row.find("THƯ KÝ").unwrap() < row.find("</w:tc><w:tc>").unwrap());
    assert!(!xml.contains("2026-12-03T"), "never an ISO instant");
    assert!(!xml.contains("    "), "no runs of spaces for layout");
}

#[test]
fn the_ballot_minutes_pdf_embeds_the_serif_and_reads_back_in_order() {
    let (doc, frame) = ballot_minutes();
    let pdf = tdkt_docs::framed::pdf(&doc, &frame).unwrap();
    save("bien-ban-kiem-phieu.pdf", &pdf);
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("LiberationSerif"), "the serif is embedded");
    assert!(!raw.contains("DejaVu"));
    assert!(pdf.len() < 120_000, "fonts subset: {} bytes", pdf.len());
    if let Some(fonts) = poppler("pdffonts", &[], &pdf, "fonts-ballot") {
        for face in [
            "LiberationSerif",
            "LiberationSerif-Bold",
            "LiberationSerif-Italic",
        ] {
            assert!(
                fonts
                    .lines()
                    .any(|l| l.contains(&format!("+{face} ")) && l.contains(" yes ")),
                "{face} not embedded:\n{fonts}"
            );
        }
    }
    let Some(text) = poppler("pdftotext", &["-enc", "UTF-8"], &pdf, "ballot") else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    in_order(&flat, &BALLOT_FRAME[5..]);
    for part in BALLOT_FRAME.iter().chain(&[
        "THƯ KÝ",
        "TRƯỞNG BAN KIỂM PHIẾU",
        "(Ký, ghi rõ họ tên)",
        "Nơi nhận:",
    ]) {
        assert!(flat.contains(part), "missing «{part}» in:\n{text}");
    }
    // laid out as on paper: the header's two columns side by side, the
    // national title above the motto, the two signature blocks side by side
    let Some(text) = poppler("pdftotext", &["-enc", "UTF-8", "-layout"], &pdf, "layout") else {
        return;
    };
    let header_line = text
        .lines()
        .find(|l| l.contains("CỘNG HÒA"))
        .unwrap_or_default();
    assert!(
        header_line.contains("SỞ XÂY DỰNG") && !header_line.contains("Độc lập"),
        "header: {header_line}"
    );
    // the blocks stand side by side: on the same line of text
    assert!(
        text.lines()
            .any(|l| l.contains("THƯ KÝ") && l.contains("TRƯỞNG BAN KIỂM PHIẾU")),
        "{text}"
    );
}

#[test]
fn the_council_minutes_name_the_council_the_day_and_the_signers() {
    let (doc, frame) = council_minutes();
    let parts = [
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG THÀNH PHỐ CẦN THƠ",
        "Số: ……/BB-HĐTĐKT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "…………, ngày 01 tháng 12 năm 2026",
        "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "Xét đề nghị khen thưởng",
        "Thời gian: ngày 01/12/2026",
        "THƯ KÝ HỘI ĐỒNG",
        "Lê Thị Thư",
        "CHỦ TỌA PHIÊN HỌP",
        "Trần Văn Chủ",
        "Nơi nhận:",
        "Thành viên Hội đồng",
    ];
    let docx = tdkt_docs::framed::docx(&doc, &frame).unwrap();
    save("bien-ban-hoi-dong.docx", &docx);
    in_order(&document_xml(&docx), &parts);
    let pdf = tdkt_docs::framed::pdf(&doc, &frame).unwrap();
    save("bien-ban-hoi-dong.pdf", &pdf);
    let Some(text) = poppler("pdftotext", &["-enc", "UTF-8"], &pdf, "council") else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for part in parts {
        assert!(flat.contains(part), "missing «{part}» in:\n{text}");
    }
}

/// The page rules of Phụ lục I in every DOCX: A4, margins 20/20/30/15 mm,
/// Times New Roman 14 pt, a page number from the second page.
#[test]
fn every_docx_is_a4_with_the_margins_font_and_page_numbers_of_nd_30() {
    let (doc, frame) = ballot_minutes();
    let bytes = tdkt_docs::framed::docx(&doc, &frame).unwrap();
    let xml = document_xml(&bytes);
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(xml.contains(r#"w:top="1134" w:right="851" w:bottom="1134" w:left="1701""#));
    assert!(xml.contains("<w:titlePg/>"), "no number on page 1");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let styles = part("word/styles.xml");
    assert!(styles.contains(r#"w:ascii="Times New Roman""#));
    assert!(styles.contains(r#"<w:sz w:val="28"/>"#), "14 pt");
    assert!(part("word/header1.xml").contains(" PAGE "));
    assert!(part("word/_rels/document.xml.rels").contains(r#"Target="header1.xml""#));
    assert!(part("[Content_Types].xml").contains("/word/header1.xml"));
}
