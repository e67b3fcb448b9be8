//! Paragraphs, sentences and tokens, all with byte spans into the body.
//!
//! Paragraphs: blank lines always separate them. Inside a run of non-blank
//! lines, a line break starts a new paragraph when the next line is
//! indented (wire copy marks paragraphs so), is a list bullet, or when the
//! line before is not a hard-wrapped line (hard wrap: a line of wire
//! width that the next line continues). Otherwise the break is a wrap and
//! the sentence runs on.
//!
//! Sentences: every `.`, `!`, `?` or `…` (with any closing quotes or
//! brackets after it) followed by a blank ends a sentence, except after an
//! abbreviation, an initial or `No.` before a number. Stray periods inside
//! a clause therefore do end a "sentence": that is what the translation
//! analyzers look for.

use std::sync::LazyLock;

use foldhash::HashSet;

use crate::diagnostic::Span;

use super::{is_blank_char, Line};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// The token's text is ASCII: its lower case is a slice of the
    /// article's ASCII lower case ([`super::Document::lower_token`]).
    pub ascii: bool,
    /// [`word_filter_bit`] of its text, computed once for the word lists
    /// that ask about every word.
    pub filter: u16,
}

/// A word's bit in a word list's filter (of 2,048 bits), from its length
/// and its first and last bytes, ASCII case aside: an ASCII word and its
/// lower case share it.
#[inline]
pub fn word_filter_bit(word: &str) -> u16 {
    let b = word.as_bytes();
    let (first, last) = match b {
        [] => (0, 0),
        [first, .., last] => (*first, *last),
        [only] => (*only, *only),
    };
    let (first, last) = (first.to_ascii_lowercase(), last.to_ascii_lowercase());
    let key = u32::from(first) | u32::from(last) << 8 | (b.len() as u32) << 16;
    (key.wrapping_mul(0x9E37_79B1) >> 21) as u16
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of its paragraph.
    pub paragraph: usize,
    /// Range into the document's tokens.
    pub tokens: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// From the first to the last non-blank character (bullet excluded).
    pub span: Span,
    /// Range into the document's lines.
    pub lines: std::ops::Range<usize>,
    /// A list item (`- `, `• `, `1. `).
    pub bullet: bool,
    /// A headline or subhead: one short line with no final punctuation.
    pub heading: bool,
    /// A table: some line has a column gap (three or more blanks between
    /// words, or a tab). Prose analyzers skip tables.
    pub tabular: bool,
    /// Range into the document's sentences.
    pub sentences: std::ops::Range<usize>,
}

fn is_heading_line(text: &str) -> bool {
    let bare = text.trim_end_matches(['"', '”', '’', '\'', ')', ']', '»']);
    text.split_whitespace().count() <= 20 && !bare.ends_with(['.', '!', '?', ',', ';', ':', '…'])
}

fn has_column_gap(line: &Line<'_>) -> bool {
    // One searcher for every line: `str::contains` set one up per call,
    // which cost as much as the rest of paragraph splitting.
    static GAP: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("   "));
    let t = line.text.trim().as_bytes();
    memchr::memchr(b'\t', t).is_some() || GAP.find(t).is_some()
}

/// Widest line that still counts as hard-wrapped copy.
const WRAP_WIDTH: usize = 100;
/// Narrowest line that can be a wrapped line (shorter ones are labels).
const MIN_WRAPPED: usize = 35;

fn leading_blanks(s: &str) -> usize {
    s.len() - s.trim_start_matches(is_blank_char).len()
}

/// Length of a list bullet at the start of `s` (after indentation), if any.
pub fn bullet_len(s: &str) -> Option<usize> {
    let indent = leading_blanks(s);
    let rest = &s[indent..];
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    let marker_end = if matches!(first, '-' | '•' | '*' | '–' | '—' | '·' | '▪') {
        first.len_utf8()
    } else if first.is_ascii_digit() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 2 || !matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    } else {
        return None;
    };
    let after = &rest[marker_end..];
    let gap = leading_blanks(after);
    (gap > 0 && after.len() > gap).then_some(indent + marker_end + gap)
}

pub(super) fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(is_blank_char)
        .trim_end_matches(['"', '”', '’', '\'', ')', ']', '»'])
        .ends_with(['.', '!', '?', '…', ':'])
}

/// Does the break after `prev` continue the same paragraph into `next`?
fn is_wrap(prev: &Line<'_>, next: &Line<'_>, hard_wrapped: bool) -> bool {
    let width = prev.text.trim_end().chars().count();
    if bullet_len(next.text).is_some() || bullet_len(prev.text).is_some() && width > WRAP_WIDTH {
        return false;
    }
    // A line that opens in lower case after an unfinished one carries on the
    // sentence, however it is indented ("because of\n falling employment").
    let next_lower = next
        .text
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    if next_lower && !ends_sentence(prev.text) {
        return true;
    }
    if !hard_wrapped {
        return false;
    }
    // Wire copy marks a new paragraph by indenting it.
    if leading_blanks(next.text) > 0 || !(MIN_WRAPPED..=WRAP_WIDTH).contains(&width) {
        return false;
    }
    // A lone word with no punctuation is a label or sign-off, not the end
    // of a wrapped sentence (which would end with a terminator).
    let next_text = next.text.trim();
    if !next_text.contains(char::is_whitespace) && !ends_sentence(next_text) {
        return false;
    }
    // A wrapped line stops mid-sentence, or is as wide as wire copy.
    !ends_sentence(prev.text) || next_lower || width >= 55
}

/// Is the text hard-wrapped, as wire copy is? Text with one paragraph a
/// line (what most extractors write) has many lines wider than any wrap; a
/// line break there always ends a paragraph unless the sentence visibly
/// runs on.
fn is_hard_wrapped(lines: &[Line<'_>]) -> bool {
    let (mut text_lines, mut wide) = (0usize, 0usize);
    for line in lines {
        let width = line.text.len();
        if width >= MIN_WRAPPED {
            text_lines += 1;
            // Bytes first: only a line near the limit needs counting.
            wide += (width > WRAP_WIDTH && line.text.trim().chars().count() > WRAP_WIDTH) as usize;
        }
    }
    wide < 2 || wide * 3 < text_lines
}

pub fn paragraphs(lines: &[Line<'_>]) -> Vec<Paragraph> {
    let hard_wrapped = is_hard_wrapped(lines);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_blank() {
            i += 1;
            continue;
        }
        let start = i;
        while i + 1 < lines.len()
            && !lines[i + 1].is_blank()
            && is_wrap(&lines[i], &lines[i + 1], hard_wrapped)
        {
            i += 1;
        }
        let first = &lines[start];
        let bullet = bullet_len(first.text);
        let span_start = first.span.start + bullet.unwrap_or_else(|| leading_blanks(first.text));
        let span_end = lines[i].trimmed_span().end;
        let paragraph_lines = &lines[start..i + 1];
        out.push(Paragraph {
            span: Span::new(span_start, span_end.max(span_start)),
            lines: start..i + 1,
            bullet: bullet.is_some(),
            heading: bullet.is_none()
                && paragraph_lines.len() == 1
                && is_heading_line(first.text.trim()),
            tabular: paragraph_lines.iter().any(has_column_gap),
            sentences: 0..0,
        });
        i += 1;
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' || c == '\u{2011}'
}

/// Splits `text[span]` into tokens: words (letters, digits, inner
/// apostrophes and hyphens, inner periods as in `U.S.` or `3.5`) and single
/// punctuation characters.
pub fn tokenize(text: &str, span: Span, out: &mut Vec<Token>) {
    let s = &text[span.start..span.end];
    let bytes = s.as_bytes();
    let char_at = |at: usize| s[at..].chars().next();
    let mut pos = 0;
    while pos < bytes.len() {
        // Spaces and ASCII punctuation, most of what is not a word, are
        // decided from their byte.
        let b = bytes[pos];
        if b == b' ' {
            pos += 1;
            continue;
        }
        if b.is_ascii_punctuation() {
            out.push(Token {
                span: Span::new(span.start + pos, span.start + pos + 1),
                kind: TokenKind::Punct,
                ascii: true,
                filter: word_filter_bit(&s[pos..pos + 1]),
            });
            pos += 1;
            continue;
        }
        let Some(c) = char_at(pos) else { break };
        let i = pos;
        pos += c.len_utf8();
        if is_blank_char(c) {
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Token {
                span: Span::new(span.start + i, span.start + pos),
                kind: TokenKind::Punct,
                ascii: c.is_ascii(),
                filter: word_filter_bit(&s[i..pos]),
            });
            continue;
        }
        let mut end = pos;
        loop {
            // ASCII letters and digits, most of any word, are taken as
            // bytes; the rules below decide at anything else.
            end += bytes[end..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let Some(d) = char_at(end) else { break };
            let j = end;
            let inner_period = d == '.'
                && s[j + 1..].chars().next().is_some_and(char::is_alphanumeric)
                && !s[j + 1..].starts_with(char::is_uppercase)
                || d == '.'
                    && s[..j]
                        .chars()
                        .rev()
                        .take_while(|c| c.is_alphanumeric())
                        .count()
                        == 1
                    && s[j + 1..].chars().next().is_some_and(char::is_alphabetic);
            let joiner = matches!(d, '\'' | '’' | '-' | '\u{2011}' | ',')
                && s[j + d.len_utf8()..].chars().next().is_some_and(|n| {
                    if d == ',' {
                        c.is_ascii_digit() && n.is_ascii_digit()
                    } else {
                        n.is_alphanumeric()
                    }
                });
            if is_word_char(d) && d.is_alphanumeric() || joiner || inner_period {
                end = j + d.len_utf8();
            } else {
                break;
            }
        }
        // A trailing period that closes an abbreviation such as U.S.
        let word = &s[i..end];
        if s[end..].starts_with('.')
            && word.contains('.')
            && word.split('.').all(|p| p.chars().count() == 1)
        {
            end += 1;
        }
        pos = end;
        let word = &bytes[i..end];
        let kind = if word.iter().any(u8::is_ascii_alphabetic)
            || !word.is_ascii() && s[i..end].chars().any(char::is_alphabetic)
        {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        out.push(Token {
            span: Span::new(span.start + i, span.start + end),
            kind,
            ascii: word.is_ascii(),
            filter: word_filter_bit(&s[i..end]),
        });
    }
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpl", "maj", "adm", "gov",
    "sen", "rep", "rev", "hon", "pres", "st", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "vs", "v", "etc", "inc", "ltd", "co", "corp", "jr",
    "sr", "bros", "dept", "approx", "fig", "vol", "pp", "cf", "al", "ave", "blvd", "sq",
];
/// Abbreviations that are only abbreviations when capitalised as here
/// (US states in wire style, "Div." for division): "he fell ill. doctors"
/// must still split.
const CAPITALISED_ABBREVIATIONS: &[&str] = &[
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Kans",
    "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore",
    "Pa", "Tenn", "Tex", "Vt", "Va", "Wash", "Wis", "Wisc", "Wyo", "Div", "Gov", "Sen", "Rep",
    "Rt", "Sup", "Cal", "Messrs",
];
/// Bytes in the longest abbreviation of either list.
const LONGEST_ABBREVIATION: usize = 6;
// Units such as "mln" or "dlrs" are left out on purpose: wire copy ends
// sentences with them ("rose to 5.9 mln dlrs.").

/// True when the token before a period is an abbreviation, an initial or a
/// dotted acronym (`U.S.`, `a.m.`, `e.g.`), so the period is not an end.
/// `next` is the token after the period: "No." is short for number only
/// before a number.
pub fn is_abbreviation(word: &str, next: Option<&str>) -> bool {
    let bare = word.trim_end_matches('.');
    if bare.eq_ignore_ascii_case("no") || bare.eq_ignore_ascii_case("nos") {
        return next.is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()));
    }
    if bare.contains('.') {
        return true; // U.S, a.m, e.g
    }
    let mut chars = bare.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase(); // an initial: John F. Kennedy
    }
    // Asked at every period: most words before one are longer than any
    // abbreviation, and the rest are looked up in sets, not list scans.
    if bare.len() > LONGEST_ABBREVIATION {
        return false;
    }
    static CAPITALISED: LazyLock<HashSet<&str>> =
        LazyLock::new(|| CAPITALISED_ABBREVIATIONS.iter().copied().collect());
    static ANY_CASE: LazyLock<HashSet<&str>> =
        LazyLock::new(|| ABBREVIATIONS.iter().copied().collect());
    CAPITALISED.contains(bare) || ANY_CASE.contains(super::lower(bare).as_ref())
}

const CLOSERS: [char; 7] = ['"', '”', '’', '\'', ')', ']', '»'];

/// Sentences of one paragraph, and the paragraph's tokens.
pub fn sentences(
    text: &str,
    paragraph_index: usize,
    para: Span,
    tokens: &mut Vec<Token>,
    out: &mut Vec<Sentence>,
) {
    let first_token = tokens.len();
    tokenize(text, para, tokens);
    let toks = &tokens[first_token..];
    let mut start_tok = 0;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        // Most tokens are words: no need to look at their text.
        if t.kind != TokenKind::Punct {
            i += 1;
            continue;
        }
        let ch = &text[t.span.start..t.span.end];
        if !matches!(ch, "." | "!" | "?" | "…") {
            i += 1;
            continue;
        }
        // Swallow runs of terminators ("?!", "...") and closing marks.
        let mut end = i;
        while end + 1 < toks.len() {
            let next = &text[toks[end + 1].span.start..toks[end + 1].span.end];
            let adjacent = toks[end + 1].span.start == toks[end].span.end;
            if adjacent && (matches!(next, "." | "!" | "?" | "…") || next.starts_with(CLOSERS)) {
                end += 1;
            } else {
                break;
            }
        }
        let followed_by_blank = text[toks[end].span.end..para.end]
            .chars()
            .next()
            .is_none_or(is_blank_char);
        let prev_word =
            (i > start_tok).then(|| &text[toks[i - 1].span.start..toks[i - 1].span.end]);
        let next_tok = toks.get(end + 1).map(|t| &text[t.span.start..t.span.end]);
        let abbreviation = ch == "."
            && toks[i].span.start == toks[i.saturating_sub(1)].span.end
            && prev_word.is_some_and(|w| is_abbreviation(w, next_tok));
        let ellipsis_mid = (ch == "…"
            || end > i && &text[toks[i].span.start..toks[end].span.end] == "...")
            && next_tok.is_some_and(|n| n.starts_with(char::is_lowercase));
        if followed_by_blank && !abbreviation && !ellipsis_mid && end + 1 < toks.len() {
            push_sentence(out, paragraph_index, first_token, start_tok, end, toks);
            start_tok = end + 1;
        }
        i = end + 1;
    }
    if start_tok < toks.len() {
        push_sentence(
            out,
            paragraph_index,
            first_token,
            start_tok,
            toks.len() - 1,
            toks,
        );
    }
}

fn push_sentence(
    out: &mut Vec<Sentence>,
    paragraph: usize,
    base: usize,
    first: usize,
    last: usize,
    toks: &[Token],
) {
    out.push(Sentence {
        span: Span::new(toks[first].span.start, toks[last].span.end),
        paragraph,
        tokens: base + first..base + last + 1,
    });
}

#[cfg(test)]
mod tests {
    use super::super::Document;
    use super::*;

    fn sentence_texts(text: &str) -> Vec<String> {
        let doc = Document::new(text);
        doc.sentences()
            .iter()
            .map(|s| text[s.span.start..s.span.end].to_string())
            .collect()
    }

    fn paragraph_texts(text: &str) -> Vec<&str> {
        let doc = Document::new(text);
        doc.paragraphs()
            .iter()
            .map(|p| &text[p.span.start..p.span.end])
            .collect()
    }

    fn words(text: &str) -> Vec<&str> {
        let mut toks = Vec::new();
        tokenize(text, Span::new(0, text.len()), &mut toks);
        toks.iter()
            .map(|t| &text[t.span.start..t.span.end])
            .collect()
    }

    #[test]
    fn no_abbreviation_is_longer_than_the_length_checked_first() {
        let longest = ABBREVIATIONS
            .iter()
            .chain(CAPITALISED_ABBREVIATIONS)
            .map(|a| a.len())
            .max();
        assert_eq!(longest, Some(LONGEST_ABBREVIATION));
        assert!(is_abbreviation("Messrs", Some("Smith")));
        assert!(is_abbreviation("approx", Some("5")));
    }

    #[test]
    fn abbreviations_initials_and_numbers_do_not_end_sentences() {
        assert_eq!(
            sentence_texts("Gen. Smith met U.S. officials at 10 a.m. local time. Prices rose 3.5 percent to 1,200 dlrs."),
            ["Gen. Smith met U.S. officials at 10 a.m. local time.", "Prices rose 3.5 percent to 1,200 dlrs."]
        );
        assert_eq!(
            sentence_texts("He lives at No. 10 Downing St. in London. John F. Kennedy visited St. Petersburg on Jan. 5."),
            ["He lives at No. 10 Downing St. in London.", "John F. Kennedy visited St. Petersburg on Jan. 5."]
        );
    }

    #[test]
    fn capitalised_state_abbreviations_do_not_split_but_lower_case_words_do() {
        assert_eq!(
            sentence_texts(
                "The plant in Racine, Wis. employs 300. He fell ill. doctors were called."
            ),
            [
                "The plant in Racine, Wis. employs 300.",
                "He fell ill.",
                "doctors were called."
            ]
        );
        assert_eq!(
            sentence_texts("The answer was no. Then he left. Flat No. 4 was empty."),
            [
                "The answer was no.",
                "Then he left.",
                "Flat No. 4 was empty."
            ]
        );
    }

    #[test]
    fn a_one_word_sign_off_line_is_not_a_wrapped_continuation() {
        let text =
            "The company said it expects a bigger role for telecommunications firms.\nreuter\n";
        let doc = Document::new(text);
        assert_eq!(doc.paragraphs().len(), 2);
    }

    #[test]
    fn urls_domains_and_ellipses_stay_inside_a_sentence() {
        assert_eq!(
            sentence_texts("See example.com/news for details. The talks... resumed on Monday."),
            [
                "See example.com/news for details.",
                "The talks... resumed on Monday."
            ]
        );
    }

    #[test]
    fn quotations_close_with_their_sentence() {
        assert_eq!(
            sentence_texts("“We will win.” The crowd cheered. «Non», dit-il. “Why?” he asked."),
            [
                "“We will win.”",
                "The crowd cheered.",
                "«Non», dit-il.",
                "“Why?”",
                "he asked."
            ]
        );
    }

    #[test]
    fn a_stray_period_inside_a_clause_still_ends_a_sentence() {
        assert_eq!(
            sentence_texts("The protests. broke out last week."),
            ["The protests.", "broke out last week."]
        );
    }

    #[test]
    fn tokens_keep_inner_apostrophes_hyphens_and_number_separators() {
        assert_eq!(
            words("Kazakhstan’s co-operation: 3,000 (U.S.)"),
            [
                "Kazakhstan’s",
                "co-operation",
                ":",
                "3,000",
                "(",
                "U.S.",
                ")"
            ]
        );
        assert_eq!(words("Москва, “Да”."), ["Москва", ",", "“", "Да", "”", "."]);
    }

    #[test]
    fn hard_wrapped_wire_copy_is_joined_and_indented_lines_start_paragraphs() {
        let text = "BAHIA COCOA REVIEW\n\nSALVADOR, Feb 26 - Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary, Comissaria Smith said in its weekly review.\n    The dry period means the temporao will be late this year.\n";
        let doc = Document::new(text);
        let paras = paragraph_texts(text);
        assert_eq!(paras.len(), 3);
        assert_eq!(paras[0], "BAHIA COCOA REVIEW");
        assert!(paras[1].starts_with("SALVADOR") && paras[1].ends_with("weekly review."));
        assert_eq!(
            paras[2],
            "The dry period means the temporao will be late this year."
        );
        assert_eq!(doc.sentences().len(), 3);
    }

    #[test]
    fn a_lower_case_line_continues_an_unfinished_one_whatever_its_indent() {
        let text = "    He said the outlook was gloomy because of\n falling employment.\n    The bank gave no agenda for the\nmeetings.\n";
        let paras = paragraph_texts(text);
        assert_eq!(
            paras,
            [
                "He said the outlook was gloomy because of\n falling employment.",
                "The bank gave no agenda for the\nmeetings."
            ]
        );
    }

    #[test]
    fn web_paragraphs_on_single_lines_and_bullets_are_separate() {
        let long = "The government said on Friday that the measures would remain in force until the end of the month at least.";
        let text = format!("views\n{long}\n- First point of the list, which the agency reported on Friday.\n- Second point.\n");
        let doc = Document::new(&text);
        let paras: Vec<(&str, bool)> = doc
            .paragraphs()
            .iter()
            .map(|p| (&text[p.span.start..p.span.end], p.bullet))
            .collect();
        assert_eq!(
            paras,
            [
                ("views", false),
                (long, false),
                (
                    "First point of the list, which the agency reported on Friday.",
                    true
                ),
                ("Second point.", true)
            ]
        );
    }

    #[test]
    fn headings_are_single_short_lines_without_final_punctuation() {
        let text = "Council approves budget\n\nThe council approved the budget on Thursday.\n\nwhat comes next\n";
        let doc = Document::new(text);
        let headings: Vec<bool> = (0..doc.paragraphs().len())
            .map(|i| doc.is_heading(i))
            .collect();
        assert_eq!(headings, [true, false, true]);
    }
}
