//! The knowledge base: every article of every language in [`super::phrases`].

use super::load::{Sink, Stopped, Table};
use super::people::Lang;
use super::phrases::phrases;
use super::rows::ArticleRow;
use super::{DemoConfig, SeedReport, stamp, stream};
use chrono::Days;
use rand::Rng;

pub(super) fn emit(
    cfg: &DemoConfig,
    synced: &str,
    sink: &Sink,
    report: &mut SeedReport,
) -> Result<(), Stopped> {
    let mut rng = stream(cfg.seed, 5);
    let mut articles = Table::<ArticleRow>::new(synced);
    let all: Vec<_> = Lang::ALL
        .iter()
        .flat_map(|lang| {
            phrases(*lang)
                .articles
                .iter()
                .map(move |a| (lang.code(), a))
        })
        .collect();
    for (seq, (language, article)) in (1..).zip(&all) {
        let updated = cfg.today - Days::new(rng.random_range(3..400));
        articles.push(ArticleRow {
            seq,
            title: article.title,
            body: article.body,
            language,
            tags: article.tags,
            updated_at: stamp(
                updated,
                rng.random_range(28_800..64_800),
                rng.random_range(0..1000),
            ),
        });
    }
    let mut statements = Vec::new();
    articles.flush(0, true, &mut statements)?;
    report.articles = articles.written();
    sink.send("articles", report.articles, all.len() as u64, statements)
}
