//! French ticket threads and knowledge-base articles.

use super::{Article, Phrases, SavedReply, Thread};

pub(super) static PHRASES: Phrases = Phrases {
    threads: [
        Thread {
            subject: "Double prélèvement pour la facture {number}",
            opening: "Bonjour,\n\nJe viens de consulter mon relevé bancaire : j'ai été débité deux fois de \
                {amount} pour la facture {number} ({date}). Pouvez-vous rembourser le prélèvement en \
                double ?\n\nMerci,\n{first}",
            follow_up: "Bonjour, avez-vous du nouveau concernant le double prélèvement ? Je vois toujours \
                deux paiements sur ma carte.",
            reply: "Bonjour {first},\n\nMerci pour votre message. J'ai vérifié la facture {number} : nous \
                n'avons encaissé qu'un seul paiement de {amount}. La deuxième ligne est une autorisation \
                temporaire que votre banque libérera sous 5 à 7 jours ouvrés. Si elle apparaît encore \
                ensuite, répondez à ce message et nous la remboursons aussitôt.\n\nCordialement,\n{agent}",
            note: "Un seul paiement réussi sur {number}. Sans doute une autorisation bancaire ; demander \
                une capture du relevé si cela persiste.",
        },
        Thread {
            subject: "Échec du paiement de la facture {number}",
            opening: "Bonjour,\n\nJ'ai reçu un e-mail indiquant que le paiement de la facture {number} \
                ({amount}) a échoué avec l'erreur « {error} ». Ma carte devrait fonctionner. Que dois-je \
                faire ?\n\n{first}",
            follow_up: "J'ai mis à jour ma carte dans l'espace facturation. Pouvez-vous relancer le \
                paiement ?",
            reply: "Bonjour {first},\n\nLa banque a refusé le paiement (« {error} »). Dès que votre moyen \
                de paiement est à jour dans Paramètres > Facturation, nous relançons le prélèvement sous \
                24 heures ; vous pouvez aussi régler {number} depuis le lien de la facture. Votre compte \
                reste actif en attendant.\n\nCordialement,\n{agent}",
            note: "{number} en échec : {error}. Client sur {plan}. Pas de geste commercial ; relancer \
                après mise à jour de la carte.",
        },
        Thread {
            subject: "Demande de remboursement pour {number}",
            opening: "Bonjour,\n\nNous avons été facturés {amount} le {date} (facture {number}) alors que \
                nous n'utilisons plus le service depuis le mois dernier. Un remboursement est-il \
                possible ?\n\nBien cordialement,\n{first}",
            follow_up: "Je me permets de relancer ma demande de remboursement. Est-elle acceptée ?",
            reply: "Bonjour {first},\n\nJ'ai transmis votre demande à l'équipe facturation pour \
                validation. Le remboursement de {number} est effectué sur le moyen de paiement d'origine \
                et apparaît sous 5 à 10 jours ouvrés.\n\nCordialement,\n{agent}",
            note: "Remboursement de {amount} sur {number} : validation superviseur nécessaire.",
        },
        Thread {
            subject: "Copie de la facture {number}",
            opening: "Bonjour,\n\nNotre service comptable a besoin d'une copie PDF de la facture {number} \
                du {date}, avec l'adresse de la société. Pouvez-vous nous l'envoyer ?\n\nMerci,\n{first}",
            follow_up: "Et si possible les factures des trois mois précédents également.",
            reply: "Bonjour {first},\n\nVous trouverez le PDF de {number} en pièce jointe. Toutes vos \
                factures sont téléchargeables dans Paramètres > Facturation > Factures, où vous pouvez \
                aussi modifier l'adresse de facturation pour les prochaines.\n\nCordialement,\n{agent}",
            note: "PDF de {number} envoyé. Question sur l'adresse : renvoyé vers les paramètres.",
        },
        Thread {
            subject: "Passer de l'offre {plan} à une offre supérieure",
            opening: "Bonjour,\n\nNous grandissons et souhaitons passer de l'offre {plan} à une offre \
                supérieure. Comment le prix est-il calculé si nous changeons en milieu de mois ?\n\n\
                {first}",
            follow_up: "Et si nous passons en facturation annuelle, gardons-nous la remise ?",
            reply: "Bonjour {first},\n\nLors d'une montée en gamme, nous facturons immédiatement la \
                différence au prorata pour le reste de la période ; la facture suivante est au nouveau \
                tarif. La facturation annuelle vous offre deux mois. Le changement se fait dans \
                Paramètres > Offre.\n\nCordialement,\n{agent}",
            note: "Montée en gamme possible depuis {plan} ; intérêt pour l'annuel.",
        },
        Thread {
            subject: "Résiliation de l'abonnement",
            opening: "Bonjour,\n\nMerci de résilier notre abonnement {plan} à la fin de la période en \
                cours. Nous ne souhaitons plus être prélevés.\n\nMerci,\n{first}",
            follow_up: "Pouvez-vous me confirmer la résiliation ? Je ne la vois pas dans mon compte.",
            reply: "Bonjour {first},\n\nC'est fait : votre abonnement {plan} prendra fin à la fin de la \
                période en cours. Vous gardez l'accès jusque-là et ne serez plus prélevé. Vos factures \
                restent téléchargeables.\n\nCordialement,\n{agent}",
            note: "Résiliation en fin de période. Motif : budget.",
        },
        Thread {
            subject: "Relance pour la facture impayée {number}",
            opening: "Bonjour,\n\nNous avons reçu une relance pour la facture {number} ({amount}), échue \
                le {due}. Nous pensions l'avoir réglée par virement. Pouvez-vous vérifier ?\n\n{first}",
            follow_up: "Notre banque confirme que le virement est parti, avec la référence {number}.",
            reply: "Bonjour {first},\n\nNous n'avons pas encore rapproché de paiement de {number} ; les \
                virements arrivent parfois sans le numéro de facture dans le libellé. Pouvez-vous nous \
                envoyer l'avis de virement ? Les relances s'arrêtent dès le rapprochement, sans pénalité \
                pendant la vérification.\n\nCordialement,\n{agent}",
            note: "{number} toujours ouverte : {amount} restant. Vérifier les virements non rapprochés.",
        },
        Thread {
            subject: "Numéro de TVA absent de la facture {number}",
            opening: "Bonjour,\n\nLa facture {number} ne mentionne pas notre numéro de TVA \
                intracommunautaire et la TVA appliquée semble incorrecte pour une entreprise. \
                Pouvez-vous l'ajouter et réémettre la facture ?\n\nMerci,\n{first}",
            follow_up: "Nous avons ajouté le numéro de TVA dans le profil de la société.",
            reply: "Bonjour {first},\n\nUne fois enregistré dans votre profil de facturation, le numéro \
                figurera sur toutes les nouvelles factures. Une facture émise ne peut pas être modifiée, \
                mais nous pouvons établir un avoir pour {number} et une facture corrigée. J'en ai fait la \
                demande à l'équipe facturation.\n\nCordialement,\n{agent}",
            note: "TVA ajoutée après l'émission de {number}. Avoir et réémission (superviseur).",
        },
    ],
    thanks: &[
        "Merci, c'est réglé !",
        "Parfait, merci pour votre réactivité.",
    ],
    articles: &[
        Article {
            title: "Que faire en cas d'échec de paiement par carte ?",
            body: "Un paiement échoue lorsque la banque le refuse : provision insuffisante, carte \
                expirée, do_not_honor ou authentification 3-D Secure non finalisée. Le motif est indiqué \
                sur la facture.\n\nMettez à jour votre moyen de paiement dans Paramètres > Facturation. \
                Nous relançons automatiquement le paiement jusqu'à quatre fois, et immédiatement après la \
                mise à jour de la carte.\n\nVotre compte reste actif pendant les relances.",
            tags: r#"["facturation","paiements","carte-refusée"]"#,
        },
        Article {
            title: "Politique de remboursement",
            body: "Les abonnements mensuels ne sont pas remboursés une fois la période commencée, mais \
                vous pouvez résilier à tout moment. Les offres annuelles sont remboursées au prorata dans \
                les 30 jours suivant le renouvellement.\n\nLes doubles prélèvements et les erreurs de \
                facturation sont toujours remboursés intégralement, sur le moyen de paiement d'origine, \
                sous 5 à 10 jours ouvrés.",
            tags: r#"["facturation","remboursement"]"#,
        },
        Article {
            title: "Changer d'offre",
            body: "Vous pouvez monter ou descendre en gamme dans Paramètres > Offre. Une montée en gamme \
                est immédiate : nous facturons la différence au prorata.\n\nUne descente en gamme prend \
                effet au prochain renouvellement. Passer à la facturation annuelle vous offre deux mois.",
            tags: r#"["facturation","offres","prorata"]"#,
        },
        Article {
            title: "Factures impayées et relances",
            body: "Une facture est échue lorsqu'elle n'est pas réglée à sa date d'échéance. Nous envoyons \
                une relance ce jour-là, puis après 7 et 14 jours.\n\nSi vous payez par virement, indiquez \
                le numéro de facture dans le libellé. Sinon, envoyez-nous l'avis de virement et nous le \
                rapprochons manuellement. Aucune pénalité pendant la vérification.",
            tags: r#"["facturation","impayé","virement"]"#,
        },
        Article {
            title: "TVA sur vos factures",
            body: "Nous appliquons la TVA de votre pays, indiquée séparément sur chaque facture.\n\nLes \
                entreprises de l'UE doivent renseigner leur numéro de TVA intracommunautaire dans le \
                profil de facturation avant l'émission de la facture. Une facture émise ne peut pas être \
                modifiée : le support peut la remplacer par un avoir et une facture corrigée.",
            tags: r#"["facturation","tva","factures"]"#,
        },
    ],
    saved_replies: &[
        SavedReply {
            title: "Copie de facture",
            body: "Bonjour {{customer.first_name}},\n\nVoici une copie de la facture {{invoice.number}} ({{invoice.total}}). Vous pouvez aussi télécharger toutes vos factures depuis la page Facturation de votre compte.\n\nBien cordialement,\n{{agent.name}}",
        },
        SavedReply {
            title: "Paiement refusé : mettre à jour la carte",
            body: "Bonjour {{customer.first_name}},\n\nLe paiement de la facture {{invoice.number}} n'a pas abouti et {{invoice.amount_due}} restent dus avant le {{invoice.due_date}}. Merci de mettre à jour votre carte sur la page Facturation ; nous relancerons le paiement automatiquement.\n\nBien cordialement,\n{{agent.name}}",
        },
        SavedReply {
            title: "Remboursement en cours",
            body: "Bonjour {{customer.first_name}},\n\nNous avons remboursé le paiement en double de la facture {{invoice.number}}. Selon votre banque, il apparaîtra sur votre relevé sous 5 à 10 jours ouvrés.\n\nBien cordialement,\n{{agent.name}}",
        },
        SavedReply {
            title: "Quelle facture ?",
            body: "Bonjour {{customer.first_name}},\n\nMerci de votre message. Pourriez-vous nous indiquer le numéro de facture (il commence par INV-) ou la date et le montant du prélèvement ? Nous regarderons aussitôt.\n\nBien cordialement,\n{{agent.name}}",
        },
    ],
};
