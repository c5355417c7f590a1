//! What a customer asks for, recognised from what they wrote in any of our four languages.

/// The billing requests the offline drafter answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Intent {
    DuplicateCharge,
    FailedPayment,
    Overdue,
    Refund,
    Vat,
    InvoiceCopy,
    Cancel,
    PlanChange,
    /// Nothing we recognise: the drafter writes an honest holding reply.
    Other,
}

impl Intent {
    pub const fn as_str(self) -> &'static str {
        match self {
            Intent::DuplicateCharge => "duplicate_charge",
            Intent::FailedPayment => "failed_payment",
            Intent::Overdue => "overdue",
            Intent::Refund => "refund",
            Intent::Vat => "vat",
            Intent::InvoiceCopy => "invoice_copy",
            Intent::Cancel => "cancel",
            Intent::PlanChange => "plan_change",
            Intent::Other => "other",
        }
    }
}

/// Word stems that signal each intent, in English, Spanish, French and German, lower case. A
/// stem matches at the start of a word; a stem with a space matches the phrase.
const SIGNALS: [(Intent, &[&str]); 8] = [
    (
        Intent::DuplicateCharge,
        &[
            "twice",
            "duplicate",
            "double charge",
            "charged two",
            "dos veces",
            "duplicad",
            "cobro doble",
            "deux fois",
            "en double",
            "double prélèvement",
            "doppelt",
            "zweimal",
            "zwei zahlungen",
        ],
    ),
    (
        Intent::FailedPayment,
        &[
            "failed",
            "declined",
            "did not go through",
            "didn't go through",
            "ha fallado",
            "falló",
            "rechazad",
            "échec",
            "échoué",
            "refusé",
            "fehlgeschlagen",
            "abgelehnt",
        ],
    ),
    (
        Intent::Overdue,
        &[
            "overdue",
            "reminder",
            "unpaid",
            "past due",
            "vencid",
            "impagad",
            "recordatorio",
            "impayé",
            "relance",
            "en retard",
            "zahlungserinnerung",
            "überfällig",
            "mahnung",
        ],
    ),
    (
        Intent::Refund,
        &[
            "refund",
            "money back",
            "reembols",
            "devolución",
            "rembourse",
            "erstattung",
            "rückerstattung",
            "zurückerstatt",
        ],
    ),
    (
        Intent::Vat,
        &[
            "vat",
            "tax id",
            "tax number",
            "iva",
            "nif",
            "cif",
            "tva",
            "ust-idnr",
            "umsatzsteuer",
            "steuernummer",
        ],
    ),
    (
        Intent::InvoiceCopy,
        &[
            "copy",
            "pdf",
            "copia",
            "duplicado de factura",
            "copie",
            "kopie",
        ],
    ),
    (
        Intent::Cancel,
        &[
            "cancel",
            "terminate",
            "cancelar",
            "cancelación",
            "darme de baja",
            "dar de baja",
            "résili",
            "annuler",
            "kündig",
            "beenden",
        ],
    ),
    (
        Intent::PlanChange,
        &[
            "upgrad",
            "downgrad",
            "bigger plan",
            "change plan",
            "change our plan",
            "switch plan",
            "plan superior",
            "cambiar de plan",
            "uno superior",
            "offre supérieure",
            "changer d'offre",
            "wechseln",
            "wechsel vom tarif",
            "größeren",
        ],
    ),
];

/// The intent a customer's text (subject first line, then messages) most signals, and how many
/// signals it found. The subject counts twice: it is what the customer chose to lead with.
pub fn classify(subject: &str, body: &str) -> (Intent, usize) {
    let subject = subject.to_lowercase();
    let body = body.to_lowercase();
    let mut best = (Intent::Other, 0usize);
    for (intent, stems) in SIGNALS {
        let score: usize = stems
            .iter()
            .map(|s| 2 * hits(&subject, s) + hits(&body, s))
            .sum();
        // Ties go to the intent listed first: the more specific one.
        if score > best.1 {
            best = (intent, score);
        }
    }
    best
}

/// How many times `stem` starts a word of `text`.
fn hits(text: &str, stem: &str) -> usize {
    text.match_indices(stem)
        .filter(|(at, _)| {
            text[..*at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_in_four_languages_are_recognised() {
        let cases = [
            (
                "Charged twice for invoice INV-1",
                "Can you refund the duplicate charge?",
                Intent::DuplicateCharge,
            ),
            (
                "Cobro duplicado de la factura",
                "¿Podéis devolverme el cargo duplicado?",
                Intent::DuplicateCharge,
            ),
            (
                "Zahlung für Rechnung fehlgeschlagen",
                "Meine Karte sollte funktionieren.",
                Intent::FailedPayment,
            ),
            (
                "Demande de remboursement",
                "Un remboursement est-il possible ?",
                Intent::Refund,
            ),
            ("Numéro de TVA absent", "", Intent::Vat),
            ("Kündigung des Abonnements", "", Intent::Cancel),
            ("Aviso de factura vencida", "", Intent::Overdue),
            ("Copy of invoice", "a PDF copy", Intent::InvoiceCopy),
            (
                "Upgrading from Team",
                "move to a bigger plan",
                Intent::PlanChange,
            ),
        ];
        for (subject, body, want) in cases {
            assert_eq!(classify(subject, body).0, want, "{subject:?} / {body:?}");
        }
    }

    #[test]
    fn a_stem_inside_another_word_does_not_count() {
        // "native" holds "iva"; "canvas" is not "cancel".
        assert_eq!(classify("Native canvas question", "").0, Intent::Other);
    }
}
