//! Who the demo customers are: locales (language, country, currency, VAT rate, cities with their
//! time zones), first and last names, companies, postal addresses, phone numbers, and unique
//! e-mail addresses derived from the names.

use super::{ascii_fold, chance, pick, weighted};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// The demo's languages are the drafting engine's: one list, one way to write money and dates.
pub(super) use countersign_drafting::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cur {
    Eur,
    Usd,
    Gbp,
}

impl Cur {
    pub(super) const fn code(self) -> &'static str {
        match self {
            Cur::Eur => "EUR",
            Cur::Usd => "USD",
            Cur::Gbp => "GBP",
        }
    }

    pub(super) const fn currency(self) -> countersign_model::Currency {
        match self {
            Cur::Eur => countersign_model::Currency::EUR,
            Cur::Usd => countersign_model::Currency::USD,
            Cur::Gbp => countersign_model::Currency::GBP,
        }
    }

    /// Index into the per-currency price tables.
    pub(super) const fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug)]
pub(super) struct City {
    pub name: &'static str,
    pub state: Option<&'static str>,
    /// Postal code pattern: each `#` becomes a digit.
    pub postal: &'static str,
    pub timezone: &'static str,
}

const fn city(
    name: &'static str,
    state: Option<&'static str>,
    postal: &'static str,
    timezone: &'static str,
) -> City {
    City {
        name,
        state,
        postal,
        timezone,
    }
}

#[derive(Debug)]
pub(super) struct Locale {
    pub lang: Lang,
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
    pub currency: Cur,
    /// VAT or sales tax in basis points.
    pub tax_bp: i64,
    pub cities: &'static [City],
    /// Phone pattern: each `#` becomes a digit.
    pub phone: &'static str,
    pub tld: &'static str,
    pub company_suffixes: &'static [&'static str],
}

/// Locales with their share of customers: 40 % English, 20 % each Spanish, French, German.
#[rustfmt::skip]
pub(super) static LOCALES: [(Locale, u32); 8] = [
    (Locale { lang: Lang::En, country: "US", currency: Cur::Usd, tax_bp: 0, phone: "+1 ###-555-01##", tld: "com",
        company_suffixes: &["Inc.", "LLC", "Corp."],
        cities: &[
            city("New York", Some("NY"), "100##", "America/New_York"),
            city("Boston", Some("MA"), "021##", "America/New_York"),
            city("Chicago", Some("IL"), "606##", "America/Chicago"),
            city("Austin", Some("TX"), "787##", "America/Chicago"),
            city("Denver", Some("CO"), "802##", "America/Denver"),
            city("San Francisco", Some("CA"), "941##", "America/Los_Angeles"),
            city("Seattle", Some("WA"), "981##", "America/Los_Angeles"),
        ] }, 25),
    (Locale { lang: Lang::En, country: "GB", currency: Cur::Gbp, tax_bp: 2000, phone: "+44 20 7946 0###", tld: "co.uk",
        company_suffixes: &["Ltd", "Ltd", "LLP"],
        cities: &[
            city("London", None, "EC1A #BB", "Europe/London"),
            city("Manchester", None, "M# 4AE", "Europe/London"),
            city("Bristol", None, "BS# 5TR", "Europe/London"),
            city("Edinburgh", None, "EH# 1YZ", "Europe/London"),
            city("Leeds", None, "LS# 8BH", "Europe/London"),
        ] }, 15),
    (Locale { lang: Lang::Es, country: "ES", currency: Cur::Eur, tax_bp: 2100, phone: "+34 6## ### ###", tld: "es",
        company_suffixes: &["S.L.", "S.L.", "S.A."],
        cities: &[
            city("Madrid", Some("Madrid"), "280##", "Europe/Madrid"),
            city("Barcelona", Some("Barcelona"), "080##", "Europe/Madrid"),
            city("Valencia", Some("Valencia"), "460##", "Europe/Madrid"),
            city("Sevilla", Some("Sevilla"), "410##", "Europe/Madrid"),
            city("Bilbao", Some("Bizkaia"), "480##", "Europe/Madrid"),
            city("Málaga", Some("Málaga"), "290##", "Europe/Madrid"),
        ] }, 14),
    (Locale { lang: Lang::Es, country: "MX", currency: Cur::Usd, tax_bp: 1600, phone: "+52 55 #### ####", tld: "com.mx",
        company_suffixes: &["S.A. de C.V.", "S. de R.L."],
        cities: &[
            city("Ciudad de México", Some("CDMX"), "06###", "America/Mexico_City"),
            city("Guadalajara", Some("Jalisco"), "44###", "America/Mexico_City"),
            city("Monterrey", Some("Nuevo León"), "64###", "America/Monterrey"),
        ] }, 6),
    (Locale { lang: Lang::Fr, country: "FR", currency: Cur::Eur, tax_bp: 2000, phone: "+33 6 ## ## ## ##", tld: "fr",
        company_suffixes: &["SAS", "SARL", "SA"],
        cities: &[
            city("Paris", None, "750##", "Europe/Paris"),
            city("Lyon", None, "6900#", "Europe/Paris"),
            city("Marseille", None, "130##", "Europe/Paris"),
            city("Toulouse", None, "310##", "Europe/Paris"),
            city("Bordeaux", None, "330##", "Europe/Paris"),
            city("Lille", None, "590##", "Europe/Paris"),
            city("Nantes", None, "440##", "Europe/Paris"),
        ] }, 16),
    (Locale { lang: Lang::Fr, country: "BE", currency: Cur::Eur, tax_bp: 2100, phone: "+32 4## ## ## ##", tld: "be",
        company_suffixes: &["SRL", "SA"],
        cities: &[
            city("Bruxelles", None, "10#0", "Europe/Brussels"),
            city("Liège", None, "40#0", "Europe/Brussels"),
            city("Namur", None, "50#0", "Europe/Brussels"),
        ] }, 4),
    (Locale { lang: Lang::De, country: "DE", currency: Cur::Eur, tax_bp: 1900, phone: "+49 151 #######", tld: "de",
        company_suffixes: &["GmbH", "GmbH", "AG", "GmbH & Co. KG"],
        cities: &[
            city("Berlin", Some("Berlin"), "10###", "Europe/Berlin"),
            city("München", Some("Bayern"), "80###", "Europe/Berlin"),
            city("Hamburg", Some("Hamburg"), "20###", "Europe/Berlin"),
            city("Köln", Some("Nordrhein-Westfalen"), "50###", "Europe/Berlin"),
            city("Frankfurt am Main", Some("Hessen"), "60###", "Europe/Berlin"),
            city("Stuttgart", Some("Baden-Württemberg"), "70###", "Europe/Berlin"),
            city("Leipzig", Some("Sachsen"), "04###", "Europe/Berlin"),
        ] }, 16),
    (Locale { lang: Lang::De, country: "AT", currency: Cur::Eur, tax_bp: 2000, phone: "+43 660 #######", tld: "at",
        company_suffixes: &["GmbH", "KG"],
        cities: &[
            city("Wien", Some("Wien"), "1##0", "Europe/Vienna"),
            city("Graz", Some("Steiermark"), "80#0", "Europe/Vienna"),
            city("Salzburg", Some("Salzburg"), "50#0", "Europe/Vienna"),
        ] }, 4),
];

/// The words a language's names, streets and companies are made of.
struct Words {
    first: &'static [&'static str],
    last: &'static [&'static str],
    streets: &'static [&'static str],
    line2: &'static [&'static str],
    company_a: &'static [&'static str],
    company_b: &'static [&'static str],
    free_mail: &'static [&'static str],
}

#[rustfmt::skip]
static WORDS: [Words; 4] = [
    Words {
        first: &["James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Ethan", "Isabella",
            "Lucas", "Mia", "Henry", "Charlotte", "Jack", "Amelia", "Samuel", "Harper", "Daniel", "Grace",
            "Thomas", "Chloe", "George", "Ella", "Michael", "Hannah", "David", "Zoe", "Ryan", "Nora"],
        last: &["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
            "Anderson", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall",
            "Young", "King", "Wright", "Hughes", "Edwards", "Green", "Baker", "Carter", "Mitchell", "O'Brien",
            "Murphy"],
        streets: &["Main Street", "Oak Avenue", "Market Street", "Maple Drive", "Park Lane", "High Street",
            "Church Road", "Mill Lane", "Victoria Road", "Elm Street", "Washington Avenue", "King Street"],
        line2: &["Suite 200", "Suite 410", "Floor 3", "Apt 4B", "Unit 12", "Flat 2"],
        company_a: &["Blue", "North", "Bright", "Silver", "Summit", "Harbor", "Pine", "Atlas", "Cedar",
            "Granite", "Maple", "Lumen", "Orbit", "Copper", "Riverside"],
        company_b: &["Labs", "Studio", "Analytics", "Logistics", "Software", "Works", "Health", "Media",
            "Partners", "Systems", "Foods", "Design", "Robotics", "Consulting", "Ventures"],
        free_mail: &["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me"],
    },
    Words {
        first: &["José", "María", "Lucía", "Sofía", "Martín", "Álvaro", "Javier", "Carmen", "Pablo", "Laura",
            "Diego", "Elena", "Andrés", "Isabel", "Sergio", "Paula", "Raúl", "Ana", "Alejandro", "Marta",
            "Jorge", "Valentina", "Iñigo", "Nuria", "Fernando", "Rocío", "Ignacio", "Beatriz", "Óscar", "Camila"],
        last: &["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
            "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero",
            "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Serrano", "Ibáñez", "Castillo",
            "Ortega", "Delgado", "Núñez"],
        streets: &["Calle Mayor", "Calle de Alcalá", "Avenida de la Constitución", "Calle Real",
            "Paseo de Gracia", "Calle del Carmen", "Gran Vía", "Calle de la Paz", "Avenida Insurgentes",
            "Calle San Vicente"],
        line2: &["3º B", "1º A", "Local 2", "Planta 4", "Oficina 12"],
        company_a: &["Soluciones", "Grupo", "Talleres", "Distribuciones", "Estudio", "Construcciones",
            "Consultoría", "Servicios", "Innovación", "Transportes"],
        company_b: &["Ibérica", "del Norte", "Mediterráneo", "Levante", "Atlántico", "Sol", "Andaluz",
            "Digital", "Verde", "Castellana"],
        free_mail: &["gmail.com", "hotmail.es", "yahoo.es", "outlook.es"],
    },
    Words {
        first: &["Jean", "Marie", "Camille", "Louis", "Léa", "Hugo", "Chloé", "Théo", "Manon", "Lucas",
            "Élodie", "Nicolas", "Julie", "Antoine", "Inès", "Mathieu", "Sophie", "François", "Hélène",
            "Julien", "Céline", "Pierre", "Amélie", "Guillaume", "Margaux", "Benoît", "Aurélie", "Jérôme",
            "Noémie", "Gaëlle"],
        last: &["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
            "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
            "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert",
            "Bonnet", "François", "Faure"],
        streets: &["rue de la République", "avenue Victor Hugo", "rue Nationale", "boulevard Voltaire",
            "rue du Faubourg Saint-Antoine", "place de la Gare", "rue des Lilas", "avenue Jean Jaurès",
            "rue Pasteur", "quai de la Loire"],
        line2: &["Bâtiment B", "3e étage", "Appartement 12", "Porte 4"],
        company_a: &["Atelier", "Cabinet", "Groupe", "Studio", "Conseil", "Transports", "Éditions",
            "Maison", "Laboratoires", "Boulangerie"],
        company_b: &["Lumière", "du Sud", "Horizon", "Océan", "Provence", "Numérique", "Alpine",
            "Bellevue", "Rivage", "Étoile"],
        free_mail: &["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr"],
    },
    Words {
        first: &["Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Maximilian", "Sophie", "Paul", "Laura",
            "Jürgen", "Katrin", "Jörg", "Sabine", "Tobias", "Julia", "Stefan", "Claudia", "Matthias", "Nina",
            "Sebastian", "Lea", "Florian", "Jana", "Andreas", "Miriam", "Björn", "Zoë", "Uwe", "Hannah"],
        last: &["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
            "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
            "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Köhler", "Weiß",
            "Günther", "Vogel", "Löwe"],
        streets: &["Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Lindenallee",
            "Marktplatz", "Gartenweg", "Friedrichstraße", "Bergstraße", "Kirchgasse"],
        line2: &["2. OG", "Hinterhaus", "Top 5", "Aufgang B"],
        company_a: &["Nordlicht", "Bergmann", "Sonnen", "Alpen", "Rhein", "Stadt", "Blau", "Elb",
            "Tannen", "Adler"],
        company_b: &["Logistik", "Software", "Bau", "Technik", "Design", "Beratung", "Medien", "Werke",
            "Systeme", "Handel"],
        free_mail: &["gmail.com", "web.de", "gmx.de", "t-online.de", "gmx.at"],
    },
];

/// A generated person and where they live.
#[derive(Debug)]
pub(super) struct Person {
    pub first: &'static str,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: &'static City,
    pub postal_code: String,
}

/// E-mail addresses handed out so far: a repeated address gets a number suffix.
#[derive(Debug, Default)]
pub(super) struct EmailBook {
    seen: HashMap<String, u32>,
}

impl EmailBook {
    /// `local@domain`, or `local{n}@domain` when taken. Names never end in a digit, so a
    /// suffixed address cannot collide with a plain one.
    pub(super) fn unique(&mut self, local: &str, domain: &str) -> String {
        let email = format!("{local}@{domain}");
        match self.seen.get_mut(&email) {
            None => {
                self.seen.insert(email.clone(), 1);
                email
            }
            Some(n) => {
                *n += 1;
                format!("{local}{n}@{domain}")
            }
        }
    }
}

/// Replaces each `#` of `pattern` with a random digit.
fn digits(rng: &mut ChaCha8Rng, pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| {
            if c == '#' {
                char::from(b'0' + rng.random_range(0..10u8))
            } else {
                c
            }
        })
        .collect()
}

/// A person of `locale`, with an address there and a unique e-mail address.
pub(super) fn person(
    rng: &mut ChaCha8Rng,
    locale: &'static Locale,
    book: &mut EmailBook,
) -> Person {
    let words = &WORDS[locale.lang.index()];
    let first = *pick(rng, words.first);
    let last = *pick(rng, words.last);
    let name = if locale.lang == Lang::Es && chance(rng, 400) {
        format!("{first} {last} {}", pick(rng, words.last))
    } else {
        format!("{first} {last}")
    };
    let company = chance(rng, 650).then(|| {
        let a = *pick(rng, words.company_a);
        let b = *pick(rng, words.company_b);
        (a, b, *pick(rng, locale.company_suffixes))
    });
    let (f, l) = (ascii_fold(first), ascii_fold(last));
    let local = match rng.random_range(0..10) {
        0..=4 => format!("{f}.{l}"),
        5 | 6 => format!("{}{l}", f.chars().next().unwrap_or('x')),
        7 => format!("{f}_{l}"),
        8 => format!("{l}.{f}"),
        _ => f.clone(),
    };
    let domain = match company {
        Some((a, b, _)) if chance(rng, 600) => {
            format!("{}-{}.{}", ascii_fold(a), ascii_fold(b), locale.tld)
        }
        _ => (*pick(rng, words.free_mail)).to_owned(),
    };
    let email = book.unique(&local, &domain);
    let city = pick(rng, locale.cities);
    let street = *pick(rng, words.streets);
    let number = rng.random_range(1..220);
    let line1 = match locale.lang {
        Lang::En | Lang::Fr => format!("{number} {street}"),
        Lang::Es => format!("{street}, {number}"),
        Lang::De => format!("{street} {number}"),
    };
    let line2 = chance(rng, 300).then(|| (*pick(rng, words.line2)).to_owned());
    Person {
        first,
        name,
        email,
        phone: chance(rng, 800).then(|| digits(rng, locale.phone)),
        company: company.map(|(a, b, suffix)| format!("{a} {b} {suffix}")),
        line1,
        line2,
        city,
        postal_code: digits(rng, city.postal),
    }
}

/// A locale, by share of customers.
pub(super) fn locale(rng: &mut ChaCha8Rng) -> &'static Locale {
    weighted(rng, &LOCALES)
}
