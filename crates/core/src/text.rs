//! Vietnamese text folding for search: `tra vinh` finds *Trà Vinh*, `dong
//! thap` finds *Đồng Tháp*. The folded form is stored beside each name so the
//! database compares plain ASCII.

/// A person's name as every search reads it: folded, its words cut at
/// anything but ASCII letters and digits, one space between them
/// (`Ksor H'Bia` → `ksor h bia`), as the text indexes split it (SQLite's
/// FTS5, PostgreSQL's `search_terms`). Stored as `people.search_key`: the
/// name lists and their LIKE tests split on spaces (migrations 0051, 0052),
/// and a search for `bia` must find her there too.
#[must_use]
pub fn search_key(s: &str) -> String {
    fold(s)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower-cases and strips Vietnamese diacritics; `đ`/`Đ` become `d`.
/// Whitespace runs collapse to one space.
#[must_use]
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        let base = fold_char(c);
        if base == '\u{0}' {
            continue;
        }
        if base.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        if base.is_ascii() {
            out.push(base.to_ascii_lowercase());
        } else {
            out.extend(base.to_lowercase());
        }
        last_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Search tokens of a query, folded; empty tokens dropped.
#[must_use]
pub fn tokens(query: &str) -> Vec<String> {
    fold(query)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn fold_char(c: char) -> char {
    // Vietnamese letters are precomposed in NFC; the arms cover every vowel
    // with every tone mark plus đ. Combining marks (NFD input) drop. A match
    // (compiled to a search over ranges), not a scan of strings of letters:
    // folding runs for every row of a ten-million-row import.
    if c.is_ascii() {
        return c;
    }
    match c {
        '\u{0300}'..='\u{036f}' => '\u{0}',
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ'
        | 'ẫ' | 'ậ' => 'a',
        'À' | 'Á' | 'Ả' | 'Ã' | 'Ạ' | 'Ă' | 'Ằ' | 'Ắ' | 'Ẳ' | 'Ẵ' | 'Ặ' | 'Â' | 'Ầ' | 'Ấ' | 'Ẩ'
        | 'Ẫ' | 'Ậ' => 'A',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'e',
        'È' | 'É' | 'Ẻ' | 'Ẽ' | 'Ẹ' | 'Ê' | 'Ề' | 'Ế' | 'Ể' | 'Ễ' | 'Ệ' => 'E',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'Ì' | 'Í' | 'Ỉ' | 'Ĩ' | 'Ị' => 'I',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở'
        | 'ỡ' | 'ợ' => 'o',
        'Ò' | 'Ó' | 'Ỏ' | 'Õ' | 'Ọ' | 'Ô' | 'Ồ' | 'Ố' | 'Ổ' | 'Ỗ' | 'Ộ' | 'Ơ' | 'Ờ' | 'Ớ' | 'Ở'
        | 'Ỡ' | 'Ợ' => 'O',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'u',
        'Ù' | 'Ú' | 'Ủ' | 'Ũ' | 'Ụ' | 'Ư' | 'Ừ' | 'Ứ' | 'Ử' | 'Ữ' | 'Ự' => 'U',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
        'Ỳ' | 'Ý' | 'Ỷ' | 'Ỹ' | 'Ỵ' => 'Y',
        'đ' => 'd',
        'Đ' => 'D',
        _ => c,
    }
}

/// A URL- and file-friendly slug: folded, ASCII letters and digits joined by `-`.
#[must_use]
pub fn slug(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Does the folded `haystack` contain every token of `query` (any order)?
#[must_use]
pub fn matches(haystack_folded: &str, query: &str) -> bool {
    tokens(query)
        .iter()
        .all(|t| haystack_folded.contains(t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_strips_tones_and_maps_d_bar() {
        assert_eq!(fold("Trà Vinh"), "tra vinh");
        assert_eq!(fold("Đồng  Tháp "), "dong thap");
        assert_eq!(fold("NGUYỄN THỊ HÀ"), "nguyen thi ha");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
    }

    #[test]
    fn combining_marks_are_dropped() {
        // "Hà" in NFD: H a U+0300
        assert_eq!(fold("Ha\u{0300}"), "ha");
    }

    #[test]
    fn word_order_does_not_matter() {
        assert!(matches(&fold("Nguyễn Thị Hà"), "Hà Nguyễn"));
        assert!(matches(
            &fold("Sở Xây dựng tỉnh Hậu Giang"),
            "hau giang xay dung"
        ));
        assert!(!matches(&fold("Sóc Trăng"), "hau giang"));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Lao động tiên tiến"), "lao-dong-tien-tien");
        assert_eq!(slug("Tây Nam bộ (2019)"), "tay-nam-bo-2019");
    }

    proptest::proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC*") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once);
        }
    }
}
