//! The machinery every list page shares (issue 15 item 10): the count
//! line, column headers that sort by a whitelisted `sap_xep` word, numbered
//! pages (`trang`) that keep the sort and the filters, and the export links
//! with the XLSX/CSV writer built from column definitions.
//!
//! A page keeps its state in a [`Listing`]: its path, the filters in force
//! (query parameters kept by every link), the [`Order`] and the page. The
//! rows come from the store, counted, sorted and paged in SQL and scoped as
//! the page is; an export (`?format=xlsx|csv`) asks the same query for page
//! 1 of [`EXPORT_MAX`] rows, so it holds exactly the filtered, scoped rows.

use axum::response::Response;
use maud::{html, Markup};
use std::cmp::Ordering;
use tdkt_core::csv_cell;
use tdkt_core::number::format_count;

use tdkt_store::listing::{offset, Order, Page, SortKey, COUNT_CAP};
use time::Date;

use crate::error::urlencode;
use crate::view::download;
use crate::AppError;

/// The query string of a list page: the three words every list reads and
/// its filters by name (`loai`, `nam`, `trang_thai` …), which the page
/// picks with [`Listing::of_query`].
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    sap_xep: Option<String>,
    trang: Option<String>,
    format: Option<String>,
    #[serde(flatten)]
    filters: std::collections::HashMap<String, String>,
}

/// Rows on a page of every list.
pub const PAGE_SIZE: i64 = 50;

/// The most rows an export holds.
pub const EXPORT_MAX: i64 = 100_000;

/// A file format of the exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// The format a `format` query parameter names; anything else is the
    /// page itself.
    #[must_use]
    pub fn parse(s: Option<&str>) -> Option<Self> {
        match s? {
            "xlsx" => Some(Self::Xlsx),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// A list page's state as parsed from its query: what every link keeps.
#[derive(Debug, Clone)]
pub struct Listing<K> {
    path: String,
    filters: Vec<(&'static str, String)>,
    pub order: Order<K>,
    pub page: i64,
    pub format: Option<Format>,
}

impl<K: SortKey> Listing<K> {
    /// The state of list `path` from its `sap_xep`, `trang` and `format`
    /// parameters; `filters` are the other parameters in force (empty
    /// values are left out of the links). A bad sort word or page number is
    /// ignored.
    #[must_use]
    pub fn new(
        path: impl Into<String>,
        filters: Vec<(&'static str, String)>,
        sap_xep: Option<&str>,
        trang: Option<&str>,
        format: Option<&str>,
    ) -> Self {
        Self {
            path: path.into(),
            filters: filters
                .into_iter()
                .map(|(k, v)| (k, v.trim().to_owned()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            order: Order::parse(sap_xep.unwrap_or_default()),
            page: trang
                .and_then(|t| t.trim().parse::<i64>().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            format: Format::parse(format),
        }
    }

    /// [`Self::new`] from a page's query string, with the page's own
    /// `filters` (any other parameter is ignored).
    #[must_use]
    pub fn of_query(path: impl Into<String>, filters: &[&'static str], q: &ListQuery) -> Self {
        Self::new(
            path,
            filters
                .iter()
                .map(|f| (*f, q.filters.get(*f).cloned().unwrap_or_default()))
                .collect(),
            q.sap_xep.as_deref(),
            q.trang.as_deref(),
            q.format.as_deref(),
        )
    }

    /// The page and the number of rows to ask the store for: the current
    /// page, or everything (up to [`EXPORT_MAX`]) for an export.
    #[must_use]
    pub fn window(&self) -> (i64, i64) {
        if self.format.is_some() {
            (1, EXPORT_MAX)
        } else {
            (self.page, PAGE_SIZE)
        }
    }

    /// A short list read whole (movements, ballots, rounds, clusters:
    /// tens of rows a year, never the registry's tables), sorted by `cmp`
    /// for the chosen column (a stable sort: ties keep the store's order,
    /// which is also the default order) and cut to the page, or to
    /// [`EXPORT_MAX`] rows for an export.
    #[must_use]
    pub fn arrange<T>(&self, mut rows: Vec<T>, cmp: impl Fn(K, &T, &T) -> Ordering) -> Page<T> {
        let sort = self.order.sort;
        if sort != K::default() {
            rows.sort_by(|a, b| {
                let o = cmp(sort, a, b);
                if self.order.descending {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        let total = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        let (page, limit) = self.window();
        let skip = usize::try_from(offset(page, limit)).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        Page {
            rows: rows.into_iter().skip(skip).take(take).collect(),
            total,
        }
    }

    /// The list's link with the filters, `order` and `page` (1 left out)
    /// and an export `format`.
    #[must_use]
    pub fn link(&self, order: Order<K>, page: i64, format: Option<&str>) -> String {
        let mut parts: Vec<String> = self
            .filters
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        let word = order.word();
        if !word.is_empty() {
            parts.push(format!("sap_xep={word}"));
        }
        if page > 1 {
            parts.push(format!("trang={page}"));
        }
        if let Some(f) = format {
            parts.push(format!("format={f}"));
        }
        if parts.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, parts.join("&"))
        }
    }

    /// The filter in force under `key`, if any.
    #[must_use]
    pub fn filter(&self, key: &str) -> Option<&str> {
        self.filters
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether any filter is in force.
    #[must_use]
    pub fn filtered(&self) -> bool {
        !self.filters.is_empty()
    }

    /// The count line: "1.234 hồ sơ", or "Hơn 10.000 khen thưởng" for a
    /// registry list counted up to its cap ([`COUNT_CAP`]).
    #[must_use]
    pub fn count(&self, total: i64, noun: &str) -> Markup {
        html! {
            p.list-count {
                @if total > COUNT_CAP {
                    strong { "Hơn " (format_count(COUNT_CAP.unsigned_abs())) " " (noun) }
                    " (lọc theo năm hoặc danh hiệu để thu hẹp)"
                } @else {
                    strong { (format_count(total.unsigned_abs())) " " (noun) }
                }
            }
        }
    }

    /// A column header that sorts the list by `sort` (reversed when it
    /// already does), marked with `aria-sort` and an arrow.
    #[must_use]
    pub fn th(&self, label: &str, sort: K) -> Markup {
        let current = self.order.sort == sort;
        let (aria, arrow) = match (current, self.order.descending) {
            (false, _) => ("none", ""),
            (true, false) => ("ascending", " ↑"),
            (true, true) => ("descending", " ↓"),
        };
        html! {
            th aria-sort=(aria) { a href=(self.link(self.order.toggled(sort), 1, None)) { (label) (arrow) } }
        }
    }

    /// The sorts as a line of links, for the phone layout where a
    /// responsive table's headers are hidden (`.sort-menu`, app.css).
    #[must_use]
    pub fn sort_menu(&self, sorts: &[(&str, K)]) -> Markup {
        html! {
            p.sort-menu { "Sắp xếp: "
                @for (i, (label, sort)) in sorts.iter().enumerate() {
                    @if i > 0 { " · " }
                    @let current = self.order.sort == *sort;
                    a href=(self.link(self.order.toggled(*sort), 1, None)) aria-current=[current.then_some("true")] {
                        (label)
                        @if current { @if self.order.descending { " ↓" } @else { " ↑" } }
                    }
                }
            }
        }
    }

    /// The end of a list's filter form: the sort kept, «Lọc», and «Bỏ lọc»
    /// back to the whole list when a filter is in force.
    #[must_use]
    pub fn filter_submit(&self) -> Markup {
        html! {
            (self.keep_sort())
            button type="submit" { "Lọc" }
            @if self.filtered() { " " a href=(self.path) { "Bỏ lọc" } }
        }
    }

    /// A hidden field that keeps the sort through a filter form.
    #[must_use]
    pub fn keep_sort(&self) -> Markup {
        let word = self.order.word();
        html! { @if !word.is_empty() { input type="hidden" name="sap_xep" value=(word); } }
    }

    /// The numbered pages: previous, first, last, two either side of the
    /// current one, next; nothing when there is one page.
    #[must_use]
    pub fn pager(&self, total: i64) -> Markup {
        let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
        let page = self.page;
        html! {
            @if pages > 1 {
                nav.pages aria-label="Trang" {
                    @if page > 1 { a href=(self.link(self.order, page - 1, None)) rel="prev" { "← Trang trước" } " " }
                    @for n in page_numbers(page, pages) {
                        @match n {
                            Some(n) if n == page => { strong aria-current="page" { (n) } " " }
                            Some(n) => { a href=(self.link(self.order, n, None)) { (n) } " " }
                            None => { "… " }
                        }
                    }
                    @if page < pages { a href=(self.link(self.order, page + 1, None)) rel="next" { "Trang sau →" } }
                }
            }
        }
    }

    /// "Xuất danh sách: Excel (XLSX) · CSV", of the filtered list in the
    /// current order.
    #[must_use]
    pub fn export_links(&self) -> Markup {
        html! {
            p.export { "Xuất danh sách: "
                a href=(self.link(self.order, 1, Some("xlsx"))) { "Excel (XLSX)" } " · "
                a href=(self.link(self.order, 1, Some("csv"))) { "CSV" }
            }
        }
    }
}

/// The page numbers to show: the first, the last, and two either side of
/// the current one; `None` for a gap.
#[must_use]
pub fn page_numbers(current: i64, pages: i64) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    let mut last = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || (n - current).abs() <= 2 {
            if n > last + 1 {
                out.push(None);
            }
            out.push(Some(n));
            last = n;
        }
    }
    out
}

/// A cell of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// A date: a date cell (dd/mm/yyyy) in XLSX, "dd/mm/yyyy" in CSV.
    Date(Date),
    /// A whole number (a year, a count, an amount in đồng): a number in
    /// XLSX, plain digits in CSV.
    Int(i64),
    Empty,
}

impl Cell {
    #[must_use]
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(s.into())
    }

    #[must_use]
    pub fn date(d: Option<Date>) -> Self {
        d.map_or(Self::Empty, Self::Date)
    }

    fn plain(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Date(d) => tdkt_core::date::format_vn(*d),
            Self::Int(n) => n.to_string(),
            Self::Empty => String::new(),
        }
    }
}

/// A column of an export: its Vietnamese header and its XLSX width.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub width: u16,
}

/// Shorthand for a [`Column`].
#[must_use]
pub const fn col(header: &'static str, width: u16) -> Column {
    Column { header, width }
}

/// Rows as an XLSX (bold frozen header, dates as dates, numbers as
/// numbers) or CSV (UTF-8 with BOM so that Excel reads Vietnamese, every
/// cell through [`csv_cell::neutralise`]) download named `file.xlsx|csv`.
///
/// # Errors
/// The writer failed.
pub fn export(
    format: Format,
    sheet: &str,
    file: &str,
    columns: &[Column],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<Response, AppError> {
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(format!("xuất tệp: {e}"));
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
            w.write_record(csv_cell::record(&headers))
                .map_err(|e| internal(&e))?;
            for row in rows {
                let cells: Vec<String> = row.iter().map(Cell::plain).collect();
                w.write_record(csv_cell::record(&cells))
                    .map_err(|e| internal(&e))?;
            }
            let body = w.into_inner().map_err(|e| internal(&e))?;
            Ok(download(
                body,
                "text/csv; charset=utf-8",
                &format!("{file}.csv"),
            ))
        }
        Format::Xlsx => {
            use rust_xlsxwriter::{ExcelDateTime, Format as Fmt, Workbook};
            let mut wb = Workbook::new();
            let bold = Fmt::new().set_bold();
            let date = Fmt::new().set_num_format("dd/mm/yyyy");
            let int = Fmt::new().set_num_format("#,##0");
            let ws = wb.add_worksheet();
            ws.set_name(sheet).map_err(|e| internal(&e))?;
            for (c, col) in (0u16..).zip(columns) {
                ws.write_string_with_format(0, c, col.header, &bold)
                    .map_err(|e| internal(&e))?;
                ws.set_column_width(c, col.width)
                    .map_err(|e| internal(&e))?;
            }
            ws.set_freeze_panes(1, 0).map_err(|e| internal(&e))?;
            for (r, row) in (1u32..).zip(rows) {
                for (c, cell) in (0u16..).zip(row) {
                    match cell {
                        Cell::Text(s) => {
                            ws.write_string(r, c, s).map_err(|e| internal(&e))?;
                        }
                        Cell::Date(d) => {
                            let dt = ExcelDateTime::from_ymd(
                                u16::try_from(d.year()).unwrap_or(1900),
                                d.month() as u8,
                                d.day(),
                            )
                            .map_err(|e| internal(&e))?;
                            ws.write_datetime_with_format(r, c, &dt, &date)
                                .map_err(|e| internal(&e))?;
                        }
                        Cell::Int(n) => {
                            // exact below 2^53; amounts and counts are far below
                            #[allow(clippy::cast_precision_loss)]
                            let v = n as f64;
                            ws.write_number_with_format(r, c, v, &int)
                                .map_err(|e| internal(&e))?;
                        }
                        Cell::Empty => {}
                    }
                }
            }
            let body = wb.save_to_buffer().map_err(|e| internal(&e))?;
            Ok(download(
                body,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{file}.xlsx"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tdkt_store::people::PeopleSort;

    fn listing(sap_xep: &str, trang: &str) -> Listing<PeopleSort> {
        Listing::new(
            "/people",
            vec![("q", "Nguyễn".into()), ("unit", String::new())],
            Some(sap_xep),
            Some(trang),
            None,
        )
    }

    #[test]
    fn links_keep_the_filters_the_sort_and_the_page() {
        let l = listing("ten_giam", "3");
        assert_eq!(
            l.link(l.order, 2, None),
            "/people?q=Nguy%E1%BB%85n&sap_xep=ten_giam&trang=2"
        );
        assert_eq!(
            l.link(l.order, 1, Some("csv")),
            "/people?q=Nguy%E1%BB%85n&sap_xep=ten_giam&format=csv"
        );
    }

    #[test]
    fn a_count_past_the_cap_says_more_than_the_cap() {
        let l = listing("", "1");
        assert_eq!(
            l.count(COUNT_CAP, "khen thưởng").into_string(),
            r#"<p class="list-count"><strong>10.000 khen thưởng</strong></p>"#
        );
        assert!(l
            .count(COUNT_CAP + 1, "khen thưởng")
            .into_string()
            .contains("<strong>Hơn 10.000 khen thưởng</strong>"));
    }

    #[test]
    fn a_bad_sort_word_and_a_bad_page_are_ignored() {
        let l = listing("x' or 1=1", "-4");
        assert_eq!(l.order, Order::default());
        assert_eq!(l.page, 1);
        assert_eq!(l.link(l.order, 1, None), "/people?q=Nguy%E1%BB%85n");
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_neighbours() {
        assert_eq!(
            page_numbers(6, 12),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
        assert_eq!(page_numbers(1, 1), vec![Some(1)]);
    }
}
