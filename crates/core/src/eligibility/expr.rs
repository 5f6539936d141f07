//! The `when` expression of a rule: how its clauses combine.
//!
//! Grammar: `expr := ID | all(expr, …) | any(expr, …) | not(expr)`, where an
//! ID names a `[[rule.clause]]` of the same rule. Three combinators are
//! enough for every criterion of Luật TĐKT 2022 seen so far ("đạt các tiêu
//! chuẩn sau đây" = all, "đạt một trong các tiêu chuẩn" = any, "không có" = not).

/// A parsed expression; leaves are clause ids with their byte offset in the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    All(Vec<Expr>),
    Any(Vec<Expr>),
    Not(Box<Expr>),
    Id(String, usize),
}

/// Parses `src`; on failure the byte offset inside `src` and a Vietnamese reason.
///
/// # Errors
/// Unknown combinator, unbalanced parentheses, empty argument lists, trailing text.
pub fn parse(src: &str) -> Result<Expr, (usize, String)> {
    let mut p = Parser { src, pos: 0 };
    let e = p.expr()?;
    p.ws();
    if p.pos < src.len() {
        return Err((
            p.pos,
            format!("thừa nội dung «{}» sau biểu thức", &src[p.pos..]),
        ));
    }
    Ok(e)
}

struct Parser<'s> {
    src: &'s str,
    pos: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.src[self.pos..].starts_with(|c: char| c.is_whitespace()) {
            self.pos += self.src[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        }
    }

    fn ident(&mut self) -> (usize, &str) {
        self.ws();
        let start = self.pos;
        let len = self.src[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(self.src.len() - start);
        self.pos += len;
        (start, &self.src[start..start + len])
    }

    fn expr(&mut self) -> Result<Expr, (usize, String)> {
        let (start, name) = self.ident();
        let name = name.to_owned();
        if name.is_empty() {
            return Err((
                start,
                "thiếu tên điều kiện hoặc tổ hợp (all, any, not)".to_owned(),
            ));
        }
        self.ws();
        if !self.src[self.pos..].starts_with('(') {
            return Ok(Expr::Id(name, start));
        }
        self.pos += 1;
        let mut args = Vec::new();
        loop {
            self.ws();
            if self.src[self.pos..].starts_with(')') {
                self.pos += 1;
                break;
            }
            args.push(self.expr()?);
            self.ws();
            if self.src[self.pos..].starts_with(',') {
                self.pos += 1;
            } else if self.src[self.pos..].starts_with(')') {
                self.pos += 1;
                break;
            } else {
                return Err((self.pos, "thiếu dấu «,» hoặc «)»".to_owned()));
            }
        }
        match name.as_str() {
            "all" | "any" if args.is_empty() => {
                Err((start, format!("«{name}()» không có điều kiện nào")))
            }
            "all" => Ok(Expr::All(args)),
            "any" => Ok(Expr::Any(args)),
            "not" if args.len() == 1 => Ok(Expr::Not(Box::new(args.remove(0)))),
            "not" => Err((start, "«not» nhận đúng một điều kiện".to_owned())),
            other => Err((
                start,
                format!("tổ hợp «{other}» không tồn tại (chỉ có all, any, not)"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_expressions_parse() {
        let e = parse("all(a, any(b, c), not(d))").unwrap();
        let Expr::All(v) = e else { panic!() };
        assert_eq!(v.len(), 3);
        assert!(matches!(&v[2], Expr::Not(_)));
    }

    #[test]
    fn an_unknown_combinator_is_named_with_its_offset() {
        let (at, msg) = parse("all(a, some(b))").unwrap_err();
        assert_eq!(at, 7);
        assert!(msg.contains("some"));
    }

    #[test]
    fn unbalanced_input_is_refused() {
        assert!(parse("all(a, b").is_err());
        assert!(parse("a b").is_err());
        assert!(parse("not(a, b)").is_err());
    }
}
