//! Message templates: literal text with `{name}` or `{1}` holes, checked
//! against the names a check can provide when the rule is compiled.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Var(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(Vec<Piece>);

/// A problem in a template, with the byte range inside the template string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub at: std::ops::Range<usize>,
    pub message: String,
}

impl Template {
    /// Parses `text`; `{{` and `}}` stand for literal braces.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let close = text[i..].find('}').map(|j| i + j).ok_or(TemplateError {
                        at: i..text.len(),
                        message: "unclosed `{` in message (write `{{` for a literal brace)".into(),
                    })?;
                    let name = &text[i + 1..close];
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        return Err(TemplateError {
                            at: i..close + 1,
                            message: format!("`{{{name}}}` is not a capture name or number"),
                        });
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Var(name.to_string()));
                    while chars.peek().is_some_and(|&(j, _)| j <= close) {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(TemplateError {
                        at: i..i + 1,
                        message: "stray `}` in message (write `}}` for a literal brace)".into(),
                    })
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template(pieces))
    }

    /// The variable names used, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(v.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// Fills the holes; whitespace in values is collapsed so a multi-line
    /// capture stays on one line of output.
    pub fn render<'a>(&self, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(v) => {
                    let value = lookup(v).unwrap_or("");
                    let mut first = true;
                    for word in value.split_whitespace() {
                        if !first {
                            out.push(' ');
                        }
                        out.push_str(word);
                        first = false;
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_named_and_numbered_holes_and_escapes() {
        let t = Template::parse("sign-off `{agency}` ({1}) {{literal}}").unwrap();
        assert_eq!(t.variables().collect::<Vec<_>>(), ["agency", "1"]);
        let s = t.render(|v| match v {
            "agency" => Some("IANS"),
            "1" => Some("two\n words"),
            _ => None,
        });
        assert_eq!(s, "sign-off `IANS` (two words) {literal}");
    }

    #[test]
    fn reports_where_a_template_is_broken() {
        let e = Template::parse("bad {name").unwrap_err();
        assert_eq!(e.at, 4..9);
        let e = Template::parse("bad {na me}").unwrap_err();
        assert_eq!(e.at, 4..11);
        assert!(Template::parse("a } b").is_err());
    }
}
