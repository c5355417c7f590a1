//! Support tickets and their threads. Each ticket takes a billing topic, a customer that fits it
//! (a card-declined ticket goes to a customer with a failed payment, an overdue one to a
//! customer with an overdue invoice) and that customer's language, and quotes the customer's
//! real invoice number and amount. Every ticket happened before the reference day.

use super::accounts::{Account, InvoiceRef};
use super::load::{Sink, Stopped, Table};
use super::people::Lang;
use super::phrases::{Topic, date_text, money_text, phrases};
use super::rows::{MessageRow, TicketRow};
use super::{DemoConfig, SeedReport, chance, pick, stream, weighted};
use crate::store::ts;
use chrono::{Duration, NaiveTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The demo tenant's agents, (id, name): a ticket's assignee is the id.
pub(super) const AGENTS: [(&str, &str); 5] = [
    ("agt_alex", "Alex Morgan"),
    ("agt_priya", "Priya Shah"),
    ("agt_lucia", "Lucía Romero"),
    ("agt_julien", "Julien Moreau"),
    ("agt_katrin", "Katrin Vogel"),
];

/// The agents who answer each language (indexed by [`Lang::index`]), as indexes of [`AGENTS`].
const BY_LANGUAGE: [&[usize]; 4] = [&[0, 1], &[2, 0], &[3, 1], &[4, 0]];

const TOPICS: [(Topic, u32); 8] = [
    (Topic::DoubleCharge, 10),
    (Topic::CardDeclined, 18),
    (Topic::Refund, 12),
    (Topic::InvoiceCopy, 12),
    (Topic::PlanChange, 12),
    (Topic::Cancellation, 10),
    (Topic::Overdue, 14),
    (Topic::Vat, 12),
];

/// The invoice a topic talks about.
#[derive(Debug, Clone, Copy)]
enum Need {
    Nothing,
    Latest,
    Paid,
    Failed,
    Overdue,
}

fn need(topic: Topic) -> Need {
    match topic {
        Topic::DoubleCharge | Topic::Refund => Need::Paid,
        Topic::CardDeclined => Need::Failed,
        Topic::Overdue => Need::Overdue,
        Topic::InvoiceCopy | Topic::Vat => Need::Latest,
        Topic::PlanChange | Topic::Cancellation => Need::Nothing,
    }
}

fn invoice(a: &Account, need: Need) -> Option<&InvoiceRef> {
    match need {
        Need::Nothing | Need::Latest => a.refs.latest.as_ref(),
        Need::Paid => a.refs.paid.as_ref(),
        Need::Failed => a.refs.failed.as_ref(),
        Need::Overdue => a.refs.overdue.as_ref(),
    }
}

/// Accounts by language and by the invoices they have.
struct Pools([[Vec<u32>; 5]; 4]);

impl Pools {
    fn new(accounts: &[Account]) -> Self {
        let mut pools = Pools(Default::default());
        for (i, a) in accounts.iter().enumerate() {
            let by_need = &mut pools.0[a.locale.lang.index()];
            for n in [
                Need::Nothing,
                Need::Latest,
                Need::Paid,
                Need::Failed,
                Need::Overdue,
            ] {
                if matches!(n, Need::Nothing) || invoice(a, n).is_some() {
                    by_need[n as usize].push(i as u32);
                }
            }
        }
        pools
    }

    /// An account for `topic`, in `lang` if one fits; otherwise in another language; otherwise a
    /// plan-change ticket (which needs no invoice).
    fn choose(&self, rng: &mut ChaCha8Rng, lang: Lang, topic: Topic) -> Option<(usize, Topic)> {
        for (n, topic) in [(need(topic), topic), (Need::Nothing, Topic::PlanChange)] {
            for offset in 0..4 {
                let pool = &self.0[(lang.index() + offset) % 4][n as usize];
                if !pool.is_empty() {
                    return Some((*pick(rng, pool) as usize, topic));
                }
            }
        }
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Opening,
    FollowUp,
    Reply,
    Note,
    Thanks,
}

use Part::*;

/// Thread shapes (1 to 4 messages) by ticket status.
const OPEN: [(&[Part], u32); 4] = [
    (&[Opening], 45),
    (&[Opening, FollowUp], 20),
    (&[Opening, Note], 17),
    (&[Opening, Reply, FollowUp], 18),
];
const PENDING: [(&[Part], u32); 3] = [
    (&[Opening, Reply], 60),
    (&[Opening, Note, Reply], 25),
    (&[Opening, FollowUp, Reply], 15),
];
const SOLVED: [(&[Part], u32); 4] = [
    (&[Opening, Reply], 40),
    (&[Opening, Reply, Thanks], 30),
    (&[Opening, Note, Reply], 20),
    (&[Opening, FollowUp, Note, Reply], 10),
];
const CLOSED: [(&[Part], u32); 2] = [(&[Opening, Reply, Thanks], 50), (&[Opening, Reply], 50)];

pub(super) fn emit(
    cfg: &DemoConfig,
    accounts: &[Account],
    synced: &str,
    sink: &Sink,
    report: &mut SeedReport,
) -> Result<(), Stopped> {
    let mut rng = stream(cfg.seed, 4);
    let pools = Pools::new(accounts);
    let mut tickets = Table::<TicketRow>::new(synced);
    let mut messages = Table::<MessageRow>::new(synced);
    let base = cfg.today.and_time(NaiveTime::MIN).and_utc();
    let total = u64::from(cfg.tickets);
    let mut message_seq = 0;
    for seq in 1..=cfg.tickets {
        // The first tickets go round the languages, so each has a few whatever the mix.
        let lang = if seq <= 16 {
            Lang::ALL[(seq as usize - 1) % 4]
        } else {
            *weighted(
                &mut rng,
                &[
                    (Lang::En, 40),
                    (Lang::Es, 20),
                    (Lang::Fr, 20),
                    (Lang::De, 20),
                ],
            )
        };
        let wanted = *weighted(&mut rng, &TOPICS);
        let Some((index, topic)) = pools.choose(&mut rng, lang, wanted) else {
            break;
        };
        let a = &accounts[index];
        let lang = a.locale.lang;
        let thread = &phrases(lang).threads[topic.index()];
        let (agent_id, agent) = AGENTS[*pick(&mut rng, BY_LANGUAGE[lang.index()])];
        let vars = Vars::new(a, invoice(a, need(topic)), agent);
        let (status, shape) = match *weighted(
            &mut rng,
            &[
                ("open", 45),
                ("pending", 20),
                ("solved", 25),
                ("closed", 10),
            ],
        ) {
            "open" => ("open", *weighted(&mut rng, &OPEN)),
            "pending" => ("pending", *weighted(&mut rng, &PENDING)),
            "solved" => ("solved", *weighted(&mut rng, &SOLVED)),
            _ => ("closed", *weighted(&mut rng, &CLOSED)),
        };
        let urgent_topic = matches!(
            topic,
            Topic::CardDeclined | Topic::Overdue | Topic::DoubleCharge
        );
        let (priority, sla_hours) = *if urgent_topic {
            weighted(
                &mut rng,
                &[
                    (("low", 72), 3),
                    (("normal", 24), 45),
                    (("high", 8), 37),
                    (("urgent", 2), 15),
                ],
            )
        } else {
            weighted(
                &mut rng,
                &[
                    (("low", 72), 15),
                    (("normal", 24), 55),
                    (("high", 8), 22),
                    (("urgent", 2), 8),
                ],
            )
        };
        let channel = *weighted(
            &mut rng,
            &[("email", 55), ("web", 20), ("chat", 20), ("phone", 5)],
        );

        // When each message was written: gaps first, then the whole thread placed in the past.
        let gaps: Vec<i64> = shape
            .iter()
            .map(|part| match part {
                Opening => 0,
                FollowUp => rng.random_range(120..1_800),
                Reply => rng.random_range(20..1_200),
                Note => rng.random_range(5..180),
                Thanks => rng.random_range(30..1_440),
            })
            .collect();
        let (age_min, age_max) = match status {
            "open" => (10, 6 * 1_440),
            "pending" => (60, 10 * 1_440),
            "solved" => (1_440, 25 * 1_440),
            _ => (20 * 1_440, 80 * 1_440),
        };
        let mut at = base
            - Duration::minutes(gaps.iter().sum::<i64>() + rng.random_range(age_min..age_max))
            - Duration::seconds(rng.random_range(0..60));
        let created_at = ts(at);
        let mut last_customer = at;
        for (part, gap) in shape.iter().zip(&gaps) {
            at += Duration::minutes(*gap) + Duration::seconds(rng.random_range(0..60));
            let (author_kind, author_name, visibility, body) = match part {
                Opening => (
                    "customer",
                    a.name.clone(),
                    "public",
                    vars.fill(thread.opening),
                ),
                FollowUp => (
                    "customer",
                    a.name.clone(),
                    "public",
                    vars.fill(thread.follow_up),
                ),
                Thanks => (
                    "customer",
                    a.name.clone(),
                    "public",
                    pick(&mut rng, phrases(lang).thanks).to_string(),
                ),
                Reply => ("agent", agent.to_owned(), "public", vars.fill(thread.reply)),
                Note => (
                    "agent",
                    agent.to_owned(),
                    "internal",
                    vars.fill(thread.note),
                ),
            };
            if author_kind == "customer" {
                last_customer = at;
            }
            message_seq += 1;
            messages.push(MessageRow {
                seq: message_seq,
                ticket: seq,
                author_kind,
                author_name,
                body,
                visibility,
                created_at: ts(at),
            });
        }
        let answered = shape.contains(&Reply) || shape.contains(&Note);
        tickets.push(TicketRow {
            seq,
            customer: a.seq,
            subject: vars.fill(thread.subject),
            status,
            priority,
            channel,
            assignee: (answered || chance(&mut rng, 350)).then_some(agent_id),
            language: lang.code(),
            sla_due_at: (status == "open").then(|| ts(last_customer + Duration::hours(sla_hours))),
            created_at,
            updated_at: ts(at),
        });
        if tickets.is_full() {
            flush(&mut tickets, &mut messages, false, sink, total)?;
        }
    }
    flush(&mut tickets, &mut messages, true, sink, total)?;
    report.tickets = tickets.written();
    report.messages = messages.written();
    Ok(())
}

fn flush(
    tickets: &mut Table<TicketRow>,
    messages: &mut Table<MessageRow>,
    all: bool,
    sink: &Sink,
    total: u64,
) -> Result<(), Stopped> {
    let mut statements = Vec::new();
    tickets.flush(0, all, &mut statements)?;
    let done = tickets.written();
    messages.flush(done, all, &mut statements)?;
    sink.send("tickets", done, total, statements)
}

/// The values a thread's placeholders take.
struct Vars<'a> {
    first: &'a str,
    number: String,
    amount: String,
    date: String,
    due: String,
    plan: &'a str,
    error: &'a str,
    agent: &'a str,
}

impl<'a> Vars<'a> {
    fn new(a: &'a Account, invoice: Option<&InvoiceRef>, agent: &'a str) -> Self {
        let lang = a.locale.lang;
        Self {
            first: a.first,
            number: invoice.map(InvoiceRef::number).unwrap_or_default(),
            amount: invoice
                .map(|i| money_text(lang, a.currency(), i.total))
                .unwrap_or_default(),
            date: invoice
                .map(|i| date_text(lang, i.issue))
                .unwrap_or_default(),
            due: invoice.map(|i| date_text(lang, i.due)).unwrap_or_default(),
            plan: a.plan.name,
            error: invoice.and_then(|i| i.error).unwrap_or_default(),
            agent: agent.split(' ').next().unwrap_or(agent),
        }
    }

    /// `template` with each known `{placeholder}` replaced.
    fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                rest = &rest[open..];
                break;
            };
            let key = &after[..close];
            match key {
                "first" => out.push_str(self.first),
                "number" => out.push_str(&self.number),
                "amount" => out.push_str(&self.amount),
                "date" => out.push_str(&self.date),
                "due" => out.push_str(&self.due),
                "plan" => out.push_str(self.plan),
                "error" => out.push_str(self.error),
                "agent" => out.push_str(self.agent),
                _ => {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}
