//! Dates and times as ingest takes them: parsed, and within the years a billing or support
//! record can have (1900 to 9999). chrono reads years far outside what PostgreSQL stores
//! (`-5000-01-01`, `+200000-01-01`); such a value is the sender's error, refused with the field's
//! name, never a failed query.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

fn plausible<E: serde::de::Error>(year: i32, shown: &dyn std::fmt::Display) -> Result<(), E> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(E::custom(format!(
            "{shown} is out of range: years {} to {} are accepted",
            YEARS.start(),
            YEARS.end()
        )))
    }
}

/// An instant (RFC 3339), years 1900–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Timestamp(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t = DateTime::<Utc>::deserialize(d)?;
        plausible(t.year(), &t)?;
        Ok(Self(t))
    }
}

/// A calendar date (`YYYY-MM-DD`), years 1900–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t = NaiveDate::deserialize(d)?;
        plausible(t.year(), &t)?;
        Ok(Self(t))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_a_record_can_have_parse_and_others_are_refused() {
        assert!(serde_json::from_str::<Timestamp>(r#""2026-02-01T09:00:00Z""#).is_ok());
        assert!(serde_json::from_str::<Date>(r#""1999-12-31""#).is_ok());
        for bad in [r#""-5000-01-01""#, r#""+200000-01-01""#, r#""1899-12-31""#] {
            assert!(serde_json::from_str::<Date>(bad).is_err(), "{bad}");
        }
        for bad in [r#""-5000-01-01T00:00:00Z""#, r#""+200000-01-01T00:00:00Z""#] {
            assert!(serde_json::from_str::<Timestamp>(bad).is_err(), "{bad}");
        }
    }
}
