//! German ticket threads and knowledge-base articles.

use super::{Article, Phrases, SavedReply, Thread};

pub(super) static PHRASES: Phrases = Phrases {
    threads: [
        Thread {
            subject: "Doppelte Abbuchung für Rechnung {number}",
            opening: "Hallo,\n\nlaut Kontoauszug wurden mir für die Rechnung {number} ({date}) zweimal \
                {amount} abgebucht. Können Sie die doppelte Abbuchung bitte erstatten?\n\nDanke,\n{first}",
            follow_up: "Hallo nochmal, gibt es Neuigkeiten zur doppelten Abbuchung? Auf meiner Karte \
                stehen immer noch zwei Zahlungen.",
            reply: "Hallo {first},\n\ndanke für den Hinweis. Ich habe die Rechnung {number} geprüft: Wir \
                haben nur eine Zahlung über {amount} eingezogen. Die zweite Buchung ist eine vorläufige \
                Autorisierung, die Ihre Bank innerhalb von 5 bis 7 Werktagen freigibt. Falls sie danach \
                noch da ist, antworten Sie einfach hier und wir erstatten sie sofort.\n\nViele Grüße\n\
                {agent}",
            note: "Nur eine erfolgreiche Zahlung zu {number}. Vermutlich eine Autorisierung der Bank; \
                bei Bedarf Screenshot des Kontoauszugs anfordern.",
        },
        Thread {
            subject: "Zahlung für Rechnung {number} fehlgeschlagen",
            opening: "Hallo,\n\nich habe eine E-Mail bekommen, dass die Zahlung für Rechnung {number} \
                ({amount}) mit dem Fehler \"{error}\" fehlgeschlagen ist. Meine Karte sollte \
                funktionieren. Was muss ich tun?\n\n{first}",
            follow_up: "Ich habe meine Karte im Abrechnungsportal aktualisiert. Können Sie die Zahlung \
                erneut versuchen?",
            reply: "Hallo {first},\n\ndie Bank hat die Zahlung abgelehnt (\"{error}\"). Sobald Sie Ihre \
                Zahlungsmethode unter Einstellungen > Abrechnung aktualisiert haben, versuchen wir es \
                innerhalb von 24 Stunden automatisch erneut; Sie können {number} auch direkt über den \
                Link in der Rechnung bezahlen. Ihr Konto bleibt so lange aktiv.\n\nViele Grüße\n{agent}",
            note: "{number} fehlgeschlagen: {error}. Kunde im Tarif {plan}. Nicht erlassen; nach \
                Kartenupdate erneut einziehen.",
        },
        Thread {
            subject: "Erstattung für {number}",
            opening: "Guten Tag,\n\nuns wurden am {date} {amount} berechnet (Rechnung {number}), obwohl \
                wir das Produkt seit letztem Monat nicht mehr nutzen. Ist eine Erstattung möglich?\n\n\
                Freundliche Grüße\n{first}",
            follow_up: "Ich frage noch einmal wegen der Erstattung nach. Wurde sie genehmigt?",
            reply: "Hallo {first},\n\nich habe Ihre Anfrage zur Freigabe an unser Abrechnungsteam \
                weitergegeben. Die Erstattung für {number} geht an die ursprüngliche Zahlungsmethode und \
                dauert meist 5 bis 10 Werktage.\n\nViele Grüße\n{agent}",
            note: "Erstattung von {amount} für {number}: Freigabe durch Supervisor nötig.",
        },
        Thread {
            subject: "Kopie der Rechnung {number}",
            opening: "Hallo,\n\nunsere Buchhaltung braucht eine PDF-Kopie der Rechnung {number} vom \
                {date} mit unserer Firmenadresse. Können Sie sie uns schicken?\n\nDanke!\n{first}",
            follow_up: "Und wenn möglich auch die Rechnungen der drei Monate davor.",
            reply: "Hallo {first},\n\nanbei das PDF von {number}. Alle Rechnungen finden Sie jederzeit \
                unter Einstellungen > Abrechnung > Rechnungen; dort können Sie auch die \
                Rechnungsadresse für künftige Rechnungen ändern.\n\nViele Grüße\n{agent}",
            note: "PDF von {number} verschickt. Frage zur Adresse: auf Einstellungen verwiesen.",
        },
        Thread {
            subject: "Wechsel vom Tarif {plan}",
            opening: "Hallo,\n\nwir wachsen und möchten vom Tarif {plan} in einen größeren wechseln. Wie \
                wird der Preis anteilig berechnet, wenn wir mitten im Monat wechseln?\n\n{first}",
            follow_up: "Und behalten wir den Rabatt, wenn wir auf jährliche Abrechnung umstellen?",
            reply: "Hallo {first},\n\nbei einem Upgrade berechnen wir sofort die anteilige Differenz für \
                den Rest des Zeitraums; die nächste Rechnung kommt zum neuen Preis. Bei jährlicher \
                Abrechnung erhalten Sie zwei Monate gratis. Wechseln können Sie unter Einstellungen > \
                Tarif.\n\nViele Grüße\n{agent}",
            note: "Upgrade-Interesse aus {plan}; Frage nach Jahresabrechnung.",
        },
        Thread {
            subject: "Kündigung des Abonnements",
            opening: "Hallo,\n\nbitte kündigen Sie unser Abonnement {plan} zum Ende des aktuellen \
                Zeitraums. Wir möchten nicht erneut belastet werden.\n\nDanke\n{first}",
            follow_up: "Können Sie die Kündigung bestätigen? In meinem Konto sehe ich sie noch nicht.",
            reply: "Hallo {first},\n\nerledigt: Ihr Abonnement {plan} endet zum Ende des aktuellen \
                Zeitraums. Bis dahin behalten Sie den Zugang, danach wird nichts mehr abgebucht. Ihre \
                Rechnungen bleiben abrufbar.\n\nViele Grüße\n{agent}",
            note: "Kündigung zum Periodenende gesetzt. Grund: Budget.",
        },
        Thread {
            subject: "Zahlungserinnerung für {number}",
            opening: "Guten Tag,\n\nwir haben eine Zahlungserinnerung für die Rechnung {number} \
                ({amount}), fällig am {due}, erhalten. Wir dachten, sie sei per Überweisung bezahlt. \
                Können Sie das prüfen?\n\n{first}",
            follow_up: "Unsere Bank bestätigt die Überweisung mit dem Verwendungszweck {number}.",
            reply: "Hallo {first},\n\nwir konnten {number} noch keine Zahlung zuordnen; manchmal fehlt \
                die Rechnungsnummer im Verwendungszweck. Können Sie uns den Überweisungsbeleg schicken? \
                Sobald wir sie zugeordnet haben, enden die Erinnerungen, und während der Prüfung fallen \
                keine Mahngebühren an.\n\nViele Grüße\n{agent}",
            note: "{number} weiter offen: {amount}. Nicht zugeordnete Überweisungen prüfen.",
        },
        Thread {
            subject: "USt-IdNr. fehlt auf Rechnung {number}",
            opening: "Hallo,\n\nauf der Rechnung {number} fehlt unsere USt-IdNr., und die Steuer scheint \
                für ein Unternehmen nicht zu stimmen. Können Sie die Nummer ergänzen und die Rechnung \
                neu ausstellen?\n\nDanke\n{first}",
            follow_up: "Die USt-IdNr. steht jetzt im Firmenprofil.",
            reply: "Hallo {first},\n\nsobald die USt-IdNr. im Abrechnungsprofil gespeichert ist, steht \
                sie auf allen neuen Rechnungen. Eine ausgestellte Rechnung können wir nicht ändern, aber \
                wir erstellen eine Gutschrift für {number} und eine korrigierte Rechnung. Ich habe das \
                beim Abrechnungsteam angefragt.\n\nViele Grüße\n{agent}",
            note: "USt-IdNr. nach Ausstellung von {number} ergänzt. Gutschrift + Neuausstellung \
                (Supervisor).",
        },
    ],
    thanks: &[
        "Danke, damit ist alles geklärt!",
        "Super, vielen Dank für die schnelle Hilfe.",
    ],
    articles: &[
        Article {
            title: "Warum sehe ich zwei Abbuchungen für eine Rechnung?",
            body: "Bei Kartenzahlungen reserviert Ihre Bank den Betrag zuerst und bucht ihn dann ab. Ein \
                paar Tage lang können beide Buchungen auf dem Kontoauszug stehen.\n\nDie Reservierung \
                verschwindet von selbst, meist nach 5 bis 7 Werktagen. Die Rechnung zeigt die Zahlungen, \
                die wir tatsächlich eingezogen haben.\n\nWurden für eine Rechnung zwei Zahlungen \
                eingezogen, melden Sie sich mit der Rechnungsnummer beim Support. Wir erstatten die \
                doppelte Zahlung.",
            tags: r#"["abrechnung","zahlungen","doppelte-abbuchung"]"#,
        },
        Article {
            title: "Kartenzahlung fehlgeschlagen: was tun?",
            body: "Eine Zahlung schlägt fehl, wenn die Bank sie ablehnt: fehlende Deckung, abgelaufene \
                Karte, do_not_honor oder eine nicht abgeschlossene 3-D-Secure-Prüfung. Der Grund steht \
                auf der Rechnung.\n\nAktualisieren Sie Ihre Zahlungsmethode unter Einstellungen > \
                Abrechnung. Wir versuchen die Zahlung automatisch bis zu viermal erneut.\n\nBei SEPA-\
                Lastschriften führt ein widerrufenes Mandat zum Fehlschlag: Bitte erteilen Sie ein neues \
                Mandat.",
            tags: r#"["abrechnung","zahlungen","karte-abgelehnt","sepa"]"#,
        },
        Article {
            title: "Rechnungen herunterladen",
            body: "Alle Rechnungen stehen unter Einstellungen > Abrechnung > Rechnungen als PDF bereit, \
                auch nach einer Kündigung.\n\nFirmenname, Adresse und USt-IdNr. kommen aus dem \
                Abrechnungsprofil. Änderungen gelten für künftige Rechnungen.",
            tags: r#"["abrechnung","rechnungen","pdf"]"#,
        },
        Article {
            title: "Tarif wechseln",
            body: "Upgrade oder Downgrade unter Einstellungen > Tarif. Ein Upgrade gilt sofort; wir \
                berechnen die anteilige Differenz.\n\nEin Downgrade gilt ab der nächsten Verlängerung. \
                Mit jährlicher Abrechnung erhalten Sie zwei Monate gratis.",
            tags: r#"["abrechnung","tarife","upgrade"]"#,
        },
        Article {
            title: "Abonnement kündigen",
            body: "Kündigen Sie unter Einstellungen > Tarif > Abonnement kündigen. Das Abonnement läuft \
                bis zum Ende des bezahlten Zeitraums, danach wird nichts mehr abgebucht.\n\nBis dahin \
                können Sie die Kündigung zurücknehmen. Ihre Daten bewahren wir 90 Tage auf.",
            tags: r#"["abrechnung","kündigung"]"#,
        },
        Article {
            title: "Umsatzsteuer und USt-IdNr. auf Rechnungen",
            body: "Wir berechnen die Umsatzsteuer Ihres Landes und weisen sie auf jeder Rechnung \
                gesondert aus.\n\nUnternehmen in der EU tragen ihre USt-IdNr. vor Ausstellung der \
                Rechnung im Abrechnungsprofil ein. Ausgestellte Rechnungen ersetzt der Support durch \
                Gutschrift und korrigierte Rechnung.",
            tags: r#"["abrechnung","umsatzsteuer","rechnungen"]"#,
        },
    ],
    saved_replies: &[
        SavedReply {
            title: "Rechnungskopie",
            body: "Hallo {{customer.first_name}},\n\nanbei eine Kopie der Rechnung {{invoice.number}} ({{invoice.total}}). Alle Rechnungen finden Sie auch auf der Seite Abrechnung in Ihrem Konto.\n\nViele Grüße\n{{agent.name}}",
        },
        SavedReply {
            title: "Zahlung fehlgeschlagen: Karte aktualisieren",
            body: "Hallo {{customer.first_name}},\n\ndie Zahlung für die Rechnung {{invoice.number}} ist fehlgeschlagen; {{invoice.amount_due}} sind bis zum {{invoice.due_date}} offen. Bitte aktualisieren Sie Ihre Karte auf der Seite Abrechnung; wir versuchen die Zahlung dann automatisch erneut.\n\nViele Grüße\n{{agent.name}}",
        },
        SavedReply {
            title: "Erstattung unterwegs",
            body: "Hallo {{customer.first_name}},\n\nwir haben die doppelte Zahlung für die Rechnung {{invoice.number}} erstattet. Je nach Bank erscheint sie in 5 bis 10 Werktagen auf Ihrem Kontoauszug.\n\nViele Grüße\n{{agent.name}}",
        },
        SavedReply {
            title: "Welche Rechnung?",
            body: "Hallo {{customer.first_name}},\n\ndanke für Ihre Nachricht. Können Sie uns die Rechnungsnummer (beginnt mit INV-) oder Datum und Betrag der Abbuchung nennen? Dann sehen wir sofort nach.\n\nViele Grüße\n{{agent.name}}",
        },
    ],
};
