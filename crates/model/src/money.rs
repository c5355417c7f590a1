//! Exact money. An amount is an integer count of the currency's minor unit (cents for EUR, yen
//! for JPY) with its ISO 4217 code; it crosses every boundary as a decimal string. No floats.

use crate::ParseError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");
    pub const USD: Currency = Currency(*b"USD");
    pub const GBP: Currency = Currency(*b"GBP");

    /// Parses a three-letter code, case-insensitively. Only codes ISO 4217 lists as a current
    /// currency are accepted (`ZZZ`, `ABC` are not currencies).
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let b = s.trim().as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_alphabetic) {
            return Err(ParseError::new(
                "currency",
                format!("expected a three-letter ISO 4217 code, got {s:?}"),
            ));
        }
        let code = [
            b[0].to_ascii_uppercase(),
            b[1].to_ascii_uppercase(),
            b[2].to_ascii_uppercase(),
        ];
        if ISO_4217.binary_search(&&code).is_err() {
            return Err(ParseError::new(
                "currency",
                format!("{s:?} is not an ISO 4217 currency code"),
            ));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// How many decimal places the currency's minor unit has.
    pub fn exponent(self) -> u32 {
        match &self.0 {
            b"BIF" | b"CLP" | b"DJF" | b"GNF" | b"ISK" | b"JPY" | b"KMF" | b"KRW" | b"PYG"
            | b"RWF" | b"UGX" | b"VND" | b"VUV" | b"XAF" | b"XOF" | b"XPF" => 0,
            b"BHD" | b"IQD" | b"JOD" | b"KWD" | b"LYD" | b"OMR" | b"TND" => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "ISO 4217 currency code, e.g. EUR"
        })
    }
}

/// The codes ISO 4217 lists as in use for currencies and funds (precious metals, `XXX` and `XTS`
/// excluded), sorted for a binary search.
const ISO_4217: &[&[u8; 3]] = &[
    b"AED", b"AFN", b"ALL", b"AMD", b"ANG", b"AOA", b"ARS", b"AUD", b"AWG", b"AZN", b"BAM", b"BBD",
    b"BDT", b"BGN", b"BHD", b"BIF", b"BMD", b"BND", b"BOB", b"BOV", b"BRL", b"BSD", b"BTN", b"BWP",
    b"BYN", b"BZD", b"CAD", b"CDF", b"CHE", b"CHF", b"CHW", b"CLF", b"CLP", b"CNY", b"COP", b"COU",
    b"CRC", b"CUC", b"CUP", b"CVE", b"CZK", b"DJF", b"DKK", b"DOP", b"DZD", b"EGP", b"ERN", b"ETB",
    b"EUR", b"FJD", b"FKP", b"GBP", b"GEL", b"GHS", b"GIP", b"GMD", b"GNF", b"GTQ", b"GYD", b"HKD",
    b"HNL", b"HTG", b"HUF", b"IDR", b"ILS", b"INR", b"IQD", b"IRR", b"ISK", b"JMD", b"JOD", b"JPY",
    b"KES", b"KGS", b"KHR", b"KMF", b"KPW", b"KRW", b"KWD", b"KYD", b"KZT", b"LAK", b"LBP", b"LKR",
    b"LRD", b"LSL", b"LYD", b"MAD", b"MDL", b"MGA", b"MKD", b"MMK", b"MNT", b"MOP", b"MRU", b"MUR",
    b"MVR", b"MWK", b"MXN", b"MXV", b"MYR", b"MZN", b"NAD", b"NGN", b"NIO", b"NOK", b"NPR", b"NZD",
    b"OMR", b"PAB", b"PEN", b"PGK", b"PHP", b"PKR", b"PLN", b"PYG", b"QAR", b"RON", b"RSD", b"RUB",
    b"RWF", b"SAR", b"SBD", b"SCR", b"SDG", b"SEK", b"SGD", b"SHP", b"SLE", b"SLL", b"SOS", b"SRD",
    b"SSP", b"STN", b"SVC", b"SYP", b"SZL", b"THB", b"TJS", b"TMT", b"TND", b"TOP", b"TRY", b"TTD",
    b"TWD", b"TZS", b"UAH", b"UGX", b"USD", b"USN", b"UYI", b"UYU", b"UYW", b"UZS", b"VED", b"VES",
    b"VND", b"VUV", b"WST", b"XAF", b"XCD", b"XCG", b"XOF", b"XPF", b"YER", b"ZAR", b"ZMW", b"ZWG",
    b"ZWL",
];

/// The largest amount accepted from input, in major units: far above any support refund.
const MAX_MAJOR_UNITS: i64 = 1_000_000_000;

/// An exact amount of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Self { minor: 0, currency }
    }

    /// Parses a decimal amount such as `"12.50"` in `currency`. Rejects more decimal places than
    /// the currency has, exponents, thousands separators and absurd magnitudes.
    pub fn parse(amount: &str, currency: Currency) -> Result<Self, ParseError> {
        let s = amount.trim();
        let bad = |why: String| ParseError::new("amount", why);
        if s.is_empty() || s.len() > 32 {
            return Err(bad(format!(
                "expected a decimal amount like \"12.50\", got {amount:?}"
            )));
        }
        if !s
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'))
        {
            return Err(bad(format!(
                "expected a decimal amount like \"12.50\", got {amount:?}"
            )));
        }
        let d = Decimal::from_str_exact(s)
            .map_err(|_| {
                bad(format!(
                    "expected a decimal amount like \"12.50\", got {amount:?}"
                ))
            })?
            .normalize();
        let exp = currency.exponent();
        if d.scale() > exp {
            return Err(bad(format!(
                "{currency} has {exp} decimal places; {amount:?} has {}",
                d.scale()
            )));
        }
        if d.abs() > Decimal::from(MAX_MAJOR_UNITS) {
            return Err(bad(format!("{amount:?} is out of range")));
        }
        let minor = d * Decimal::from(10i64.pow(exp));
        let minor: i64 = minor
            .trunc()
            .try_into()
            .map_err(|_| bad(format!("{amount:?} is out of range")))?;
        Ok(Self { minor, currency })
    }

    pub const fn minor(self) -> i64 {
        self.minor
    }

    pub const fn currency(self) -> Currency {
        self.currency
    }

    pub fn is_negative(self) -> bool {
        self.minor < 0
    }

    /// The amount as an exact decimal, e.g. `12.50`.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.minor, self.currency.exponent())
    }

    /// The amount as a decimal string with exactly the currency's places, e.g. `"12.50"`.
    pub fn amount_string(self) -> String {
        self.to_decimal().to_string()
    }

    /// Sum of two amounts of the same currency; `None` if currencies differ or it overflows.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency).then_some(())?;
        Some(Money::from_minor(
            self.minor.checked_add(other.minor)?,
            self.currency,
        ))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_string(), self.currency)
    }
}

#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "Money")]
/// An exact amount: a decimal string with the currency's places, and an ISO 4217 code.
struct MoneyWire {
    /// Decimal string, e.g. "12.50". Never a float.
    amount: String,
    currency: Currency,
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        MoneyWire {
            amount: self.amount_string(),
            currency: self.currency,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = MoneyWire::deserialize(d)?;
        Money::parse(&w.amount, w.currency).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        MoneyWire::json_schema(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_iso_4217_codes_are_currencies() {
        assert!(
            ISO_4217.windows(2).all(|w| w[0] < w[1]),
            "the table is sorted"
        );
        for ok in ["EUR", "usd", "JPY", "KWD", "CHF", "ZWG"] {
            assert!(Currency::parse(ok).is_ok(), "{ok} is a currency");
        }
        for bad in ["ZZZ", "ABC", "XXX", "XAU", "EU", "EURO", "€"] {
            assert!(Currency::parse(bad).is_err(), "{bad} is not a currency");
        }
    }

    #[test]
    fn parses_exact_amounts_in_the_currency_precision() {
        let m = Money::parse("12.5", Currency::EUR).unwrap();
        assert_eq!(m.minor(), 1250);
        assert_eq!(m.amount_string(), "12.50");
        let yen = Money::parse("1200", Currency::parse("jpy").unwrap()).unwrap();
        assert_eq!(yen.minor(), 1200);
        assert_eq!(yen.amount_string(), "1200");
        let kwd = Money::parse("1.234", Currency::parse("KWD").unwrap()).unwrap();
        assert_eq!(kwd.amount_string(), "1.234");
    }

    #[test]
    fn rejects_what_is_not_an_exact_amount() {
        for bad in [
            "",
            "abc",
            "1e3",
            "1,000.00",
            "12.345",
            "0x10",
            "NaN",
            "inf",
            " - 1",
            "1.2.3",
            "99999999999999",
        ] {
            assert!(
                Money::parse(bad, Currency::EUR).is_err(),
                "{bad:?} must not parse as EUR"
            );
        }
        assert!(Money::parse("1.5", Currency::parse("JPY").unwrap()).is_err());
    }

    #[test]
    fn money_round_trips_as_decimal_strings() {
        let m = Money::from_minor(-705, Currency::USD);
        let json = serde_json::to_value(m).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"amount": "-7.05", "currency": "USD"})
        );
        let back: Money = serde_json::from_value(json).unwrap();
        assert_eq!(back, m);
        assert!(
            serde_json::from_value::<Money>(serde_json::json!({"amount": 7.05, "currency": "USD"}))
                .is_err(),
            "a float amount must be refused"
        );
    }

    #[test]
    fn adding_different_currencies_is_refused() {
        let a = Money::from_minor(1, Currency::EUR);
        assert!(a.checked_add(Money::from_minor(1, Currency::USD)).is_none());
        assert_eq!(a.checked_add(a).unwrap().minor(), 2);
    }
}
