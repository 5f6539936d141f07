//! A rubric's items read from JSON (the import of the rubric form and the
//! file «Xuất JSON» writes), with every problem said in Vietnamese and
//! naming the item and field.
//!
//! Why not `serde_json::from_str::<Vec<Item>>` alone: its messages are
//! English (“invalid value: string "x", expected a Decimal type at line 1
//! column 40”) and name neither the item nor the field, and they reached
//! officers (issue 15 item 2). So the text is parsed to a
//! [`serde_json::Value`] first (only the line and column of a syntax error
//! are kept from serde), then each item is read by hand. What is accepted
//! is what serde accepts for [`Item`]: `max` as a string or a number,
//! `kind` one of the JSON names, `children` for a group, `formula` (and an
//! optional `indicator`) for a formula; a whole rubric (`{"items": […]}`)
//! or its bare list of items.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::{Item, ItemKind};
use crate::number::parse_vi;

/// Reads the items of a rubric from JSON text.
///
/// # Errors
/// Every problem found, one Vietnamese sentence each: a syntax error with
/// its line and column, or an item's bad field naming the item's code (or
/// its position when it has none) and the field.
pub fn items_from_json(text: &str) -> Result<Vec<Item>, Vec<String>> {
    let value: Value = serde_json::from_str(text).map_err(|e| vec![syntax(&e)])?;
    let list = match &value {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(vec![
                    "JSON là một bảng tiêu chí nhưng thiếu danh sách «items» các mục.".to_owned(),
                ])
            }
        },
        _ => return Err(vec![SHAPE.to_owned()]),
    };
    let mut errors = Vec::new();
    let items = read_list(list, "", &mut errors);
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

const SHAPE: &str =
    "JSON phải là danh sách các mục [{…}, …] hoặc một bảng tiêu chí {\"items\": […]}.";

fn syntax(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!(
            "JSON chưa kết thúc (thiếu dấu đóng ], }} hoặc \"), đến dòng {}, cột {}.",
            e.line(),
            e.column()
        ),
        _ => format!(
            "JSON sai cú pháp ở dòng {}, cột {} (kiểm tra dấu phẩy, ngoặc kép, ngoặc).",
            e.line(),
            e.column()
        ),
    }
}

fn read_list(list: &[Value], parent: &str, errors: &mut Vec<String>) -> Vec<Item> {
    list.iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let place = if parent.is_empty() {
                format!("Mục thứ {} của danh sách", i + 1)
            } else {
                format!("Mục con thứ {} của nhóm «{parent}»", i + 1)
            };
            match v {
                Value::Object(o) => read_item(o, &place, errors),
                _ => {
                    errors.push(format!("{place} không phải một mục {{\"code\": …}}."));
                    None
                }
            }
        })
        .collect()
}

/// A field's text: strings as they are, numbers as JSON writes them.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_item(o: &Map<String, Value>, place: &str, errors: &mut Vec<String>) -> Option<Item> {
    let before = errors.len();
    let code = o.get("code").and_then(text_of).unwrap_or_default();
    let who = if code.trim().is_empty() {
        errors.push(format!("{place}: thiếu trường «code» (mã mục)."));
        place.to_owned()
    } else {
        format!("Mục «{}»", code.trim())
    };
    let mut bad =
        |field: &str, why: String| errors.push(format!("{who}, trường «{field}»: {why}."));
    let title = match o.get("title") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            bad("title", "phải là một chuỗi chữ".into());
            String::new()
        }
        None => {
            bad("title", "thiếu nội dung mục".into());
            String::new()
        }
    };
    let max = match o.get("max").map(|v| (v, text_of(v))) {
        None => {
            bad("max", "thiếu điểm tối đa".into());
            Decimal::ZERO
        }
        Some((_, Some(t))) => match Decimal::from_str(t.trim())
            .or_else(|_| Decimal::from_scientific(t.trim()))
            .or_else(|_| parse_vi(&t))
        {
            Ok(m) => m,
            Err(_) => {
                bad(
                    "max",
                    format!("«{t}» không phải là số (vd. \"7.5\" hoặc 7.5)"),
                );
                Decimal::ZERO
            }
        },
        Some((v, None)) => {
            bad("max", format!("{v} không phải là số"));
            Decimal::ZERO
        }
    };
    let kind_name = match o.get("kind") {
        Some(Value::String(s)) => s.trim().to_owned(),
        _ => String::new(),
    };
    let string_field = |field: &str| match o.get(field) {
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(()),
    };
    let kind = match kind_name.as_str() {
        "group" => match o.get("children") {
            Some(Value::Array(kids)) => Some((
                ItemKind::Group {
                    children: Vec::new(),
                },
                Some(kids),
            )),
            Some(_) => {
                bad("children", "phải là danh sách các mục con [{…}, …]".into());
                None
            }
            None => {
                bad("children", "nhóm cần danh sách các mục con".into());
                None
            }
        },
        "manual" => Some((ItemKind::Manual, None)),
        "bonus" => Some((ItemKind::Bonus, None)),
        "penalty" => Some((ItemKind::Penalty, None)),
        "formula" => match (string_field("formula"), string_field("indicator")) {
            (Ok(Some(formula)), Ok(indicator)) if !formula.is_empty() => Some((
                ItemKind::Formula {
                    formula,
                    indicator: indicator.filter(|i| !i.is_empty()),
                },
                None,
            )),
            (Ok(_), Ok(_)) => {
                bad("formula", "mục loại công thức cần một công thức".into());
                None
            }
            (Err(()), _) => {
                bad("formula", "phải là một chuỗi chữ".into());
                None
            }
            (_, Err(())) => {
                bad("indicator", "phải là mã chỉ tiêu (chuỗi chữ)".into());
                None
            }
        },
        "" => {
            bad(
                "kind",
                "thiếu loại mục (group, manual, formula, bonus hoặc penalty)".into(),
            );
            None
        }
        other => {
            bad(
                "kind",
                format!(
                    "loại «{other}» không hợp lệ; dùng group (nhóm), manual (chấm tay), formula (công thức), bonus (điểm thưởng) hoặc penalty (điểm trừ)"
                ),
            );
            None
        }
    };
    let (mut kind, children) = kind?;
    if let (ItemKind::Group { children: out }, Some(kids)) = (&mut kind, children) {
        *out = read_list(kids, code.trim(), errors);
    }
    if errors.len() > before {
        return None;
    }
    Some(Item {
        code: code.trim().to_owned(),
        title: title.trim().to_owned(),
        max,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::tests::cluster_rubric;

    #[test]
    fn what_serde_writes_reads_back_the_same() {
        let rubric = cluster_rubric();
        let text = serde_json::to_string(&rubric).unwrap();
        assert_eq!(items_from_json(&text).unwrap(), rubric.items);
        let list = serde_json::to_string(&rubric.items).unwrap();
        assert_eq!(items_from_json(&list).unwrap(), rubric.items);
    }

    #[test]
    fn a_bad_decimal_is_named_in_vietnamese_with_item_and_field() {
        let errs = items_from_json(
            r#"[{"code":"1","title":"Kinh tế","max":"60","kind":"group","children":[
                {"code":"1.1","title":"GRDP","max":"x","kind":"manual"}]}]"#,
        )
        .unwrap_err();
        assert_eq!(
            errs,
            vec![
                "Mục «1.1», trường «max»: «x» không phải là số (vd. \"7.5\" hoặc 7.5).".to_owned()
            ]
        );
    }

    #[test]
    fn syntax_errors_and_unknown_kinds_say_where_without_english() {
        let errs = items_from_json(r#"[{"code":"1", "title": }]"#).unwrap_err();
        assert!(
            errs[0].starts_with("JSON sai cú pháp ở dòng 1, cột"),
            "{errs:?}"
        );
        let errs = items_from_json(r#"[{"code":"1""#).unwrap_err();
        assert!(errs[0].starts_with("JSON chưa kết thúc"), "{errs:?}");
        let errs =
            items_from_json(r#"[{"code":"2","title":"A","max":5,"kind":"auto"}, 3]"#).unwrap_err();
        assert!(
            errs[0].starts_with("Mục «2», trường «kind»: loại «auto»"),
            "{errs:?}"
        );
        assert_eq!(
            errs[1],
            "Mục thứ 2 của danh sách không phải một mục {\"code\": …}."
        );
        for e in &errs {
            assert!(!e.contains("expected") && !e.contains("invalid"), "{e}");
        }
    }
}
