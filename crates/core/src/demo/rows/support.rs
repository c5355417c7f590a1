//! Rows of tickets, their messages and knowledge-base articles.

use super::{Binder, Col, Insert};

pub(in crate::demo) struct TicketRow {
    pub seq: u32,
    pub customer: u32,
    pub subject: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub channel: &'static str,
    pub assignee: Option<&'static str>,
    pub language: &'static str,
    pub sla_due_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl Insert for TicketRow {
    const TABLE: &'static str = "tickets";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("tkt_%06d", 1)),
        ("customer_id", Col::Printf("cus_%06d", 1)),
        ("subject", Col::Value),
        ("status", Col::Value),
        ("priority", Col::Value),
        ("channel", Col::Value),
        ("assignee", Col::Value),
        ("language", Col::Value),
        ("sla_due_at", Col::Value),
        ("created_at", Col::Value),
        ("updated_at", Col::Value),
        ("synced_at", Col::Synced),
    ];
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.seq.into())
            .int(self.customer.into())
            .string(self.subject)
            .stat(self.status)
            .stat(self.priority)
            .stat(self.channel)
            .opt_stat(self.assignee)
            .stat(self.language)
            .opt_string(self.sla_due_at)
            .string(self.created_at)
            .string(self.updated_at);
    }
}

pub(in crate::demo) struct MessageRow {
    pub seq: u32,
    pub ticket: u32,
    pub author_kind: &'static str,
    pub author_name: String,
    pub body: String,
    pub visibility: &'static str,
    pub created_at: String,
}

impl Insert for MessageRow {
    const TABLE: &'static str = "messages";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("msg_%07d", 1)),
        ("ticket_id", Col::Printf("tkt_%06d", 1)),
        ("author_kind", Col::Value),
        ("author_name", Col::Value),
        ("body", Col::Value),
        ("visibility", Col::Value),
        ("created_at", Col::Value),
        ("synced_at", Col::Synced),
    ];
    fn parent(&self) -> u64 {
        u64::from(self.ticket)
    }
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.seq.into())
            .int(self.ticket.into())
            .stat(self.author_kind)
            .string(self.author_name)
            .string(self.body)
            .stat(self.visibility)
            .string(self.created_at);
    }
}

pub(in crate::demo) struct ArticleRow {
    pub seq: u32,
    pub title: &'static str,
    pub body: &'static str,
    pub language: &'static str,
    pub tags: &'static str,
    pub updated_at: String,
}

impl Insert for ArticleRow {
    const TABLE: &'static str = "kb_articles";
    const COLUMNS: &'static [(&'static str, Col)] = &[
        ("id", Col::Printf("kb_%04d", 1)),
        ("title", Col::Value),
        ("body", Col::Value),
        ("language", Col::Value),
        ("tags", Col::Value),
        ("updated_at", Col::Value),
        ("synced_at", Col::Synced),
    ];
    fn bind(self, b: &mut Binder<'_>) {
        b.int(self.seq.into())
            .stat(self.title)
            .stat(self.body)
            .stat(self.language)
            .stat(self.tags)
            .string(self.updated_at);
    }
}
