//! A tenant's SLA policy: what an operator writes, checked field by field, and the business
//! time it counts in (opening hours on chosen days, in the tenant's time zone).

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use countersign_model::ErrorCode;
use countersign_model::records::TicketPriority;
use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The longest target accepted: a year, in minutes.
pub const MAX_TARGET_MINUTES: u32 = 366 * 24 * 60;

/// A tenant's SLA policy as an operator writes it (and as the admin API returns it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// When the clock runs; absent or null: around the clock.
    #[serde(default)]
    pub business_hours: Option<HoursInput>,
    /// Per priority (`low`, `normal`, `high`, `urgent`); a priority left out has no SLA.
    pub targets: BTreeMap<String, TargetsInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursInput {
    /// An IANA time zone, e.g. `Europe/Madrid`.
    pub time_zone: String,
    /// `mon` … `sun`.
    pub days: Vec<String>,
    /// `HH:MM`, local time.
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsInput {
    #[serde(default)]
    pub first_response_minutes: Option<u32>,
    #[serde(default)]
    pub resolution_minutes: Option<u32>,
}

/// A checked policy.
#[derive(Debug, Clone)]
pub struct Policy {
    hours: Option<BusinessHours>,
    pub(super) targets: HashMap<TicketPriority, Targets>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Targets {
    pub(super) first_response_secs: Option<i64>,
    pub(super) resolution_secs: Option<i64>,
}

/// The hours of the week the clock runs: the same opening hours on each of `days`.
#[derive(Debug, Clone)]
pub struct BusinessHours {
    zone: TimeZone,
    days: [bool; 7],
    opens: Time,
    closes: Time,
}

pub(super) fn internal(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::Internal, message)
}

fn bad(message: String) -> Error {
    Error::new(ErrorCode::InvalidArgument, message)
}

impl PolicyInput {
    /// Checks every field; the message names the first that is wrong and what it takes.
    pub fn checked(&self) -> Result<Policy> {
        let hours = self
            .business_hours
            .as_ref()
            .map(HoursInput::checked)
            .transpose()?;
        let mut targets = HashMap::new();
        for (name, t) in &self.targets {
            let priority = TicketPriority::parse(name).map_err(|_| {
                bad(format!(
                    "targets: {name:?} is no priority (low, normal, high or urgent)"
                ))
            })?;
            let secs = |what: &str, m: Option<u32>| -> Result<Option<i64>> {
                match m {
                    Some(0) => Err(bad(format!(
                        "targets.{name}.{what} must be at least 1 minute (leave it out for none)"
                    ))),
                    Some(m) if m > MAX_TARGET_MINUTES => Err(bad(format!(
                        "targets.{name}.{what} must be at most {MAX_TARGET_MINUTES} minutes (a year)"
                    ))),
                    m => Ok(m.map(|m| i64::from(m) * 60)),
                }
            };
            targets.insert(
                priority,
                Targets {
                    first_response_secs: secs("first_response_minutes", t.first_response_minutes)?,
                    resolution_secs: secs("resolution_minutes", t.resolution_minutes)?,
                },
            );
        }
        Ok(Policy { hours, targets })
    }
}

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

impl HoursInput {
    fn checked(&self) -> Result<BusinessHours> {
        let zone = TimeZone::get(&self.time_zone).map_err(|_| {
            bad(format!(
                "business_hours.time_zone: {:?} is no IANA time zone (e.g. Europe/Madrid)",
                self.time_zone
            ))
        })?;
        let mut days = [false; 7];
        for d in &self.days {
            let i = DAYS
                .iter()
                .position(|(name, _)| name.eq_ignore_ascii_case(d.trim()))
                .ok_or_else(|| {
                    bad(format!(
                        "business_hours.days: {d:?} is no day (mon, tue, wed, thu, fri, sat, sun)"
                    ))
                })?;
            days[i] = true;
        }
        if !days.contains(&true) {
            return Err(bad(
                "business_hours.days must name at least one day (or leave business_hours out \
                 for around the clock)"
                    .into(),
            ));
        }
        let time = |what: &str, v: &str| -> Result<Time> {
            let ok = v.len() == 5 && v.as_bytes()[2] == b':';
            ok.then(|| v.parse::<Time>().ok())
                .flatten()
                .ok_or_else(|| bad(format!("business_hours.{what}: {v:?} is no HH:MM time")))
        };
        let (opens, closes) = (time("opens", &self.opens)?, time("closes", &self.closes)?);
        if opens >= closes {
            return Err(bad(format!(
                "business_hours: opens ({}) must be before closes ({})",
                self.opens, self.closes
            )));
        }
        Ok(BusinessHours {
            zone,
            days,
            opens,
            closes,
        })
    }
}

fn to_jiff(t: DateTime<Utc>) -> jiff::Timestamp {
    // Every instant PostgreSQL holds is within jiff's range.
    jiff::Timestamp::new(t.timestamp(), t.timestamp_subsec_nanos() as i32)
        .unwrap_or(jiff::Timestamp::MAX)
}

fn from_jiff(t: jiff::Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(t.as_second(), t.subsec_nanosecond() as u32)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl BusinessHours {
    fn open_on(&self, day: Weekday) -> bool {
        self.days[day.to_monday_zero_offset() as usize]
    }

    /// Each business window (opening to closing of an open day) that ends after `from`, in
    /// order, clipped to start no earlier than `from`.
    fn windows(
        &self,
        from: jiff::Timestamp,
    ) -> impl Iterator<Item = (jiff::Timestamp, jiff::Timestamp)> + '_ {
        let mut day = Some(from.to_zoned(self.zone.clone()).date());
        std::iter::from_fn(move || {
            loop {
                let d = day?;
                day = d.tomorrow().ok();
                if !self.open_on(d.weekday()) {
                    continue;
                }
                let at = |t: Time| {
                    d.to_datetime(t)
                        .to_zoned(self.zone.clone())
                        .ok()
                        .map(|z| z.timestamp())
                };
                let (Some(opens), Some(closes)) = (at(self.opens), at(self.closes)) else {
                    continue;
                };
                if closes <= from {
                    continue;
                }
                return Some((opens.max(from), closes));
            }
        })
    }

    /// The instant `secs` business seconds after `from`.
    fn add(&self, from: jiff::Timestamp, secs: i64) -> jiff::Timestamp {
        let mut left = secs;
        for (start, end) in self.windows(from) {
            let span = end.as_second() - start.as_second();
            if left <= span {
                return jiff::Timestamp::from_second(start.as_second() + left)
                    .unwrap_or(jiff::Timestamp::MAX);
            }
            left -= span;
        }
        jiff::Timestamp::MAX
    }

    /// The business seconds between `from` and `to`.
    fn between(&self, from: jiff::Timestamp, to: jiff::Timestamp) -> i64 {
        let mut total = 0;
        for (start, end) in self.windows(from) {
            if start >= to {
                break;
            }
            total += end.min(to).as_second() - start.as_second();
        }
        total
    }
}

impl Policy {
    pub(super) fn add(&self, from: DateTime<Utc>, secs: i64) -> DateTime<Utc> {
        match &self.hours {
            None => from + chrono::Duration::seconds(secs),
            Some(h) => from_jiff(h.add(to_jiff(from), secs)),
        }
    }

    pub(super) fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        match &self.hours {
            None => (to - from).num_seconds().max(0),
            Some(h) => h.between(to_jiff(from), to_jiff(to)),
        }
    }
}
