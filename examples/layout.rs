//! Prints the layout model's view of a file: one line per paragraph with
//! its class and zone. A tool for working on the model, not part of kzlint.
//!
//!     cargo run --release --example layout -- article.txt

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        let doc = kzlint::text::Document::new(&text);
        println!("== {path}");
        for block in &doc.layout().blocks {
            let body = &text[block.span.start..block.span.end];
            let first: String = body.lines().next().unwrap_or("").chars().take(90).collect();
            println!(
                "{:>6} {:<7} {:<4} {}{}",
                block.span.start,
                format!("{:?}", block.class),
                format!("{:?}", block.zone),
                if block.link_like { "L " } else { "" },
                first
            );
        }
    }
    Ok(())
}
