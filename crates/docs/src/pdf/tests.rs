//! The PDF writer's own tests; the frame's are in `tests/it`.

use super::*;
use crate::fixture;

use super::tests_support::pdftotext;

#[test]
fn the_pdf_text_reads_back_with_vietnamese_diacritics() {
    let doc = fixture::report().document();
    let pdf = render(&doc).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // To look at it: TDKT_DOCS_OUT=/tmp cargo test -p tdkt-docs
    if let Some(dir) = std::env::var_os("TDKT_DOCS_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("review.pdf"), &pdf).unwrap();
    }
    // Subset, not the whole 760 kB face twice.
    assert!(
        pdf.len() < 120_000,
        "PDF is {} bytes: fonts not subset?",
        pdf.len()
    );
    let Some(text) = pdftotext(&pdf) else {
        eprintln!(
            "note: pdftotext not found (apt-get install poppler-utils); PDF text not checked"
        );
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "BÁO CÁO SƠ KẾT THỰC HIỆN GIAO ƯỚC THI ĐUA",
        "Trà Vinh 17%",
        "Long An 9,89%",
        "bình quân đạt 8,14%",
        "Kết quả thực hiện các chỉ tiêu giao ước thi đua",
    ] {
        assert!(flat.contains(expected), "missing «{expected}» in:\n{text}");
    }
}

#[test]
fn long_documents_break_onto_numbered_pages() {
    let mut doc = fixture::report().document();
    let p = doc.sections[1].paragraphs[0].clone();
    doc.sections[1].paragraphs = vec![p; 40];
    let m = Measure::shipped().unwrap();
    let mut c = Cursor::new();
    for b in blocks(&doc) {
        c.text(&b, &m);
    }
    assert!(c.pages.len() > 2);
    for mark in c.pages.iter().flatten() {
        let Mark::Text(line) = mark else { continue };
        assert!(line.y < PAGE_H - BOTTOM + 1.0 && line.x >= LEFT - 0.01);
        assert!(m.width(line.face, line.size, &line.text) <= PAGE_W - LEFT - RIGHT + 0.01);
    }
    assert!(render(&doc).is_ok());
}

/// Every Vietnamese letter, precomposed (NFC), capital and small: the 12
/// vowels with each of the five tone marks, and đ.
fn vietnamese_letters() -> String {
    let mut s = String::from("đĐ");
    for row in [
        "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩị",
        "oòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ",
    ] {
        s.push_str(row);
        s.push_str(&row.to_uppercase());
    }
    s
}

#[test]
fn the_serif_draws_every_vietnamese_letter() {
    let letters = vietnamese_letters();
    assert_eq!(letters.chars().count(), 2 + 2 * 72);
    let m = Measure::shipped().unwrap();
    for (name, face) in [
        ("regular", &m.regular),
        ("bold", &m.bold),
        ("italic", &m.italic),
    ] {
        for c in letters.chars() {
            let mut buf = rustybuzz::UnicodeBuffer::new();
            buf.push_str(&c.to_string());
            let out = rustybuzz::shape(face, &[], buf);
            assert!(
                out.glyph_infos().iter().all(|g| g.glyph_id != 0),
                "{name}: «{c}» (U+{:04X}) is .notdef",
                u32::from(c)
            );
        }
    }
}

#[test]
fn the_serif_has_the_widths_of_times_new_roman() {
    // Times New Roman's advance widths, in thousandths of the em (its
    // metrics, which Liberation Serif copies): space 250, "a" 444, "W" 944,
    // "H" 722; bold "W" 1000.
    let m = Measure::shipped().unwrap();
    let per_mille = |face, s: &str, expected: f32| {
        let w = m.width(face, 1000.0, s);
        assert!((w - expected).abs() < 0.6, "«{s}»: {w} ‰ of the em");
    };
    per_mille(Face::Regular, " ", 250.0);
    per_mille(Face::Regular, "a", 444.0);
    per_mille(Face::Regular, "W", 944.0);
    per_mille(Face::Regular, "H", 722.0);
    per_mille(Face::Bold, "W", 1000.0);
}

#[test]
fn a_pdf_names_the_embedded_serif_and_reads_back_every_vietnamese_letter() {
    let mut doc = fixture::report().document();
    // words of twelve letters, so the lines break within the margins
    let letters: Vec<char> = vietnamese_letters().chars().collect();
    doc.sections[0].paragraphs[0].text = letters
        .chunks(12)
        .map(|w| w.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    let pdf = render(&doc).unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("LiberationSerif"), "font name in the PDF");
    let Some(text) = pdftotext(&pdf) else {
        return;
    };
    let solid: String = text.split_whitespace().collect();
    assert!(solid.contains(&vietnamese_letters()), "{text}");
}
