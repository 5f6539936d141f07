//! What every list page shares in the store (issue 15): a sort chosen from
//! a fixed set of columns by a word, never by client text, and a page of
//! rows with the count of all that match.
//!
//! Each list names its columns in an enum implementing [`SortKey`]; the
//! enum maps each column to fixed ORDER BY text, so whatever the client
//! sends, only those texts reach SQL.

/// A column a list may be sorted by, named by a word of the `sap_xep`
/// query parameter (ascending; `_giam` appended: descending).
pub trait SortKey: Copy + Eq + Default + 'static {
    /// The words the parameter accepts and the column each names. The
    /// default column (the list's natural order) has no word.
    const WORDS: &'static [(&'static str, Self)];
}

/// A sort and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Order<K> {
    pub sort: K,
    pub descending: bool,
}

impl<K: SortKey> Order<K> {
    /// The order a `sap_xep` word names; any other word is the default
    /// order (a bad word is ignored, never an error).
    #[must_use]
    pub fn parse(word: &str) -> Self {
        let word = word.trim();
        let (base, descending) = match word.strip_suffix("_giam") {
            Some(b) => (b, true),
            None => (word, false),
        };
        K::WORDS
            .iter()
            .find(|(w, _)| *w == base)
            .map_or_else(Self::default, |(_, sort)| Self {
                sort: *sort,
                descending,
            })
    }

    /// The `sap_xep` word of this order (empty for the default order).
    #[must_use]
    pub fn word(self) -> String {
        match K::WORDS.iter().find(|(_, k)| *k == self.sort) {
            None => String::new(),
            Some((w, _)) if self.descending => format!("{w}_giam"),
            Some((w, _)) => (*w).to_owned(),
        }
    }

    /// The order a click on `sort`'s header asks for: ascending, or the
    /// reverse when the list is already sorted by it ascending.
    #[must_use]
    pub fn toggled(self, sort: K) -> Self {
        Self {
            sort,
            descending: self.sort == sort && !self.descending,
        }
    }
}

/// One page of a list and how many rows match in all (at most
/// [`COUNT_CAP`] + 1 for a list over the registry: "more than the cap").
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
}

/// Most rows a list over the registry counts. Counting every award of a
/// unit with its predecessors reads its whole index range (hundreds of
/// thousands of entries at 10 M awards, 0,1–0,4 s) on every page; past
/// this many the count line says "hơn 10.000" and the filters narrow the
/// list (issue 16: a unit's page in < 50 ms at 10 M). Count such a list
/// as `select count(*) from (select 1 … limit COUNT_CAP + 1) c`.
pub const COUNT_CAP: i64 = 10_000;

/// `limit … offset …` of page `page` (from 1) of `limit` rows.
#[must_use]
pub fn offset(page: i64, limit: i64) -> i64 {
    (page.max(1) - 1).saturating_mul(limit.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    enum Col {
        #[default]
        Id,
        Name,
    }
    impl SortKey for Col {
        const WORDS: &'static [(&'static str, Self)] = &[("ten", Col::Name)];
    }

    #[test]
    fn a_known_word_and_its_reverse_round_trip() {
        let o = Order::<Col>::parse("ten_giam");
        assert_eq!(o.sort, Col::Name);
        assert!(o.descending);
        assert_eq!(o.word(), "ten_giam");
        assert_eq!(Order::<Col>::parse("ten").word(), "ten");
    }

    #[test]
    fn an_unknown_word_is_the_default_order() {
        for w in ["", "id; drop table x", "_giam", "TEN"] {
            assert_eq!(Order::<Col>::parse(w), Order::default());
            assert_eq!(Order::<Col>::parse(w).word(), "");
        }
    }

    #[test]
    fn clicking_the_current_column_reverses_it() {
        let o = Order::<Col>::parse("ten");
        assert!(o.toggled(Col::Name).descending);
        assert!(!o.toggled(Col::Name).toggled(Col::Name).descending);
        assert!(!Order::<Col>::default().toggled(Col::Name).descending);
    }
}
