//! The provenance report as one self-contained HTML page: no network, no
//! server; CSS, script and bars inline. A sortable table of articles, each
//! with a bar for its residue and damage and its evidence; then the
//! clusters and the figures that disagree.

use std::fmt::Write;

use super::corpus::{Cluster, FigureGroup};
use super::{ArticleReport, Credit, Evidence};

/// Escapes text for HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f4f4f4;user-select:none}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.heavy{color:#a00;font-weight:bold}.some{color:#a60}.none{color:#070}
.ev{font-size:12px;color:#555;margin:2px 0}.ev code{background:#f6f6f6;white-space:pre-wrap}
svg.bar{vertical-align:middle}
li{margin:4px 0}
"#;

/// Sorts the article table by a column when its header is clicked; marks
/// the page ready once wired (a test reads that from the rendered DOM).
const SCRIPT: &str = r#"
(function(){
  var table=document.getElementById('articles');
  var heads=table.tHead.rows[0].cells;
  function key(row,i){var c=row.cells[i];var v=c.getAttribute('data-sort');return v===null?c.textContent:v;}
  function sort(i,dir){
    var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
    var numeric=heads[i].getAttribute('data-type')==='number';
    rows.sort(function(a,b){var x=key(a,i),y=key(b,i);
      var r=numeric?(parseFloat(x)-parseFloat(y)):x.localeCompare(y);return dir*r;});
    rows.forEach(function(r){body.appendChild(r);});
    for(var j=0;j<heads.length;j++){heads[j].removeAttribute('aria-sort');}
    heads[i].setAttribute('aria-sort',dir>0?'ascending':'descending');
  }
  for(var i=0;i<heads.length;i++){(function(i){heads[i].addEventListener('click',function(){
    sort(i,heads[i].getAttribute('aria-sort')==='ascending'?-1:1);});})(i);}
  document.body.setAttribute('data-ready','yes');
})();
"#;

/// The whole page.
pub fn page(articles: &[ArticleReport], clusters: &[Cluster], figures: &[FigureGroup]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kzlint provenance report</title><style>{STYLE}</style></head><body>\n"
    );
    let _ = writeln!(
        out,
        "<h1>Provenance of {} articles</h1>\n<p>Click a column to sort. Each article lists the text that shows its origin, carriers and damage.</p>",
        articles.len()
    );
    articles_table(&mut out, articles);
    // Entries below link to their article's row, where its evidence is.
    let row_of = |path: &str| {
        articles.iter().position(|a| a.path == path).map_or_else(
            || esc(path),
            |i| format!("<a href=\"#a{i}\">{}</a>", esc(path)),
        )
    };
    clusters_section(&mut out, clusters, &row_of);
    figures_section(&mut out, figures, &row_of);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body></html>\n");
    out
}

fn articles_table(out: &mut String, articles: &[ArticleReport]) {
    out.push_str("<h2>Articles</h2>\n<table id=\"articles\"><thead><tr>");
    for (name, kind) in [
        ("Article", "text"),
        ("Origin", "text"),
        ("Carried by", "text"),
        ("Damage", "text"),
        ("Translation /1,000 words", "number"),
        ("Residue", "number"),
        ("Residue and damage", "number"),
        ("Sources named / anonymous / vague / unspecified", "text"),
    ] {
        let _ = write!(out, "<th data-type=\"{kind}\">{}</th>", esc(name));
    }
    out.push_str("</tr></thead><tbody>\n");
    for (i, a) in articles.iter().enumerate() {
        article_row(out, i, a);
    }
    out.push_str("</tbody></table>\n");
}

fn credits(list: &[Credit]) -> String {
    if list.is_empty() {
        return "unknown".into();
    }
    list.iter()
        .map(|c| esc(&c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn evidence_item(out: &mut String, id: &str, what: &str, e: &Evidence) {
    let _ = write!(
        out,
        "<div class=\"ev\" id=\"{id}\">{} · {} at line {}, column {} (bytes {}–{}): <code>{}</code></div>",
        esc(what),
        e.how,
        e.line,
        e.column,
        e.span.start,
        e.span.end,
        esc(&e.text)
    );
}

fn article_row(out: &mut String, i: usize, a: &ArticleReport) {
    let t = &a.transformation;
    let carriers = if a.carriers.is_empty() {
        "none seen".to_string()
    } else {
        a.carriers
            .iter()
            .map(|c| match &c.name {
                Some(n) => format!("{} ({})", c.how, esc(n)),
                None => c.how.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let s = &a.sourcing;
    let damage = (t.translation_per_1000_words / 20.0).min(1.0);
    let _ = write!(
        out,
        "<tr class=\"article\" id=\"a{i}\"><td>{path}<details><summary>evidence</summary>",
        path = esc(&a.path)
    );
    let mut n = 0;
    let mut item = |out: &mut String, what: String, e: &Evidence| {
        evidence_item(out, &format!("a{i}e{n}"), &what, e);
        n += 1;
    };
    for (role, list) in [
        ("origin", &a.origin),
        ("site", &a.site),
        ("quoted", &a.quoted),
    ] {
        for c in list.iter() {
            for e in &c.evidence {
                item(out, format!("{role} {}", c.name), e);
            }
        }
    }
    for c in &a.carriers {
        for e in &c.evidence {
            item(out, format!("carrier {}", c.how), e);
        }
    }
    for f in &a.figures {
        item(out, format!("figure {} {}", f.figure, f.word), &f.evidence);
    }
    if let Some(language) = &t.translated_from {
        for e in &language.evidence {
            item(out, format!("translated from {}", language.name), e);
        }
    }
    let _ = write!(
        out,
        "</details></td><td>{origin}</td><td>{carriers}</td><td class=\"{v}\">{v}</td><td data-sort=\"{rate}\">{rate}</td><td data-sort=\"{share}\">{pct:.0}%</td>",
        origin = credits(&a.origin),
        v = t.verdict,
        rate = t.translation_per_1000_words,
        share = t.residue_share,
        pct = t.residue_share * 100.0,
    );
    // Two bars: residue share (grey) and damage rate (red, full at 20 per
    // 1,000 words).
    let _ = write!(
        out,
        "<td data-sort=\"{sort}\"><svg class=\"bar\" width=\"104\" height=\"18\" role=\"img\" aria-label=\"residue {pct:.0}%, damage {rate}\"><rect x=\"2\" y=\"2\" width=\"100\" height=\"6\" fill=\"#eee\"/><rect x=\"2\" y=\"2\" width=\"{rw:.1}\" height=\"6\" fill=\"#888\"/><rect x=\"2\" y=\"10\" width=\"100\" height=\"6\" fill=\"#eee\"/><rect x=\"2\" y=\"10\" width=\"{dw:.1}\" height=\"6\" fill=\"#c33\"/></svg></td>",
        sort = t.residue_share + damage,
        pct = t.residue_share * 100.0,
        rate = t.translation_per_1000_words,
        rw = t.residue_share * 100.0,
        dw = damage * 100.0,
    );
    let _ = writeln!(
        out,
        "<td>{} / {} / {} / {}</td></tr>",
        s.named, s.anonymous, s.vague, s.unspecified
    );
}

fn clusters_section(out: &mut String, clusters: &[Cluster], row_of: &dyn Fn(&str) -> String) {
    let _ = writeln!(
        out,
        "<h2>Articles that carry the same copy ({})</h2>",
        clusters.len()
    );
    out.push_str("<ol id=\"clusters\">\n");
    for c in clusters {
        let _ = write!(
            out,
            "<li class=\"cluster\">{} articles, similarity {:.2}, {} shared sentences",
            c.members.len(),
            c.similarity,
            c.shared_sentences
        );
        if let Some(text) = &c.shared_text {
            let _ = write!(out, ": <q>{}</q>", esc(text));
        }
        out.push_str("<ul>");
        for m in &c.members {
            let _ = write!(
                out,
                "<li class=\"member\">{} (adds {}, cuts {})</li>",
                row_of(&m.path),
                m.adds,
                m.cuts
            );
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ol>\n");
}

fn figures_section(out: &mut String, figures: &[FigureGroup], row_of: &dyn Fn(&str) -> String) {
    let _ = writeln!(out, "<h2>Figures that disagree ({})</h2>", figures.len());
    out.push_str("<ul id=\"figures\">\n");
    for g in figures {
        let _ = write!(
            out,
            "<li class=\"figures\">{} ({}):<ul>",
            esc(&g.kind),
            esc(&g.subject)
        );
        for e in &g.figures {
            let _ = write!(
                out,
                "<li>“{} {}” in {}, {}: <code>{}</code></li>",
                esc(&e.figure.figure),
                esc(&e.figure.word),
                row_of(&e.path),
                esc(e.figure.source.as_deref().unwrap_or("no source")),
                esc(&e.figure.evidence.text)
            );
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere_it_lands() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
