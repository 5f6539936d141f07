//! Formulas of computed criteria (*tiêu chí tính theo công thức*), e.g.
//! `min(10, 10 * actual / target)`.
//!
//! # Language
//! A formula is one [Rhai](https://rhai.rs) *expression* with exact decimal
//! arithmetic. Allowed: numbers (`10`, `1.1`), `+ - * / %`, comparisons,
//! `&& || !`, `if c { a } else { b }`, `switch`, and the functions
//! [`FUNCTIONS`]. Nothing else: no statements, no `let`, no loops, no strings,
//! no method calls, no user functions, no modules.
//!
//! # Variables
//! - `actual`, `target`: the result and the target of the pledge indicator the
//!   criterion is bound to (`indicator` column); `direction` is `1` when more is
//!   better, `-1` when less is better (e.g. số vụ tai nạn giao thông).
//! - `ind.<key>.actual`, `ind.<key>.target`, `ind.<key>.direction`: any
//!   indicator of the pledge by its key.
//!
//! # Why Rhai and not CEL
//! `cel-interpreter` (now published as `cel`) was evaluated first. Its numbers
//! are `i64`/`u64`/`f64`, so `actual >= target * 1.1` is *false* when a unit
//! exceeds its target by exactly 10% (10 × 1.1 = 11.000000000000002 in
//! binary), and CEL's strict overloads make `10 * actual` an error when
//! `actual` is a double — both traps for the officers who write rubrics.
//! Rhai (maintained since 2016, MIT/Apache, MSRV 1.66) computes with
//! `rust_decimal::Decimal` when built with `decimal` + `no_float`, is
//! sandboxed by design (no I/O; limits on operations and depth), and every
//! feature a formula does not need is compiled out in the workspace manifest.
//! Its AST is read (feature `internals`) to check names *before* a rubric is
//! saved, so an unknown indicator is refused at save time, not at evaluation.
//!
//! # Limits
//! [`MAX_CHARS`] characters, nesting depth [`MAX_DEPTH`], at most
//! [`MAX_OPERATIONS`] evaluation steps (a formula cannot loop, the bound is a
//! second fence).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use rhai::packages::{ArithmeticPackage, BasicMathPackage, LogicPackage, Package};
use rhai::{ASTNode, Dynamic, Engine, Expr, Map, Scope, Stmt, AST};
use rust_decimal::Decimal;

use super::{Direction, IndicatorValue};

/// Longest formula accepted, in characters.
pub const MAX_CHARS: usize = 500;
/// Deepest nesting of expressions accepted.
pub const MAX_DEPTH: usize = 32;
/// Most evaluation steps one formula may take.
pub const MAX_OPERATIONS: u64 = 10_000;
/// Functions a formula may call besides operators.
pub const FUNCTIONS: [&str; 6] = ["min", "max", "abs", "floor", "ceiling", "round"];
/// Operators, as Rhai names them in its AST.
const OPERATORS: [&str; 12] = [
    "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "!",
];
/// Fields of an indicator a formula may read.
const FIELDS: [&str; 3] = ["actual", "target", "direction"];

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let mut e = Engine::new_raw();
    e.register_global_module(ArithmeticPackage::new().as_shared_module());
    e.register_global_module(LogicPackage::new().as_shared_module());
    e.register_global_module(BasicMathPackage::new().as_shared_module());
    e.set_strict_variables(true);
    e.set_fail_on_invalid_map_property(true);
    e.set_allow_looping(false);
    e.set_max_operations(MAX_OPERATIONS);
    e.set_max_expr_depths(MAX_DEPTH);
    e.set_max_string_size(64);
    e.set_max_map_size(10_000);
    for symbol in ["eval", "print", "debug"] {
        e.disable_symbol(symbol);
    }
    e
});

/// A formula that parsed and passed the name checks.
#[derive(Debug, Clone)]
pub struct Formula {
    source: String,
    ast: AST,
    /// Indicator keys the formula reads through `ind.<key>`.
    indicators: BTreeSet<String>,
}

impl Formula {
    /// Parses and checks a formula. `bound` says whether the criterion is bound
    /// to an indicator (so `actual`, `target`, `direction` exist); `known` is
    /// the set of indicator keys of the pledge.
    ///
    /// # Errors
    /// A Vietnamese reason, without the criterion (the caller names it).
    pub fn compile(source: &str, bound: bool, known: &BTreeSet<String>) -> Result<Self, String> {
        let chars = source.chars().count();
        if source.trim().is_empty() {
            return Err("công thức để trống".into());
        }
        if chars > MAX_CHARS {
            return Err(format!(
                "công thức dài {chars} ký tự, vượt giới hạn {MAX_CHARS} ký tự"
            ));
        }
        let ast = ENGINE
            .compile_expression_with_scope(&sample_scope(bound, known), source)
            .map_err(|e| format!("công thức sai cú pháp: {e}"))?;
        let indicators = check_names(&ast, known)?;
        Ok(Self {
            source: source.to_owned(),
            ast,
            indicators,
        })
    }

    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Indicator keys read through `ind.<key>`.
    #[must_use]
    pub fn indicators(&self) -> &BTreeSet<String> {
        &self.indicators
    }

    /// Evaluates with the criterion's own indicator (if bound) and all
    /// indicators of the pledge. The raw result; the caller clamps it.
    ///
    /// # Errors
    /// Division by zero, overflow, a missing indicator value, a non-number
    /// result, the operation limit: a Vietnamese reason.
    pub fn evaluate(
        &self,
        own: Option<&IndicatorValue>,
        all: &BTreeMap<String, IndicatorValue>,
    ) -> Result<Decimal, String> {
        let mut scope = Scope::new();
        if let Some(v) = own {
            push_indicator(&mut scope, v);
        }
        let mut ind = Map::new();
        for (key, v) in all {
            ind.insert(key.as_str().into(), Dynamic::from_map(indicator_map(v)));
        }
        scope.push_constant("ind", ind);
        let value: Dynamic = ENGINE
            .eval_ast_with_scope(&mut scope, &self.ast)
            .map_err(|e| eval_error(&e))?;
        if let Some(d) = value.clone().try_cast::<Decimal>() {
            Ok(d)
        } else if let Some(i) = value.clone().try_cast::<i64>() {
            Ok(Decimal::from(i))
        } else {
            Err(format!(
                "công thức phải cho ra một số, nhưng cho ra giá trị kiểu {}",
                value.type_name()
            ))
        }
    }
}

fn eval_error(e: &rhai::EvalAltResult) -> String {
    use rhai::EvalAltResult as E;
    match e {
        E::ErrorArithmetic(..) => format!("lỗi tính toán (chia cho 0 hoặc tràn số): {e}"),
        E::ErrorPropertyNotFound(p, _) => {
            format!("chưa có số liệu của chỉ tiêu “{p}”")
        }
        E::ErrorTooManyOperations(_) => {
            format!("công thức vượt giới hạn {MAX_OPERATIONS} bước tính")
        }
        _ => format!("không tính được công thức: {e}"),
    }
}

fn push_indicator(scope: &mut Scope<'_>, v: &IndicatorValue) {
    scope.push_constant("actual", v.actual);
    scope.push_constant("target", v.target);
    scope.push_constant("direction", v.direction.sign());
}

fn indicator_map(v: &IndicatorValue) -> Map {
    let mut m = Map::new();
    m.insert("actual".into(), Dynamic::from_decimal(v.actual));
    m.insert("target".into(), Dynamic::from_decimal(v.target));
    m.insert("direction".into(), Dynamic::from_int(v.direction.sign()));
    m
}

/// The variables a formula may name, with placeholder values: strict
/// variables mode then refuses any other name while parsing.
fn sample_scope(bound: bool, known: &BTreeSet<String>) -> Scope<'static> {
    let mut scope = Scope::new();
    let sample = IndicatorValue {
        actual: Decimal::ONE,
        target: Decimal::ONE,
        direction: Direction::HigherIsBetter,
    };
    if bound {
        push_indicator(&mut scope, &sample);
    }
    let mut ind = Map::new();
    for key in known {
        ind.insert(
            key.as_str().into(),
            Dynamic::from_map(indicator_map(&sample)),
        );
    }
    scope.push_constant("ind", ind);
    scope
}

/// Walks the AST and refuses anything outside the language described in the
/// module doc. Returns the indicator keys read through `ind.<key>.<field>`.
fn check_names(ast: &AST, known: &BTreeSet<String>) -> Result<BTreeSet<String>, String> {
    let mut used = BTreeSet::new();
    let mut refusal: Option<String> = None;
    ast.walk(&mut |path: &[ASTNode<'_>]| {
        let Some(node) = path.last() else { return true };
        let verdict = match node {
            ASTNode::Stmt(s) => check_stmt(s),
            ASTNode::Expr(e) => check_expr(e, path, known, &mut used),
            _ => Err("công thức có thành phần không được phép".into()),
        };
        match verdict {
            Ok(()) => true,
            Err(msg) => {
                refusal = Some(msg);
                false
            }
        }
    });
    match refusal {
        Some(msg) => Err(msg),
        None => Ok(used),
    }
}

fn check_stmt(s: &Stmt) -> Result<(), String> {
    match s {
        Stmt::Noop(_)
        | Stmt::If(..)
        | Stmt::Switch(..)
        | Stmt::Block(_)
        | Stmt::Expr(_)
        | Stmt::FnCall(..) => Ok(()),
        _ => Err("công thức chỉ được là một biểu thức, không dùng câu lệnh".into()),
    }
}

fn check_expr(
    e: &Expr,
    path: &[ASTNode<'_>],
    known: &BTreeSet<String>,
    used: &mut BTreeSet<String>,
) -> Result<(), String> {
    match e {
        Expr::IntegerConstant(..) | Expr::BoolConstant(..) | Expr::And(..) | Expr::Or(..) => Ok(()),
        Expr::Stmt(_) => Ok(()),
        Expr::DynamicConstant(d, _) => {
            if d.is::<Decimal>() || d.is::<i64>() {
                Ok(())
            } else {
                Err("công thức chỉ dùng số, không dùng hằng kiểu khác".into())
            }
        }
        Expr::FnCall(call, _) => {
            let name = call.name.as_str();
            if OPERATORS.contains(&name) || FUNCTIONS.contains(&name) {
                Ok(())
            } else {
                Err(format!(
                    "hàm “{name}” không được phép; chỉ dùng {}",
                    FUNCTIONS.join(", ")
                ))
            }
        }
        Expr::Variable(v, ..) => {
            // `ind` only as the root of `ind.<key>.<field>` (checked on the Dot).
            if v.1.as_str() == "ind" && !is_ind_root(path) {
                return Err("“ind” phải dùng dạng ind.<mã chỉ tiêu>.actual".into());
            }
            Ok(())
        }
        Expr::Dot(b, ..) => match &b.lhs {
            Expr::Variable(v, ..) if v.1.as_str() == "ind" => {
                let (key, field) = match &b.rhs {
                    Expr::Dot(inner, ..) => match (&inner.lhs, &inner.rhs) {
                        (Expr::Property(k, _), Expr::Property(f, _)) => {
                            (k.2.as_str(), f.2.as_str())
                        }
                        _ => return Err("“ind” phải dùng dạng ind.<mã chỉ tiêu>.actual".into()),
                    },
                    _ => return Err("“ind” phải dùng dạng ind.<mã chỉ tiêu>.actual".into()),
                };
                if !known.contains(key) {
                    return Err(format!("chỉ tiêu “{key}” không có trong giao ước thi đua"));
                }
                if !FIELDS.contains(&field) {
                    return Err(format!(
                        "chỉ tiêu “{key}” không có trường “{field}”; chỉ có {}",
                        FIELDS.join(", ")
                    ));
                }
                used.insert(key.to_owned());
                Ok(())
            }
            // The inner `<key>.<field>` of a chain validated at its root.
            Expr::Property(..) if under_ind(path) => Ok(()),
            _ => Err("công thức không dùng cú pháp dấu chấm, trừ ind.<mã chỉ tiêu>.actual".into()),
        },
        // Properties are reached only under a Dot rooted at `ind`, checked above.
        Expr::Property(..) if under_ind(path) => Ok(()),
        Expr::MethodCall(call, _) => Err(format!(
            "không gọi hàm dạng x.{}(); viết {}(x)",
            call.name, call.name
        )),
        Expr::StringConstant(..) | Expr::InterpolatedString(..) | Expr::CharConstant(..) => {
            Err("công thức không dùng chuỗi ký tự".into())
        }
        _ => Err("công thức có thành phần không được phép".into()),
    }
}

fn is_ind(e: &Expr) -> bool {
    matches!(e, Expr::Variable(v, ..) if v.1.as_str() == "ind")
}

fn under_ind(path: &[ASTNode<'_>]) -> bool {
    path.iter()
        .any(|n| matches!(n, ASTNode::Expr(Expr::Dot(b, ..)) if is_ind(&b.lhs)))
}

fn is_ind_root(path: &[ASTNode<'_>]) -> bool {
    path.len() >= 2
        && matches!(path[path.len() - 2], ASTNode::Expr(Expr::Dot(b, ..)) if is_ind(&b.lhs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["grdp", "thu_ngan_sach"]
            .into_iter()
            .map(String::from)
            .collect()
    }

    fn value(actual: i64, target: i64) -> IndicatorValue {
        IndicatorValue {
            actual: Decimal::from(actual),
            target: Decimal::from(target),
            direction: Direction::HigherIsBetter,
        }
    }

    fn eval(src: &str, own: Option<IndicatorValue>) -> Result<Decimal, String> {
        let all: BTreeMap<_, _> = [("grdp".to_owned(), value(82, 80))].into_iter().collect();
        Formula::compile(src, own.is_some(), &known())?.evaluate(own.as_ref(), &all)
    }

    #[test]
    fn arithmetic_is_exact_decimal_so_ten_percent_above_target_counts() {
        assert_eq!(
            eval("actual >= target * 1.1", Some(value(11, 10))).ok(),
            None,
            "bool is refused"
        );
        assert_eq!(
            eval(
                "if actual >= target * 1.1 { 10 } else { 5 }",
                Some(value(11, 10))
            )
            .unwrap(),
            Decimal::from(10)
        );
        assert_eq!(
            eval("min(10, 10 * actual / target)", Some(value(7, 10))).unwrap(),
            Decimal::from(7)
        );
    }

    #[test]
    fn indicators_of_the_pledge_are_read_by_key() {
        assert_eq!(
            eval("ind.grdp.actual - ind.grdp.target", None).unwrap(),
            Decimal::from(2)
        );
    }

    #[test]
    fn unknown_names_are_refused_before_evaluation() {
        let e = Formula::compile("ind.gdp.actual", false, &known()).unwrap_err();
        assert!(e.contains("“gdp”"), "{e}");
        let e = Formula::compile("actual / target", false, &known()).unwrap_err();
        assert!(e.contains("actual"), "{e}");
        let e = Formula::compile("ind.grdp.muc_tieu", false, &known()).unwrap_err();
        assert!(e.contains("muc_tieu"), "{e}");
        assert!(Formula::compile("ind", false, &known()).is_err());
        assert!(Formula::compile("ind.grdp", false, &known()).is_err());
    }

    #[test]
    fn only_the_small_language_is_accepted() {
        for src in [
            "eval(\"1\")",
            "print(1)",
            "\"mười\"",
            "actual.abs()",
            "let x = 1; x",
            "while true { 1 }",
            "loop { }",
            "fn f() { 1 }",
            "[1, 2]",
            "#{a: 1}",
            "to_string(1)",
        ] {
            assert!(
                Formula::compile(src, true, &known()).is_err(),
                "{src} was accepted"
            );
        }
        assert!(Formula::compile(&"1+".repeat(300), true, &known()).is_err());
        let deep = format!("{}1{}", "(".repeat(100), ")".repeat(100));
        assert!(Formula::compile(&deep, true, &known()).is_err());
    }

    #[test]
    fn division_by_zero_is_explained() {
        let e = eval("actual / target", Some(value(5, 0))).unwrap_err();
        assert!(e.contains("chia cho 0"), "{e}");
    }

    proptest::proptest! {
        /// Whatever is typed, compiling never panics and never takes long.
        #[test]
        fn arbitrary_text_never_panics(src in "[a-z0-9 +*/().<>=!&|?:,_-]{0,80}") {
            if let Ok(f) = Formula::compile(&src, true, &known()) {
                let _ = f.evaluate(Some(&value(1, 2)), &BTreeMap::new());
            }
        }
    }
}
