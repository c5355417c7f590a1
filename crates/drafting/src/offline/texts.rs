//! What the offline drafter writes, per language. Placeholders in braces are filled from the
//! records: `{number}`, `{amount}`, `{date}`, `{paid}`, `{issued}`, `{due}`, `{remaining}`,
//! `{refunded}`, `{duplicate}`, `{first_paid}`, `{second_paid}`, `{error}`, `{plan}`, `{price}`,
//! `{period_end}`, `{first}`. Nothing here states a figure of its own.

use crate::lang::Lang;

pub(super) struct Texts {
    pub greeting: &'static str,
    pub sign_off: &'static str,
    pub duplicate_found: &'static str,
    pub duplicate_single: &'static str,
    pub failed_reason: &'static str,
    pub failed_plain: &'static str,
    pub failed_tail: &'static str,
    pub now_paid: &'static str,
    pub refund: &'static str,
    pub refund_done: &'static str,
    pub nothing_to_refund: &'static str,
    pub copy_paid: &'static str,
    pub copy_open: &'static str,
    pub copy_tail: &'static str,
    pub vat: &'static str,
    pub cancel: &'static str,
    pub cancel_already: &'static str,
    pub plan_monthly: &'static str,
    pub plan_annual: &'static str,
    pub plan_tail: &'static str,
    pub overdue: &'static str,
    pub ask_invoice: &'static str,
    pub holding: &'static str,
}

pub(super) fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
        Lang::Fr => &FR,
        Lang::De => &DE,
    }
}

static EN: Texts = Texts {
    greeting: "Hi {first},",
    sign_off: "Best regards,\nBilling support",
    duplicate_found: "Thank you for letting us know. I checked invoice {number}: we collected {amount} \
        twice, on {first_paid} and on {second_paid}. I have asked for the duplicate payment of \
        {duplicate} to be refunded to your original payment method; you will get a confirmation as \
        soon as it is approved.",
    duplicate_single: "Thank you for letting us know. I checked invoice {number}: we collected one \
        payment of {amount}, on {paid}. A second line on your statement is usually a temporary \
        authorisation that your bank releases within a few working days. If it is still there after \
        that, reply to this message with a screenshot of the statement and we will look into it \
        straight away.",
    failed_reason: "The payment of {amount} for invoice {number} was declined by the bank on {date} \
        with the message \"{error}\".",
    failed_plain: "The payment of {amount} for invoice {number} did not go through.",
    failed_tail: "Once you update your payment method under Settings > Billing, we will retry the \
        charge automatically; you can also pay invoice {number} straight from the link in the \
        invoice. Your account stays active in the meantime.",
    now_paid: "Good news: invoice {number} is now paid in full. We received {amount} on {paid}, so \
        nothing more is needed from you.",
    refund: "I have passed your request for a refund of {amount} on invoice {number} (paid on {paid}) \
        to our billing team for approval. Refunds go back to the original payment method and \
        usually arrive within a few working days of approval.",
    refund_done: "Invoice {number} already shows a refund of {refunded}. Refunds go back to the \
        original payment method and usually arrive within a few working days.",
    nothing_to_refund: "I checked invoice {number}: no payment has been collected for it yet, so \
        there is nothing to refund. The open amount is {remaining}.",
    copy_paid: "Here are the details of invoice {number}: issued on {issued}, total {amount}, paid on \
        {paid}.",
    copy_open: "Here are the details of invoice {number}: issued on {issued}, total {amount}, due on \
        {due}.",
    copy_tail: "You can download the PDF of this and every earlier invoice under Settings > Billing > \
        Invoices, and change the billing address there for future invoices.",
    vat: "Invoice {number} (issued on {issued}, total {amount}) was issued without your VAT number. \
        Please reply with your VAT number and we will send you a corrected invoice; once it is saved \
        under Settings > Billing, every future invoice will carry it.",
    cancel: "Your {plan} subscription is paid until {period_end}. If you confirm, we will cancel it at \
        the end of that period: you keep full access until then and will not be charged again.",
    cancel_already: "Your {plan} subscription is already set to end on {period_end}; you keep full \
        access until then and will not be charged again.",
    plan_monthly: "You are on the {plan} plan at {price} a month.",
    plan_annual: "You are on the {plan} plan at {price} a year.",
    plan_tail: "When you change plan in the middle of a period, the difference is prorated and shows \
        on your next invoice. Tell me which plan you would like and I will prepare the change.",
    overdue: "Invoice {number} for {amount} was due on {due}, and {remaining} is still open. You can \
        pay it from the link in the invoice or under Settings > Billing; if you have already paid, \
        reply with the date of the payment and we will match it.",
    ask_invoice: "Thank you for your message. Could you tell me the number of the invoice you mean? \
        It is at the top of the invoice.",
    holding: "Thank you for your message. I am looking into it and will get back to you shortly.",
};

static ES: Texts = Texts {
    greeting: "Hola, {first}:",
    sign_off: "Un saludo,\nEquipo de facturación",
    duplicate_found: "Gracias por avisarnos. He revisado la factura {number}: cobramos {amount} dos \
        veces, el {first_paid} y el {second_paid}. He solicitado el reembolso del pago duplicado de \
        {duplicate} a tu método de pago original; te lo confirmaremos en cuanto se apruebe.",
    duplicate_single: "Gracias por avisarnos. He revisado la factura {number}: solo hemos cobrado un \
        pago de {amount}, el {paid}. Un segundo movimiento en el extracto suele ser una retención \
        temporal que tu banco libera en unos días hábiles. Si sigue apareciendo después, responde a \
        este mensaje con una captura del extracto y lo revisamos enseguida.",
    failed_reason: "El banco rechazó el pago de {amount} de la factura {number} el {date} con el \
        mensaje \"{error}\".",
    failed_plain: "El pago de {amount} de la factura {number} no se ha podido completar.",
    failed_tail: "En cuanto actualices el método de pago en Ajustes > Facturación, reintentaremos el \
        cobro automáticamente; también puedes pagar la factura {number} desde el enlace de la \
        factura. Tu cuenta sigue activa mientras tanto.",
    now_paid: "Buenas noticias: la factura {number} ya está pagada por completo. Recibimos {amount} \
        el {paid}, así que no tienes que hacer nada más.",
    refund: "He pasado tu solicitud de reembolso de {amount} de la factura {number} (pagada el {paid}) \
        al equipo de facturación para su aprobación. El reembolso se hace al método de pago original \
        y suele llegar pocos días hábiles después de aprobarse.",
    refund_done: "La factura {number} ya tiene un reembolso de {refunded}. El reembolso se hace al \
        método de pago original y suele llegar en pocos días hábiles.",
    nothing_to_refund: "He revisado la factura {number}: todavía no se ha cobrado ningún pago, así que \
        no hay nada que reembolsar. El importe pendiente es {remaining}.",
    copy_paid: "Estos son los datos de la factura {number}: emitida el {issued}, total {amount}, \
        pagada el {paid}.",
    copy_open: "Estos son los datos de la factura {number}: emitida el {issued}, total {amount}, con \
        vencimiento el {due}.",
    copy_tail: "Puedes descargar el PDF de esta y de todas las facturas anteriores en Ajustes > \
        Facturación > Facturas, y cambiar allí la dirección fiscal para las próximas facturas.",
    vat: "La factura {number} (emitida el {issued}, total {amount}) se emitió sin tu número de IVA. \
        Responde con tu número de IVA y te enviaremos una factura rectificada; cuando lo guardes en \
        Ajustes > Facturación, aparecerá en todas las facturas futuras.",
    cancel: "Tu suscripción {plan} está pagada hasta el {period_end}. Si nos lo confirmas, la \
        cancelaremos al final de ese periodo: mantienes el acceso completo hasta entonces y no se te \
        volverá a cobrar.",
    cancel_already: "Tu suscripción {plan} ya está programada para terminar el {period_end}; mantienes \
        el acceso completo hasta entonces y no se te volverá a cobrar.",
    plan_monthly: "Tienes el plan {plan} por {price} al mes.",
    plan_annual: "Tienes el plan {plan} por {price} al año.",
    plan_tail: "Si cambias de plan a mitad de periodo, la diferencia se prorratea y aparece en tu \
        próxima factura. Dime qué plan prefieres y preparo el cambio.",
    overdue: "La factura {number} de {amount} venció el {due} y quedan {remaining} pendientes. Puedes \
        pagarla desde el enlace de la factura o en Ajustes > Facturación; si ya la has pagado, \
        responde con la fecha del pago y lo comprobamos.",
    ask_invoice: "Gracias por tu mensaje. ¿Me indicas el número de la factura a la que te refieres? \
        Aparece en la parte superior de la factura.",
    holding: "Gracias por tu mensaje. Lo estoy revisando y te responderé en breve.",
};

static FR: Texts = Texts {
    greeting: "Bonjour {first},",
    sign_off: "Cordialement,\nLe service facturation",
    duplicate_found: "Merci de nous avoir prévenus. J'ai vérifié la facture {number} : nous avons \
        prélevé {amount} deux fois, le {first_paid} et le {second_paid}. J'ai demandé le \
        remboursement du paiement en double de {duplicate} sur votre moyen de paiement d'origine ; \
        vous recevrez une confirmation dès qu'il sera approuvé.",
    duplicate_single: "Merci de nous avoir prévenus. J'ai vérifié la facture {number} : nous n'avons \
        prélevé qu'un seul paiement de {amount}, le {paid}. Une seconde ligne sur votre relevé est \
        généralement une autorisation temporaire que votre banque libère en quelques jours ouvrés. \
        Si elle apparaît encore ensuite, répondez à ce message avec une capture du relevé et nous \
        regarderons aussitôt.",
    failed_reason: "Le paiement de {amount} pour la facture {number} a été refusé par la banque le \
        {date} avec le message « {error} ».",
    failed_plain: "Le paiement de {amount} pour la facture {number} n'a pas abouti.",
    failed_tail: "Dès que vous aurez mis à jour votre moyen de paiement dans Paramètres > \
        Facturation, nous relancerons le prélèvement automatiquement ; vous pouvez aussi régler la \
        facture {number} directement depuis le lien de la facture. Votre compte reste actif \
        entre-temps.",
    now_paid: "Bonne nouvelle : la facture {number} est désormais entièrement réglée. Nous avons reçu \
        {amount} le {paid} ; vous n'avez plus rien à faire.",
    refund: "J'ai transmis votre demande de remboursement de {amount} sur la facture {number} (payée \
        le {paid}) à notre équipe facturation pour approbation. Le remboursement est effectué sur le \
        moyen de paiement d'origine et arrive généralement quelques jours ouvrés après l'approbation.",
    refund_done: "La facture {number} fait déjà l'objet d'un remboursement de {refunded}. Le \
        remboursement est effectué sur le moyen de paiement d'origine et arrive généralement en \
        quelques jours ouvrés.",
    nothing_to_refund: "J'ai vérifié la facture {number} : aucun paiement n'a encore été prélevé, il \
        n'y a donc rien à rembourser. Le montant restant dû est de {remaining}.",
    copy_paid: "Voici les détails de la facture {number} : émise le {issued}, total {amount}, payée le \
        {paid}.",
    copy_open: "Voici les détails de la facture {number} : émise le {issued}, total {amount}, échéance \
        le {due}.",
    copy_tail: "Vous pouvez télécharger le PDF de cette facture et de toutes les précédentes dans \
        Paramètres > Facturation > Factures, et y modifier l'adresse de facturation pour les \
        prochaines factures.",
    vat: "La facture {number} (émise le {issued}, total {amount}) a été établie sans votre numéro de \
        TVA. Répondez avec votre numéro de TVA et nous vous enverrons une facture rectifiée ; une fois \
        enregistré dans Paramètres > Facturation, il figurera sur toutes vos prochaines factures.",
    cancel: "Votre abonnement {plan} est payé jusqu'au {period_end}. Si vous le confirmez, nous le \
        résilierons à la fin de cette période : vous gardez un accès complet jusque-là et ne serez \
        plus prélevé.",
    cancel_already: "Votre abonnement {plan} prendra déjà fin le {period_end} ; vous gardez un accès \
        complet jusque-là et ne serez plus prélevé.",
    plan_monthly: "Vous êtes sur l'offre {plan} à {price} par mois.",
    plan_annual: "Vous êtes sur l'offre {plan} à {price} par an.",
    plan_tail: "Si vous changez d'offre en cours de période, la différence est calculée au prorata et \
        apparaît sur votre prochaine facture. Dites-moi quelle offre vous souhaitez et je prépare le \
        changement.",
    overdue: "La facture {number} de {amount} était due le {due} et il reste {remaining} à régler. \
        Vous pouvez la payer depuis le lien de la facture ou dans Paramètres > Facturation ; si vous \
        l'avez déjà réglée, répondez avec la date du paiement et nous le rapprocherons.",
    ask_invoice: "Merci pour votre message. Pouvez-vous m'indiquer le numéro de la facture concernée ? \
        Il figure en haut de la facture.",
    holding: "Merci pour votre message. Je m'en occupe et reviens vers vous très vite.",
};

static DE: Texts = Texts {
    greeting: "Hallo {first},",
    sign_off: "Viele Grüße\nIhr Abrechnungsteam",
    duplicate_found: "danke für den Hinweis. Ich habe die Rechnung {number} geprüft: Wir haben \
        {amount} zweimal eingezogen, am {first_paid} und am {second_paid}. Ich habe die Erstattung \
        der doppelten Zahlung über {duplicate} auf Ihre ursprüngliche Zahlungsmethode beantragt; Sie \
        erhalten eine Bestätigung, sobald sie genehmigt ist.",
    duplicate_single: "danke für den Hinweis. Ich habe die Rechnung {number} geprüft: Wir haben nur \
        eine Zahlung über {amount} eingezogen, am {paid}. Eine zweite Buchung auf dem Kontoauszug ist \
        meist eine vorläufige Autorisierung, die Ihre Bank nach wenigen Werktagen freigibt. Falls sie \
        danach noch da ist, antworten Sie mit einem Screenshot des Kontoauszugs und wir sehen sofort \
        nach.",
    failed_reason: "die Zahlung über {amount} für Rechnung {number} wurde am {date} von der Bank \
        abgelehnt (\"{error}\").",
    failed_plain: "die Zahlung über {amount} für Rechnung {number} ist nicht durchgegangen.",
    failed_tail: "Sobald Sie Ihre Zahlungsmethode unter Einstellungen > Abrechnung aktualisiert haben, \
        versuchen wir den Einzug automatisch erneut; Sie können Rechnung {number} auch direkt über den \
        Link in der Rechnung bezahlen. Ihr Konto bleibt so lange aktiv.",
    now_paid: "gute Nachrichten: Rechnung {number} ist inzwischen vollständig bezahlt. Wir haben \
        {amount} am {paid} erhalten, Sie müssen nichts weiter tun.",
    refund: "ich habe Ihre Bitte um Erstattung von {amount} für Rechnung {number} (bezahlt am {paid}) \
        zur Freigabe an unser Abrechnungsteam weitergegeben. Erstattungen gehen auf die ursprüngliche \
        Zahlungsmethode und kommen meist wenige Werktage nach der Freigabe an.",
    refund_done: "für Rechnung {number} ist bereits eine Erstattung über {refunded} verbucht. \
        Erstattungen gehen auf die ursprüngliche Zahlungsmethode und kommen meist nach wenigen \
        Werktagen an.",
    nothing_to_refund: "ich habe Rechnung {number} geprüft: Dafür wurde noch keine Zahlung \
        eingezogen, es gibt also nichts zu erstatten. Offen sind {remaining}.",
    copy_paid: "hier die Angaben zu Rechnung {number}: ausgestellt am {issued}, Gesamtbetrag {amount}, \
        bezahlt am {paid}.",
    copy_open: "hier die Angaben zu Rechnung {number}: ausgestellt am {issued}, Gesamtbetrag {amount}, \
        fällig am {due}.",
    copy_tail: "Das PDF dieser und aller früheren Rechnungen finden Sie unter Einstellungen > \
        Abrechnung > Rechnungen; dort können Sie auch die Rechnungsadresse für künftige Rechnungen \
        ändern.",
    vat: "Rechnung {number} (ausgestellt am {issued}, Gesamtbetrag {amount}) wurde ohne Ihre USt-IdNr. \
        ausgestellt. Antworten Sie bitte mit Ihrer USt-IdNr., dann senden wir Ihnen eine korrigierte \
        Rechnung; sobald sie unter Einstellungen > Abrechnung gespeichert ist, steht sie auf allen \
        künftigen Rechnungen.",
    cancel: "Ihr Abonnement {plan} ist bis zum {period_end} bezahlt. Wenn Sie es bestätigen, kündigen \
        wir zum Ende dieses Zeitraums: Bis dahin haben Sie vollen Zugriff, und es wird nichts mehr \
        abgebucht.",
    cancel_already: "Ihr Abonnement {plan} endet bereits am {period_end}; bis dahin haben Sie vollen \
        Zugriff, und es wird nichts mehr abgebucht.",
    plan_monthly: "Sie nutzen den Tarif {plan} für {price} im Monat.",
    plan_annual: "Sie nutzen den Tarif {plan} für {price} im Jahr.",
    plan_tail: "Bei einem Wechsel mitten im Abrechnungszeitraum wird die Differenz anteilig berechnet \
        und erscheint auf Ihrer nächsten Rechnung. Sagen Sie mir, welchen Tarif Sie möchten, dann \
        bereite ich den Wechsel vor.",
    overdue: "Rechnung {number} über {amount} war am {due} fällig, offen sind noch {remaining}. Sie \
        können sie über den Link in der Rechnung oder unter Einstellungen > Abrechnung bezahlen; falls \
        Sie schon bezahlt haben, nennen Sie uns bitte das Zahlungsdatum, dann ordnen wir die Zahlung \
        zu.",
    ask_invoice: "danke für Ihre Nachricht. Können Sie mir die Nummer der betreffenden Rechnung \
        nennen? Sie steht oben auf der Rechnung.",
    holding: "danke für Ihre Nachricht. Ich sehe mir das an und melde mich in Kürze.",
};
