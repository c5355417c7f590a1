//! A reply as the customer receives it: from the tenant's support address, to the ticket's
//! customer, in the ticket's thread (`Message-ID`, `In-Reply-To`, `References`), the subject
//! carrying the ticket's token (`[tkt_…]`, which threads a reply whose headers were lost), the
//! body as plain text with a simple HTML part beside it.

use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

/// What a reply is composed from.
#[derive(Debug, Clone)]
pub struct Reply {
    pub message_id: String,
    pub ticket_id: String,
    pub ticket_subject: String,
    pub body: String,
    pub customer_name: String,
    pub customer_email: String,
    pub from_address: String,
    pub from_name: Option<String>,
    /// The Message-IDs already in the thread, oldest first (the customer's mail and earlier
    /// replies), with angle brackets.
    pub thread: Vec<String>,
    /// The Message-ID of the customer's mail this answers, if it came by email.
    pub in_reply_to: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The ticket token the subject carries.
pub fn token(ticket_id: &str) -> String {
    format!("[{ticket_id}]")
}

/// The Message-ID a reply travels under: its own id at the support address's domain, so the
/// same reply always has the same one (a mail client shows a copy as the same message).
pub fn message_id(message_id: &str, from_address: &str) -> String {
    let domain = from_address
        .rsplit_once('@')
        .map_or("countersign.invalid", |(_, d)| d);
    format!("<{message_id}@{domain}>")
}

/// `Re: <subject> [tkt_…]`, without a second `Re:` or a second token.
pub fn subject(ticket_subject: &str, ticket_id: &str) -> String {
    let token = token(ticket_id);
    let mut s = ticket_subject.trim().replace(&token, "");
    s = s.trim().to_owned();
    let lower = s.to_ascii_lowercase();
    if !(lower.starts_with("re:") || lower.starts_with("aw:") || lower.starts_with("rv:")) {
        s = format!("Re: {s}");
    }
    format!("{} {token}", s.trim())
}

/// The body as simple HTML: every character escaped, blank lines between paragraphs, line
/// breaks kept.
pub fn html(body: &str) -> String {
    let escaped = body
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace("\r\n", "\n");
    let paragraphs: Vec<String> = escaped
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>\n")))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family: sans-serif; line-height: 1.4\">\n{}\n</body></html>\n",
        paragraphs.join("\n")
    )
}

/// The reply as an RFC 5322 message; `Err` when an address does not parse.
pub fn message(r: &Reply) -> Result<Message, String> {
    let from = Mailbox::new(
        r.from_name.clone(),
        r.from_address
            .parse()
            .map_err(|e| format!("the support address {:?}: {e}", r.from_address))?,
    );
    let to = Mailbox::new(
        Some(r.customer_name.clone()).filter(|n| !n.trim().is_empty()),
        r.customer_email
            .parse()
            .map_err(|e| format!("the customer's address {:?}: {e}", r.customer_email))?,
    );
    let mut b = Message::builder()
        .from(from)
        .to(to)
        .subject(subject(&r.ticket_subject, &r.ticket_id))
        .message_id(Some(message_id(&r.message_id, &r.from_address)))
        .date(r.created_at.into());
    if let Some(parent) = r.in_reply_to.clone().or_else(|| r.thread.last().cloned()) {
        b = b.in_reply_to(parent);
    }
    if !r.thread.is_empty() {
        b = b.references(r.thread.join(" "));
    }
    b.multipart(MultiPart::alternative_plain_html(
        r.body.clone(),
        html(&r.body),
    ))
    .map_err(|e| format!("the reply could not be composed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply() -> Reply {
        Reply {
            message_id: "msg_r1".into(),
            ticket_id: "tkt_1".into(),
            ticket_subject: "Charged twice".into(),
            body: "Hello Anna,\n\nwe refunded <20.00 EUR> & more.\nRegards".into(),
            customer_name: "Anna Schmidt".into(),
            customer_email: "anna@example.com".into(),
            from_address: "support@acme.test".into(),
            from_name: Some("Acme Support".into()),
            thread: vec!["<cust-1@mail.example.com>".into()],
            in_reply_to: Some("<cust-1@mail.example.com>".into()),
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn the_subject_keeps_one_re_and_one_token() {
        assert_eq!(
            subject("Charged twice", "tkt_1"),
            "Re: Charged twice [tkt_1]"
        );
        assert_eq!(
            subject("Re: Charged twice [tkt_1]", "tkt_1"),
            "Re: Charged twice [tkt_1]"
        );
        assert_eq!(subject("AW: Rechnung", "tkt_2"), "AW: Rechnung [tkt_2]");
    }

    #[test]
    fn html_escapes_everything_and_keeps_paragraphs() {
        let h = html("<script>alert('x')</script>\n\nline one\nline two");
        assert!(!h.contains("<script>"), "{h}");
        assert!(
            h.contains("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>"),
            "{h}"
        );
        assert!(h.contains("<p>line one<br>\nline two</p>"), "{h}");
    }

    #[test]
    fn a_reply_is_threaded_and_has_both_parts() {
        let raw = String::from_utf8(message(&reply()).unwrap().formatted()).unwrap();
        assert!(raw.contains("Message-ID: <msg_r1@acme.test>"), "{raw}");
        assert!(
            raw.contains("In-Reply-To: <cust-1@mail.example.com>"),
            "{raw}"
        );
        assert!(
            raw.contains("References: <cust-1@mail.example.com>"),
            "{raw}"
        );
        assert!(raw.contains("Subject: Re: Charged twice [tkt_1]"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(
            raw.contains("text/plain") && raw.contains("text/html"),
            "{raw}"
        );
        assert!(
            raw.contains("From: \"Acme Support\" <support@acme.test>")
                || raw.contains("From: Acme Support <support@acme.test>"),
            "{raw}"
        );
        let mut bad = reply();
        bad.customer_email = "not an address".into();
        assert!(message(&bad).unwrap_err().contains("customer"));
    }
}
