//! What customers buy: Starter, Team and Business plans, monthly or annual, priced in EUR, USD
//! and GBP, with extra seats and metered API usage.

use super::weighted;
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Period {
    Monthly,
    Annual,
}

impl Period {
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Annual => "annual",
        }
    }
}

/// An amount per currency, in the order of [`super::people::Cur`] (EUR, USD, GBP): minor units
/// and the exact decimal text line items show.
pub(super) type Prices = ([i64; 3], [&'static str; 3]);

#[derive(Debug)]
pub(super) struct Plan {
    pub name: &'static str,
    pub line: &'static str,
    pub period: Period,
    pub price: [i64; 3],
    pub price_text: [&'static str; 3],
    /// Price of a seat beyond those included, for plans sold by seat.
    pub seats: Option<Prices>,
    /// Chance (per mille) that a monthly invoice also bills API usage.
    pub usage: u32,
    pub segment: &'static str,
}

const TEAM_SEAT: Prices = ([900, 900, 800], ["9.00", "9.00", "8.00"]);
const BUSINESS_SEAT: Prices = ([1500, 1500, 1300], ["15.00", "15.00", "13.00"]);
pub(super) const USAGE: Prices = ([40, 40, 35], ["0.40", "0.40", "0.35"]);
pub(super) const ONBOARDING: Prices = ([15000, 15000, 13000], ["150.00", "150.00", "130.00"]);

#[rustfmt::skip]
static PLANS: [(Plan, u32); 6] = [
    (Plan { name: "Starter", line: "Starter plan (monthly)", period: Period::Monthly,
        price: [1900, 1900, 1700], price_text: ["19.00", "19.00", "17.00"], seats: None, usage: 0,
        segment: "smb" }, 35),
    (Plan { name: "Team", line: "Team plan (monthly)", period: Period::Monthly,
        price: [4900, 4900, 4200], price_text: ["49.00", "49.00", "42.00"], seats: Some(TEAM_SEAT),
        usage: 250, segment: "smb" }, 30),
    (Plan { name: "Business", line: "Business plan (monthly)", period: Period::Monthly,
        price: [19900, 19900, 17500], price_text: ["199.00", "199.00", "175.00"],
        seats: Some(BUSINESS_SEAT), usage: 600, segment: "mid_market" }, 12),
    (Plan { name: "Starter Annual", line: "Starter plan (annual)", period: Period::Annual,
        price: [19000, 19000, 17000], price_text: ["190.00", "190.00", "170.00"], seats: None,
        usage: 0, segment: "smb" }, 8),
    (Plan { name: "Team Annual", line: "Team plan (annual)", period: Period::Annual,
        price: [49000, 49000, 42000], price_text: ["490.00", "490.00", "420.00"],
        seats: Some(TEAM_SEAT), usage: 0, segment: "mid_market" }, 10),
    (Plan { name: "Business Annual", line: "Business plan (annual)", period: Period::Annual,
        price: [199000, 199000, 175000], price_text: ["1990.00", "1990.00", "1750.00"],
        seats: Some(BUSINESS_SEAT), usage: 0, segment: "enterprise" }, 5),
];

/// A plan, by popularity.
pub(super) fn plan(rng: &mut ChaCha8Rng) -> &'static Plan {
    weighted(rng, &PLANS)
}
