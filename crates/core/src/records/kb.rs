//! The knowledge base: articles that answer billing questions, searched by full text.

use super::{clamp_limit, int, parse, text};
use crate::store::parse_ts;
use crate::{Error, Result, fts};
use countersign_model::ArticleId;
use countersign_model::records::{Article, ArticleHit};
use sqlx::{SqliteExecutor, SqlitePool};

/// Articles matching every word of `query`, best first, optionally in one language.
pub async fn search(
    db: impl SqliteExecutor<'_>,
    query: &str,
    language: Option<&str>,
    limit: i64,
) -> Result<Vec<ArticleHit>> {
    if query.len() > fts::MAX_QUERY_LEN {
        return Err(Error::invalid(format!(
            "query is {} bytes; at most {} are accepted",
            query.len(),
            fts::MAX_QUERY_LEN
        )));
    }
    let expr = fts::match_all_words(query)
        .ok_or_else(|| Error::invalid("query has no searchable word"))?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT a.id, a.title, a.language, snippet(kb_fts, 1, '«', '»', '…', 24) AS snippet \
         FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid \
         WHERE kb_fts MATCH ?1 AND (?2 IS NULL OR a.language = ?2) ORDER BY rank LIMIT {}",
        clamp_limit(limit)
    )))
    .bind(expr)
    .bind(language)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok(ArticleHit {
            id: parse(ArticleId::parse(&text(row, "id")?))?,
            title: text(row, "title")?,
            language: text(row, "language")?,
            snippet: text(row, "snippet")?,
        })
    })
    .collect()
}

/// One article.
pub async fn find(pool: &SqlitePool, id: &ArticleId) -> Result<Article> {
    let row = sqlx::query(
        "SELECT id, title, body, language, tags, updated_at, version FROM kb_articles WHERE id = ?",
    )
    .bind(id.as_str())
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::not_found("article", id))?;
    Ok(Article {
        id: parse(ArticleId::parse(&text(&row, "id")?))?,
        title: text(&row, "title")?,
        body: text(&row, "body")?,
        language: text(&row, "language")?,
        tags: parse(serde_json::from_str(&text(&row, "tags")?))?,
        updated_at: parse_ts(&text(&row, "updated_at")?)?,
        version: int(&row, "version")?,
    })
}
