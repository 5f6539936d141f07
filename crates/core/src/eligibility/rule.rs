//! A rule: one award, one period, a tree of clauses (`all`, `any`, `not`
//! over named clauses, the `when` expression of `expr.rs`) compiled from a
//! `[[rule]]` of a pack. Each clause is compiled by its kind
//! (`clause/<kind>.rs`); here the rule's own checks: its period within its
//! pack's, clause names unique and all used, no `all(a, not(a))`.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use time::Date;

use super::clause::{self, Clause, RawClause};
use super::expr::{self, Expr};
use super::pack::{parse_date, Ctx};
use crate::catalogue::{AwardId, Catalogue, SourceError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    award: toml::Spanned<String>,
    citation: String,
    when: Option<toml::Spanned<String>>,
    note: Option<String>,
    effective_from: Option<toml::Spanned<String>>,
    effective_to: Option<toml::Spanned<String>>,
    #[serde(default)]
    clause: Vec<toml::Spanned<RawClause>>,
}

/// Node of a compiled expression tree (children are indices into `Rule::nodes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    All { first: u16, len: u16 },
    Any { first: u16, len: u16 },
    Not(u16),
    Leaf(u16),
}

/// A compiled rule: one award, one period, a tree of clauses.
#[derive(Debug, Clone)]
pub struct Rule {
    pub award: AwardId,
    pub pack: usize,
    /// The pack's `scope_unit`: `None` for a national rule.
    pub scope: Option<String>,
    pub from: Date,
    pub to: Option<Date>,
    pub citation: String,
    pub note: Option<String>,
    pub clauses: Vec<Clause>,
    /// Flattened tree; `root` is the entry. Children of All/Any are listed in `kids`.
    pub nodes: Vec<Node>,
    pub kids: Vec<u16>,
    pub root: u16,
    pub file: String,
    pub line: usize,
}

impl Rule {
    #[must_use]
    pub fn in_force_on(&self, d: Date) -> bool {
        self.from <= d && self.to.is_none_or(|t| d <= t)
    }
}

pub(super) fn compile_rule(
    c: &mut Ctx<'_>,
    cat: &Catalogue,
    r: RawRule,
    pack: usize,
    pack_from: Date,
    pack_to: Option<Date>,
    line: usize,
) -> Option<Rule> {
    let code = r.award.get_ref().clone();
    let Some(award) = cat.get(&code) else {
        c.err(
            r.award.span().start,
            Some(&code),
            format!("mã danh hiệu/hình thức «{code}» không có trong danh mục."),
        );
        return None;
    };
    let award_id = award.id;
    let entry = Some(code.as_str());
    let mut from = pack_from;
    let mut to = pack_to;
    if let Some(f) = &r.effective_from {
        from = parse_date(c, f, entry)?;
    }
    if let Some(t) = &r.effective_to {
        to = Some(parse_date(c, t, entry)?);
    }
    if from < pack_from
        || pack_to.is_some_and(|pt| to.is_none_or(|t| t > pt))
        || to.is_some_and(|t| t < from)
    {
        c.err(
            c.src.len().min(r.award.span().start),
            entry,
            "hiệu lực của quy tắc phải nằm trong hiệu lực của gói và không đảo ngược.",
        );
        return None;
    }
    if award.effective_to.is_some_and(|end| end < from) {
        c.err(
            r.award.span().start,
            entry,
            format!("«{code}» đã hết hiệu lực trước khi quy tắc có hiệu lực."),
        );
    }
    if r.clause.is_empty() {
        c.err(
            r.award.span().start,
            entry,
            "quy tắc không có điều kiện nào; dùng kind = \"manual\" nếu cần xem xét thủ công.",
        );
        return None;
    }
    let mut clauses = Vec::new();
    let mut ids: HashMap<String, u16> = HashMap::new();
    let mut ok = true;
    for rc in r.clause {
        let at = rc.span().start;
        let rc = rc.into_inner();
        let id = rc.id.get_ref().clone();
        if ids.contains_key(&id) {
            c.err(
                rc.id.span().start,
                entry,
                format!("điều kiện «{id}» bị trùng tên."),
            );
            ok = false;
            continue;
        }
        match clause::compile(c, cat, award, rc, at) {
            Some(cl) => {
                ids.insert(id, u16::try_from(clauses.len()).unwrap_or(u16::MAX));
                clauses.push(cl);
            }
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let (expr, expr_at) = match &r.when {
        Some(w) => {
            // Offsets inside the string: the span starts at the opening quote.
            let base = w.span().start + 1;
            match expr::parse(w.get_ref()) {
                Ok(e) => (e, base),
                Err((off, m)) => {
                    c.err(base + off, entry, format!("biểu thức when: {m}."));
                    return None;
                }
            }
        }
        None => (
            Expr::All(
                clauses
                    .iter()
                    .map(|cl| Expr::Id(cl.id.clone(), 0))
                    .collect(),
            ),
            0,
        ),
    };
    let mut used = vec![false; clauses.len()];
    let mut nodes = Vec::new();
    let mut kids = Vec::new();
    let root = lower(
        c, entry, &expr, expr_at, &ids, &mut used, &mut nodes, &mut kids,
    )?;
    for (i, u) in used.iter().enumerate() {
        if !u {
            let cl = &clauses[i];
            c.errors.push(SourceError {
                file: c.file.to_owned(),
                line: cl.line,
                column: 1,
                entry: Some(code.clone()),
                message: format!(
                    "điều kiện «{}» không được dùng trong biểu thức when.",
                    cl.id
                ),
            });
            ok = false;
        }
    }
    if let Some((a, b)) = contradiction(&expr) {
        c.err(
            expr_at,
            entry,
            format!("không bao giờ thỏa: all(...) chứa cả «{a}» và not({b})."),
        );
        ok = false;
    }
    ok.then(|| Rule {
        award: award_id,
        pack,
        scope: None,
        from,
        to,
        citation: r.citation,
        note: r.note,
        clauses,
        nodes,
        kids,
        root,
        file: c.file.to_owned(),
        line,
    })
}

fn contradiction(e: &Expr) -> Option<(String, String)> {
    match e {
        Expr::All(v) => {
            let pos: HashSet<&str> = v
                .iter()
                .filter_map(|x| {
                    if let Expr::Id(i, _) = x {
                        Some(i.as_str())
                    } else {
                        None
                    }
                })
                .collect();
            for x in v {
                if let Expr::Not(inner) = x {
                    if let Expr::Id(i, _) = inner.as_ref() {
                        if pos.contains(i.as_str()) {
                            return Some((i.clone(), i.clone()));
                        }
                    }
                }
            }
            v.iter().find_map(contradiction)
        }
        Expr::Any(v) => v.iter().find_map(contradiction),
        Expr::Not(x) => contradiction(x),
        Expr::Id(..) => None,
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the compiler's context, the expression and the tables it lowers into"
)]
fn lower(
    c: &mut Ctx<'_>,
    entry: Option<&str>,
    e: &Expr,
    base: usize,
    ids: &HashMap<String, u16>,
    used: &mut [bool],
    nodes: &mut Vec<Node>,
    kids: &mut Vec<u16>,
) -> Option<u16> {
    let node = match e {
        Expr::Id(name, off) => {
            let Some(&i) = ids.get(name) else {
                c.err(
                    base + off,
                    entry,
                    format!(
                        "biểu thức when nhắc điều kiện «{name}» không có trong [[rule.clause]]."
                    ),
                );
                return None;
            };
            used[usize::from(i)] = true;
            Node::Leaf(i)
        }
        Expr::Not(x) => Node::Not(lower(c, entry, x, base, ids, used, nodes, kids)?),
        Expr::All(v) | Expr::Any(v) => {
            let mut mine = Vec::with_capacity(v.len());
            for x in v {
                mine.push(lower(c, entry, x, base, ids, used, nodes, kids)?);
            }
            let first = u16::try_from(kids.len()).ok()?;
            let len = u16::try_from(mine.len()).ok()?;
            kids.extend(mine);
            if matches!(e, Expr::All(_)) {
                Node::All { first, len }
            } else {
                Node::Any { first, len }
            }
        }
    };
    nodes.push(node);
    u16::try_from(nodes.len() - 1).ok()
}
