//! Issue 3, "done when": the Tây Nam bộ H1 2019 review exported as DOCX and
//! PDF still carries the published sentences, diacritics intact. The data
//! are the copies kept beside the core acceptance test.

use std::io::{Cursor, Read};
use std::process::Command;

use tdkt_core::period::Period;
use tdkt_core::pledge::{PledgeFields, PledgeRow, ValueFields, ValueRow};
use tdkt_core::review::{draft, MemberValue, Nouns, ReviewInput, ReviewReport};
use tdkt_docs::Format;

const PLEDGE: &str = include_str!("../../../core/tests/data/tay-nam-bo-2019-pledge.csv");
const VALUES: &str = include_str!("../../../core/tests/data/tay-nam-bo-2019-h1.csv");

const SENTENCES: [&str; 6] = [
    "bình quân đạt 8,2%, một số tỉnh đạt cao như: Trà Vinh 17%; Long An 9,89%; Bến Tre 8,37%; Bạc Liêu 8,25%.",
    "12/12 tỉnh trong Cụm đạt từ 55% trở lên, một số tỉnh đạt cao như: Hậu Giang 83,41%; Long An 68,6%; \
     Bến Tre 67,94%; Sóc Trăng 67,6%; An Giang 65,6%.",
    "Kim ngạch xuất khẩu của Cụm 6 tháng đầu năm 2019 đạt 8,493 tỷ USD",
    "Có 4/12 tỉnh đạt từ 50% trở lên, gồm: Vĩnh Long 57,2%; Đồng Tháp 53,8%; Hậu Giang 50,86%; Bến Tre 50,8%.",
    "bình quân đạt 96,62%, một số tỉnh đạt cao như: Bạc Liêu 97,95%; Đồng Tháp 97,59%; An Giang 97,36%; \
     Bến Tre 97,34%; Long An 97,16%; Vĩnh Long 97,15%.",
    "Tỷ lệ đậu tốt nghiệp trung học phổ thông",
];

fn rows(csv: &str) -> impl Iterator<Item = Vec<&str>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').collect())
}

fn report() -> ReviewReport {
    let indicators: Vec<_> = rows(PLEDGE)
        .map(|r| {
            let f = PledgeFields {
                cluster: r[0],
                year: r[1],
                indicator: r[2],
                name: r[3],
                unit: r[4],
                direction: r[5],
                aggregate: r[6],
                threshold: r[7],
            };
            PledgeRow::parse(&f).unwrap().indicator
        })
        .collect();
    let values: Vec<_> = rows(VALUES)
        .map(|r| {
            let f = ValueFields {
                cluster: r[0],
                period: r[1],
                member: r[2],
                indicator: r[3],
                value: r[4],
                unit: r[5],
            };
            let row = ValueRow::parse(&f).unwrap();
            MemberValue {
                member: row.member,
                indicator: row.indicator,
                value: row.value,
            }
        })
        .collect();
    let nouns = Nouns::derive("Cụm thi đua các tỉnh Tây Nam bộ", ["Tỉnh"]);
    draft(&ReviewInput {
        cluster: "Cụm thi đua các tỉnh Tây Nam bộ",
        period: Period::parse("2019-H1").unwrap(),
        nouns: &nouns,
        members: &[],
        indicators: &indicators,
        values: &values,
    })
    .unwrap()
}

fn save(name: &str, bytes: &[u8]) {
    // To look at the files: TDKT_DOCS_OUT=/tmp cargo test -p tdkt-docs
    if let Some(dir) = std::env::var_os("TDKT_DOCS_OUT") {
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
}

#[test]
fn the_docx_states_the_published_figures() {
    let report = report();
    let mut doc = report.document();
    // An officer's edit is what gets exported.
    doc.sections[0].paragraphs[0]
        .text
        .push_str(" Đã chỉnh sửa.");
    let bytes = tdkt_docs::render(Format::Docx, &doc, &report).unwrap();
    save("tay-nam-bo-2019-h1.docx", &bytes);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for s in SENTENCES.iter().chain(&["Đã chỉnh sửa."]) {
        assert!(xml.contains(s), "missing «{s}» in word/document.xml");
    }
    let html = tdkt_docs::html::preview(&doc, &report);
    save("tay-nam-bo-2019-h1.html", html.as_bytes());
    assert_eq!(html.matches("<svg").count(), 5);
}

#[test]
fn the_pdf_states_the_published_figures() {
    let report = report();
    let pdf = tdkt_docs::render(Format::Pdf, &report.document(), &report).unwrap();
    save("tay-nam-bo-2019-h1.pdf", &pdf);
    let Some(text) = pdftotext(&pdf, "figures") else {
        return;
    };
    // Lines wrap anywhere: compare with whitespace collapsed.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in SENTENCES {
        assert!(flat.contains(s), "missing «{s}» in the PDF text:\n{text}");
    }
}

/// The text of a PDF by `pdftotext` (poppler-utils); `None`, with a note,
/// where it is not installed.
fn pdftotext(pdf: &[u8], tag: &str) -> Option<String> {
    let path = std::env::temp_dir().join(format!("tdkt-tnb-{}-{tag}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&path);
    if let Ok(o) = out {
        if o.status.success() {
            return Some(String::from_utf8(o.stdout).unwrap());
        }
    }
    eprintln!("note: pdftotext not found (apt-get install poppler-utils); PDF text not checked");
    None
}

/// What the official frame prints (Phụ lục I NĐ 30/2020/NĐ-CP), as the
/// reader finds it in both documents.
const FRAME: [&str; 7] = [
    "CỤM THI ĐUA CÁC TỈNH TÂY NAM BỘ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "/BC-",
    "năm 2019",
    "TM. CỤM THI ĐUA",
    "CỤM TRƯỞNG",
];

/// Issue 15, "done when": the review DOCX opened as Word would, its parts
/// read: the national header, the number line, the signature block, and
/// an embedded chart (a PNG part in word/media that the body shows).
#[test]
fn the_review_docx_has_the_national_header_number_line_signature_and_charts() {
    let report = report();
    let bytes = tdkt_docs::render(Format::Docx, &report.document(), &report).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let xml = text("word/document.xml");
    let rels = text("word/_rels/document.xml.rels");
    let types = text("[Content_Types].xml");
    for part in FRAME.iter().chain(&["Số:", "Nơi nhận:", "Lưu: VT."]) {
        assert!(xml.contains(part), "missing «{part}» in word/document.xml");
    }
    // The header comes first, the signature block last.
    let at = |s: &str| xml.find(s).unwrap();
    assert!(at("CỘNG HÒA XÃ HỘI") < at("BÁO CÁO SƠ KẾT"));
    assert!(at("Trà Vinh 17%") < at("TM. CỤM THI ĐUA"));
    // One chart per indicator with values, each a PNG the body shows.
    let charts = report
        .indicators
        .iter()
        .filter(|i| !i.ranked.is_empty())
        .count();
    assert!(charts >= 5, "the fixture has five charted indicators");
    assert!(types.contains(r#"Extension="png" ContentType="image/png""#));
    for n in 1..=charts {
        let name = format!("word/media/image{n}.png");
        let mut png = Vec::new();
        zip.by_name(&name)
            .unwrap_or_else(|_| panic!("{name} missing"))
            .read_to_end(&mut png)
            .unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is not a PNG");
        assert!(
            rels.contains(&format!(r#"Id="rIdImg{n}""#))
                && rels.contains(&format!("media/image{n}.png"))
        );
        assert!(
            xml.contains(&format!(r#"r:embed="rIdImg{n}""#)),
            "image {n} not in the body"
        );
    }
    assert!(zip
        .by_name(&format!("word/media/image{}.png", charts + 1))
        .is_err());
    assert!(xml.contains("Biểu đồ 1. "), "each chart has its legend");
}

/// The same for the PDF: the frame's words read back by pdftotext, and the
/// charts as image XObjects (one per charted indicator).
#[test]
fn the_review_pdf_has_the_national_header_number_line_signature_and_charts() {
    let report = report();
    let pdf = tdkt_docs::render(Format::Pdf, &report.document(), &report).unwrap();
    let charts = report
        .indicators
        .iter()
        .filter(|i| !i.ranked.is_empty())
        .count();
    let raw = String::from_utf8_lossy(&pdf).replace("/Subtype /", "/Subtype/");
    assert_eq!(
        raw.matches("/Subtype/Image").count(),
        charts,
        "one image XObject per chart"
    );
    let Some(text) = pdftotext(&pdf, "frame") else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for part in FRAME.iter().chain(&["Số:", "Nơi nhận:"]) {
        assert!(
            flat.contains(part),
            "missing «{part}» in the PDF text:\n{text}"
        );
    }
    let at = |s: &str| flat.find(s).unwrap();
    assert!(at("CỘNG HÒA XÃ HỘI") < at("BÁO CÁO SƠ KẾT"));
    assert!(at("Trà Vinh 17%") < at("TM. CỤM THI ĐUA"));
    assert!(flat.contains("Biểu đồ 1. "), "each chart has its legend");
}
