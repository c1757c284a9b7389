//! The spec's Markdown, made safe for rustdoc.
//!
//! rustdoc with `-D warnings` rejects broken intra-doc links (`[foo]`), unknown HTML tags
//! (`<id>`) and bare URLs, and compiles indented or unlabelled code blocks as doctests. So:
//! code fences become `text` blocks, lines lose their indentation (no indented code blocks),
//! `[`/`]` outside Markdown links and `<` outside autolinks are escaped, and bare URLs are
//! wrapped in `<..>`. Inline code spans are left alone.

/// Sanitizes one description.
pub fn sanitize(md: &str) -> String {
    let md = md.replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in md.lines() {
        let t = line.trim_start();
        if t.starts_with("```") {
            out.push(if in_fence {
                "```".to_owned()
            } else {
                "```text".to_owned()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_owned());
        } else {
            out.push(inline(t.trim_end()));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    // Collapse runs of blank lines and trim the ends.
    let mut text = String::new();
    let mut blank = 0;
    for l in out {
        if l.is_empty() {
            blank += 1;
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        text.push_str(&l);
    }
    text
}

fn inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // A code span runs to the next backtick; an unmatched one is escaped.
                if let Some(end) = chars[i + 1..].iter().position(|&x| x == '`') {
                    out.extend(&chars[i..=i + 1 + end]);
                    i += end + 2;
                } else {
                    out.push_str("\\`");
                    i += 1;
                }
            }
            '[' => {
                if let Some(len) = link_len(&chars[i..]) {
                    let close = chars[i..].iter().position(|&x| x == ']').unwrap_or(0);
                    out.push('[');
                    out.push_str(&inline(&chars[i + 1..i + close].iter().collect::<String>()));
                    out.extend(&chars[i + close..i + len]);
                    i += len;
                } else {
                    out.push_str("\\[");
                    i += 1;
                }
            }
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => {
                let rest: String = chars[i..].iter().collect();
                if (rest.starts_with("<http://") || rest.starts_with("<https://"))
                    && rest.contains('>')
                {
                    let end = rest.find('>').unwrap_or(0);
                    out.push_str(&rest[..=end]);
                    i += rest[..=end].chars().count();
                } else {
                    out.push_str("\\<");
                    i += 1;
                }
            }
            '>' => {
                out.push_str("\\>");
                i += 1;
            }
            'h' => {
                let rest: String = chars[i..].iter().collect();
                if rest.starts_with("http://") || rest.starts_with("https://") {
                    let mut end = rest
                        .find(|c: char| c.is_whitespace() || c == ')' || c == '"' || c == '\'')
                        .unwrap_or(rest.len());
                    while end > 0 && matches!(&rest[end - 1..end], "." | "," | ";" | ":") {
                        end -= 1;
                    }
                    out.push('<');
                    out.push_str(&rest[..end]);
                    out.push('>');
                    i += rest[..end].chars().count();
                } else {
                    out.push(c);
                    i += 1;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The length of a Markdown inline link `[text](http...)` at the start of `s`, if it is one.
fn link_len(s: &[char]) -> Option<usize> {
    let close = s.iter().position(|&c| c == ']')?;
    if s[1..close].contains(&'[') || s.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = s[close..].iter().position(|&c| c == ')')? + close;
    let target: String = s[close + 2..end].iter().collect();
    if target.starts_with("http://") || target.starts_with("https://") {
        Some(end + 1)
    } else {
        None
    }
}

/// The first sentence or line of a text, ending in a period.
pub fn summary_line(s: &str) -> String {
    let s = s.trim();
    let mut line = s.lines().next().unwrap_or("").trim().to_owned();
    if line.is_empty() {
        return line;
    }
    if !line.ends_with(['.', '!', '?']) {
        line.push('.');
    }
    line
}

/// Doc comment lines (`///`) for a text.
pub fn doc_lines(text: &str) -> String {
    let mut out = String::new();
    for l in text.lines() {
        if l.is_empty() {
            out.push_str("///\n");
        } else {
            out.push_str("/// ");
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_what_rustdoc_rejects() {
        assert_eq!(sanitize("a [b] <c> d"), "a \\[b\\] \\<c\\> d");
        assert_eq!(
            sanitize("see [docs](https://clerk.com/x) and https://a.b/c."),
            "see [docs](https://clerk.com/x) and <https://a.b/c>."
        );
        assert_eq!(sanitize("`[x]` <https://a.b>"), "`[x]` <https://a.b>");
        assert_eq!(
            sanitize("```js\n  let a = 1;\n```"),
            "```text\n  let a = 1;\n```"
        );
        assert_eq!(sanitize("x\n\n\n    indented"), "x\n\nindented");
        assert_eq!(sanitize("odd ` tick"), "odd \\` tick");
    }
}
