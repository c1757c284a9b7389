//! YAML to JSON, and OpenAPI Overlay 1.0 (`spec/overlay.yml`) applied to the spec.
//!
//! YAML is read with YAML 1.2 core-schema scalars: a plain `true`/`false` (any case form
//! `True`, `TRUE`) is a boolean, `~`, `null` (`Null`, `NULL`) or nothing is null, decimal,
//! `0o` and `0x` integers are integers, decimal floats are floats; everything else, and every
//! quoted or block scalar, is a string (no `yes`/`no` booleans, no dates). Mapping keys must be
//! strings; a repeated key, an anchor, an alias or a non-finite number is an error (none fits
//! JSON, none is in Clerk's specs).
//!
//! Overlay semantics are those of Speakeasy's overlay tool, which Clerk uses:
//! - `update`: deep merge into the selected node. Mappings merge key by key (new keys go
//!   last, existing keys keep their place), sequences get the update's items appended, any
//!   other pair is replaced by the update. An update of a sequence by a non-sequence appends
//!   it as one item.
//! - `remove: true`: deletes the selected node from its parent (the order of the rest is kept).
//! - actions apply in order.
//!
//! Targets are singular JSONPath only: `$` followed by `["name"]`, `['name']`, `[N]` (negative
//! counts from the end) or `.name`. Wildcards, filters, slices, unions and `..` are rejected,
//! and so is a target that selects nothing: an overlay written for another spec version fails
//! loudly instead of doing half its work.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Parses one YAML document into JSON. `name` is used in error messages.
pub fn yaml_to_json(text: &str, name: &str) -> Result<Value, String> {
    let mut b = Builder {
        name,
        stack: Vec::new(),
        docs: Vec::new(),
        error: None,
    };
    Parser::new_from_str(text)
        .load(&mut b, true)
        .map_err(|e| format!("{name}: {e}"))?;
    if let Some(e) = b.error {
        return Err(e);
    }
    match b.docs.len() {
        1 => Ok(b.docs.pop().expect("one document")),
        n => Err(format!("{name}: {n} YAML documents, expected one")),
    }
}

enum Frame {
    Seq(Vec<Value>),
    /// The mapping so far and the key waiting for its value.
    Map(Map<String, Value>, Option<String>),
}

struct Builder<'a> {
    name: &'a str,
    stack: Vec<Frame>,
    docs: Vec<Value>,
    error: Option<String>,
}

impl Builder<'_> {
    fn fail(&mut self, mark: Marker, what: &str) {
        if self.error.is_none() {
            self.error = Some(format!(
                "{} line {} column {}: {what}",
                self.name,
                mark.line(),
                mark.col() + 1
            ));
        }
    }

    /// Adds a finished node to its parent (or as a document).
    fn push(&mut self, v: Value, mark: Marker) {
        match self.stack.last_mut() {
            None => self.docs.push(v),
            Some(Frame::Seq(items)) => items.push(v),
            Some(Frame::Map(map, key)) => match key.take() {
                None => match v {
                    Value::String(k) if map.contains_key(&k) => {
                        self.fail(mark, &format!("repeated key `{k}`"))
                    }
                    Value::String(k) => *key = Some(k),
                    other => self.fail(mark, &format!("non-string key {other}")),
                },
                Some(k) => {
                    map.insert(k, v);
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                self.fail(mark, "anchors are not supported")
            }
            Event::Alias(_) => self.fail(mark, "aliases are not supported"),
            Event::Scalar(_, _, _, Some(tag)) => self.fail(
                mark,
                &format!("tag {}{} is not supported", tag.handle, tag.suffix),
            ),
            Event::SequenceStart(_, Some(_)) | Event::MappingStart(_, Some(_)) => {
                self.fail(mark, "tags are not supported")
            }
            Event::Scalar(text, style, _, None) => {
                let v = if style == TScalarStyle::Plain {
                    match core_scalar(&text) {
                        Ok(v) => v,
                        Err(e) => return self.fail(mark, &e),
                    }
                } else {
                    Value::String(text)
                };
                self.push(v, mark);
            }
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(Vec::new())),
            Event::MappingStart(..) => self.stack.push(Frame::Map(Map::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let v = match self.stack.pop() {
                    Some(Frame::Seq(items)) => Value::Array(items),
                    Some(Frame::Map(map, _)) => Value::Object(map),
                    None => return self.fail(mark, "unbalanced collection end"),
                };
                self.push(v, mark);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// A plain scalar under the YAML 1.2 core schema.
fn core_scalar(s: &str) -> Result<Value, String> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        _ => {}
    }
    let big = || format!("integer {s} does not fit in 64 bits");
    if let Some(oct) = s.strip_prefix("0o").filter(|d| is_digits(d, 8)) {
        return u64::from_str_radix(oct, 8)
            .map(Value::from)
            .map_err(|_| big());
    }
    if let Some(hex) = s.strip_prefix("0x").filter(|d| is_digits(d, 16)) {
        return u64::from_str_radix(hex, 16)
            .map(Value::from)
            .map_err(|_| big());
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if is_digits(unsigned, 10) {
        let digits = s.strip_prefix('+').unwrap_or(s);
        return if let Ok(i) = digits.parse::<i64>() {
            Ok(Value::from(i))
        } else {
            digits.parse::<u64>().map(Value::from).map_err(|_| big())
        };
    }
    let lower = unsigned.to_ascii_lowercase();
    if lower == ".inf" || lower == ".nan" {
        return Err(format!("{s} has no JSON form"));
    }
    if is_core_float(unsigned) {
        let f: f64 = s.parse().map_err(|_| format!("bad float {s}"))?;
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| format!("{s} has no JSON form"));
    }
    Ok(Value::String(s.to_owned()))
}

fn is_digits(s: &str, radix: u32) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_digit(radix))
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float without sign.
fn is_core_float(s: &str) -> bool {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => is_digits(frac, 10),
        Some((int, frac)) => is_digits(int, 10) && (frac.is_empty() || is_digits(frac, 10)),
        None => is_digits(mantissa, 10),
    };
    let exp_ok = exp.is_none_or(|e| is_digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    mantissa_ok && exp_ok
}

/// One step of a singular JSONPath.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    /// A member name.
    Name(String),
    /// An array index (negative: from the end).
    Index(i64),
}

/// Parses the singular JSONPath subset described in the module documentation.
pub fn parse_path(expr: &str) -> Result<Vec<Seg>, String> {
    let fail = |i: usize, msg: &str| format!("unsupported JSONPath {expr:?} at offset {i}: {msg}");
    let b = expr.as_bytes();
    if b.first() != Some(&b'$') {
        return Err(format!(
            "unsupported JSONPath (must start with `$`): {expr:?}"
        ));
    }
    let mut segs = Vec::new();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'.' => {
                if b.get(i + 1) == Some(&b'.') {
                    return Err(fail(i, "recursive descent `..` is not supported"));
                }
                let start = i + 1;
                let mut end = start;
                while end < b.len()
                    && (b[end].is_ascii_alphanumeric() || b[end] == b'_' || b[end] == b'-')
                {
                    end += 1;
                }
                if end == start || b[start].is_ascii_digit() || b[start] == b'-' {
                    return Err(fail(i, "expected a member name after `.` (no wildcards)"));
                }
                segs.push(Seg::Name(expr[start..end].to_owned()));
                i = end;
            }
            b'[' => {
                i += 1;
                match b.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let (name, next) =
                            quoted(expr, i + 1, q as char).map_err(|(at, msg)| fail(at, &msg))?;
                        segs.push(Seg::Name(name));
                        i = next;
                    }
                    _ => {
                        let start = i;
                        if b.get(i) == Some(&b'-') {
                            i += 1;
                        }
                        let digits = i;
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                        let text = &expr[start..i];
                        let leading_zero = i - digits > 1 && b[digits] == b'0';
                        let n = text
                            .parse::<i64>()
                            .ok()
                            .filter(|_| !leading_zero && i > digits)
                            .ok_or_else(|| {
                                fail(start, "only quoted names and integer indexes inside []")
                            })?;
                        segs.push(Seg::Index(n));
                    }
                }
                if b.get(i) != Some(&b']') {
                    return Err(fail(
                        i,
                        "expected `]` (unions, slices and filters are not supported)",
                    ));
                }
                i += 1;
            }
            _ => return Err(fail(i, "unexpected character")),
        }
    }
    Ok(segs)
}

/// A string literal from `start` (after the opening quote): the name and the offset after
/// the closing quote, or the offset and reason it is bad.
fn quoted(expr: &str, start: usize, quote: char) -> Result<(String, usize), (usize, String)> {
    let mut out = String::new();
    let mut chars = expr[start..].char_indices().map(|(o, c)| (start + o, c));
    while let Some((at, c)) = chars.next() {
        if c == quote {
            return Ok((out, at + 1));
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            return Err((at, "dangling backslash".into()));
        };
        match e {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '/' | '\\' => out.push(e),
            _ if e == quote => out.push(e),
            'u' => {
                let hex: String = (0..4)
                    .filter_map(|_| chars.next().map(|(_, c)| c))
                    .collect();
                let c = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .and_then(char::from_u32)
                    .ok_or((at, format!("bad escape \\u{hex}")))?;
                out.push(c);
            }
            _ => return Err((at, format!("bad escape \\{e}"))),
        }
    }
    Err((expr.len(), "unterminated string literal".into()))
}

/// Deep merge of `update` into `target` (see the module documentation).
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                match t.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
        (t, u) => *t = u.clone(),
    }
}

/// The node `segs` selects, or the first step that selects nothing.
fn select<'v>(mut node: &'v mut Value, segs: &[Seg]) -> Result<&'v mut Value, String> {
    for seg in segs {
        let next = match (seg, node) {
            (Seg::Name(n), Value::Object(o)) => o.get_mut(n),
            (Seg::Index(i), Value::Array(a)) => {
                let at = index(*i, a.len());
                at.and_then(|at| a.get_mut(at))
            }
            _ => None,
        };
        node = next.ok_or_else(|| match seg {
            Seg::Name(n) => format!("missing {n:?}"),
            Seg::Index(i) => format!("missing [{i}]"),
        })?;
    }
    Ok(node)
}

fn index(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let at = if i < 0 { i + len } else { i };
    (0..len).contains(&at).then_some(at as usize)
}

/// Applies the overlay document `overlay` (already parsed) to `doc`. `name` is used in error
/// messages. Returns one line per action, for a log.
pub fn apply(doc: &mut Value, overlay: &Value, name: &str) -> Result<Vec<String>, String> {
    let version = overlay.get("overlay").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("1.") {
        return Err(format!("{name}: unsupported overlay version {version:?}"));
    }
    match overlay.get("x-speakeasy-jsonpath") {
        None => {}
        Some(Value::String(s)) if s == "rfc9535" || s == "legacy" => {}
        Some(other) => return Err(format!("{name}: unknown x-speakeasy-jsonpath {other}")),
    }
    let actions = overlay
        .get("actions")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or(format!("{name}: `actions` must be a non-empty list"))?;
    let mut log = Vec::new();
    for (n, action) in actions.iter().enumerate() {
        let at = format!("{name} action #{n}");
        let action = action.as_object().ok_or(format!("{at}: not a mapping"))?;
        if let Some(k) = action.keys().find(|k| {
            !k.starts_with("x-")
                && !matches!(k.as_str(), "target" | "update" | "remove" | "description")
        }) {
            return Err(format!("{at}: unknown action field `{k}`"));
        }
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or(format!("{at}: action without target"))?;
        let remove = match action.get("remove") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(format!("{at}: `remove` must be a boolean")),
        };
        let update = action.get("update");
        match (remove, update) {
            (true, Some(_)) => return Err(format!("{at}: both `update` and `remove` given")),
            (false, None) => {
                return Err(format!("{at}: neither `update` nor `remove: true` given"));
            }
            _ => {}
        }
        let segs = parse_path(target).map_err(|e| format!("{at}: {e}"))?;
        let nothing = |e: String| format!("{at}: target {target} selects nothing ({e})");
        if let Some(update) = update {
            let node = select(doc, &segs).map_err(nothing)?;
            match (node, update) {
                (Value::Array(items), u) if !u.is_array() => items.push(u.clone()),
                (node, u) => {
                    if segs.is_empty() && !u.is_object() {
                        return Err(format!("{at}: a root update must be a mapping"));
                    }
                    merge(node, u)
                }
            }
            log.push(format!("{at}: updated {target}"));
        } else {
            let (last, parent) = segs
                .split_last()
                .ok_or(format!("{at}: cannot remove the document root"))?;
            let parent = select(doc, parent).map_err(nothing)?;
            let removed = match (last, parent) {
                // `shift_remove`: the other members keep their order, as in the YAML.
                (Seg::Name(k), Value::Object(o)) => o.shift_remove(k).is_some(),
                (Seg::Index(i), Value::Array(a)) => match index(*i, a.len()) {
                    Some(at) => {
                        a.remove(at);
                        true
                    }
                    None => false,
                },
                _ => false,
            };
            if !removed {
                return Err(nothing(format!("missing {last:?}")));
            }
            log.push(format!("{at}: removed {target}"));
        }
    }
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn core_schema_scalars() {
        let v = yaml_to_json(
            "a: yes\nb: True\nc: ~\nd: 0x1F\ne: 0o17\nf: -12\ng: 1.5e3\nh: '12'\ni: 2024-01-01\nj: .5\nk: 'n'\nl: n\nm: +7\n",
            "t",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"a": "yes", "b": true, "c": null, "d": 31, "e": 15, "f": -12, "g": 1500.0,
                   "h": "12", "i": "2024-01-01", "j": 0.5, "k": "n", "l": "n", "m": 7})
        );
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.first().map(|k| k.as_str()), Some("a"));
        assert_eq!(keys.last().map(|k| k.as_str()), Some("m"));
    }

    #[test]
    fn yaml_that_has_no_json_form_is_an_error() {
        for (text, want) in [
            ("a: 1\na: 2\n", "repeated key"),
            ("1: a\n", "non-string key"),
            ("a: &x 1\nb: *x\n", "anchors"),
            ("a: .inf\n", "no JSON form"),
            ("a: !!str 1\n", "tag"),
            ("a: 99999999999999999999\n", "64 bits"),
            ("a: [1\n", "t"),
        ] {
            let err = yaml_to_json(text, "t").unwrap_err();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(
            parse_path(r#"$["a"]['b\'c'][2].d-e[-1]"#).unwrap(),
            vec![
                Seg::Name("a".into()),
                Seg::Name("b'c".into()),
                Seg::Index(2),
                Seg::Name("d-e".into()),
                Seg::Index(-1)
            ]
        );
        for bad in [
            "a",
            "$..a",
            "$.*",
            "$[*]",
            "$[0:1]",
            "$['a','b']",
            "$[?(@.a)]",
            "$['a",
        ] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "0"}, "actions": actions})
    }

    #[test]
    fn update_merges_and_remove_keeps_order() {
        let mut doc = json!({"s": {"x": {"oneOf": [1], "k": 1}, "list": [1], "y": 2, "z": 3}});
        let ov = overlay(json!([
            {"target": "$[\"s\"][\"x\"]", "update": {"type": "object", "k": {"n": 1}}},
            {"target": "$.s.x.oneOf", "remove": true},
            {"target": "$.s.list", "update": [2, 3]},
            {"target": "$.s.list", "update": {"o": 4}},
            {"target": "$.s.y", "remove": true},
        ]));
        apply(&mut doc, &ov, "o").unwrap();
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"s":{"x":{"k":{"n":1},"type":"object"},"list":[1,2,3,{"o":4}],"z":3}}"#
        );
    }

    #[test]
    fn an_action_that_selects_nothing_is_an_error() {
        for action in [
            json!({"target": "$.s.missing", "remove": true}),
            json!({"target": "$.s.missing.deeper", "update": {"a": 1}}),
            json!({"target": "$.s.list[5]", "update": 1}),
            json!({"target": "$", "remove": true}),
            json!({"target": "$.s", "update": 1, "remove": true}),
            json!({"target": "$.s"}),
            json!({"target": "$.s", "remove": true, "extra": 1}),
        ] {
            let mut doc = json!({"s": {"list": [1]}});
            let before = doc.clone();
            let err = apply(&mut doc, &overlay(json!([action])), "o").unwrap_err();
            assert!(err.starts_with("o action #0"), "{action}: {err}");
            assert_eq!(doc, before, "{action}");
        }
    }
}
