# Countersign-Desktop-Oberfläche — Deutsch (übersetzt aus en.ftl, dem Referenzkatalog).
# Jeder Schlüssel aus en.ftl existiert hier mit denselben Variablen (ein Test prüft das).

## Das Fenster

nav-inbox = Posteingang
nav-escalations = Eskalationen
nav-activity = Aktivität
nav-settings = Einstellungen
nav-shortcuts = Tastenkürzel
toast-close = Zum Schließen klicken
shortcuts-title = Tastenkürzel
key-next-previous = nächstes / vorheriges Ticket
key-open = ausgewähltes Ticket öffnen
key-approve = Entwurf freigeben und senden
key-edit = Entwurf bearbeiten, dann freigeben
key-reject = Entwurf ablehnen (mit Begründung)
key-escalate = Ticket eskalieren
key-draft-with-ai = Antwort mit KI entwerfen (Ticket ohne Entwurf)
key-search = Posteingang durchsuchen
key-escape = Ticket oder diese Hilfe schließen
key-help = diese Tastenkürzel ein- oder ausblenden
shortcut-draft-exists = Für dieses Ticket wartet bereits ein Entwurf
shortcut-no-ticket-for-d = Ein Ticket ohne Entwurf öffnen, um mit d eine Antwort zu entwerfen
shortcut-no-draft = Kein Entwurf geöffnet: Für a, e oder r ein Ticket mit Entwurf öffnen (x eskaliert jedes geöffnete Ticket)

## Countdowns, Badges, Synchronisierung

sla-days = { $days } T.
sla-hours = { $hours } Std. { $minutes } Min.
sla-minutes = { $minutes } Min.
sla-overdue = { $span } überfällig
badge-stale = Entwurf veraltet
badge-present = { $names } ist dran
badge-drafts-waiting = { $count ->
    [one] { $count } Entwurf wartet
   *[other] { $count } Entwürfe warten
}
badge-escalated = eskaliert
sync-local-only = nur lokal
sync-local-only-title = Dieses Profil ist mit keiner Plattform verbunden: Entscheidungen bleiben an diesem Arbeitsplatz.
sync-platform = Plattform { $platform }
sync-platform-error = Plattform { $platform } — letzter Fehler: { $error }
sync-not-signed-in = nicht angemeldet
sync-online-synced = online · synchronisiert { $ago }
sync-online = online
sync-offline-last = offline · zuletzt synchronisiert { $ago }
sync-offline-never = offline · nie synchronisiert
sync-not-yet = noch nicht synchronisiert
sync-first-loading = { $state } · erste Synchronisierung läuft
sync-first-loading-title = { $title } — die erste Synchronisierung läuft noch: Suchen finden nichts von der Plattform, bis sie abgeschlossen ist

## Status von Datensätzen

ticket-status-open = Offen
ticket-status-pending = Wartend
ticket-status-solved = Gelöst
ticket-status-closed = Geschlossen
priority-low = Niedrig
priority-normal = Normal
priority-high = Hoch
priority-urgent = Dringend
channel-email = E-Mail
channel-chat = Chat
channel-web = Webformular
channel-phone = Telefon
invoice-status-draft = Entwurf
invoice-status-finalized = Finalisiert
invoice-status-voided = Storniert
invoice-status-skipped = Übersprungen
payment-status-pending = Zahlung ausstehend
payment-status-processing = In Bearbeitung
payment-status-succeeded = Bezahlt
payment-status-failed = Zahlung fehlgeschlagen
payment-status-refunded = Erstattet
payment-status-partially-refunded = Teilweise erstattet
payment-status-overpaid = Überzahlt
payment-status-voided = Zahlung storniert
subscription-status-active = Aktiv
subscription-status-trialing = Testphase
subscription-status-past-due = Überfällig
subscription-status-paused = Pausiert
subscription-status-cancelled = Gekündigt
billing-period-monthly = Monat
billing-period-annual = Jahr
payment-method-card = Karte
payment-method-sepa-debit = SEPA-Lastschrift
payment-method-bank-transfer = Überweisung
payment-method-wallet = Guthaben
action-refund = Erstattung
action-credit-note = Gutschrift
action-void-invoice = Rechnung stornieren
action-waive-fee = Gebühr erlassen
action-other = Sonstiges
escalation-status-pending = Ausstehend
escalation-status-approved = Freigegeben
escalation-status-denied = Abgelehnt
draft-status-pending-review = wartet auf Prüfung
draft-status-stale = veraltet — erneute Prüfung nötig
draft-status-approved = freigegeben
draft-status-rejected = abgelehnt
role-agent = Agent
role-supervisor = Supervisor
token-scope-read = nur lesen
token-scope-draft = lesen + vorschlagen
cited-customer = Kunde
cited-invoice = Rechnung
cited-payment = Zahlung
cited-message = Nachricht
cited-article = Artikel
claim-amount = Betrag
claim-invoice-number = Rechnungsnummer
claim-date = Datum
intent-duplicate-charge = Doppelabbuchung
intent-failed-payment = fehlgeschlagene Zahlung
intent-overdue = überfällige Rechnung
intent-refund = Erstattungsanfrage
intent-vat = USt-Frage
intent-invoice-copy = Rechnungskopie
intent-cancel = Kündigung
intent-plan-change = Tarifwechsel
intent-other = Sonstiges

## Statusleiste

close = Schließen
status-mcp-on = MCP aktiv :{ $port }
status-mcp-off = MCP aus: { $error }
status-mcp-disabled = MCP deaktiviert
status-no-client = kein MCP-Client verbunden
status-clients = { $count ->
    [one] { $count } MCP-Client: { $names }
   *[other] { $count } MCP-Clients: { $names }
}
status-profile = Profil { $profile }
status-outbox-title = Entscheidungen für die Plattform in der Warteschlange, noch nicht übermittelt
status-outbox = Postausgang { $count }
status-notices-title = Von der Plattform abgelehnte oder geänderte Aktionen
status-notices = { $count ->
    [one] { $count } Sync-Hinweis
   *[other] { $count } Sync-Hinweise
}
notices-none = Keine Sync-Hinweise.
notices-title = Sync-Hinweise

## Posteingang

inbox-search-placeholder = Tickets durchsuchen  /
inbox-mine = Meine
inbox-unassigned = Nicht zugewiesen
inbox-all = Alle
inbox-needs-review = Zu prüfen
inbox-snoozed = Zurückgestellt
inbox-breaks-next = Läuft zuerst ab
inbox-breaks-next-hint = Offene Tickets mit laufendem SLA, das zuerst ablaufende oben (überfällige ganz oben)
snooze = Zurückstellen…
snooze-later = Später heute (3 Std.)
snooze-tomorrow = Morgen früh
snooze-monday = Nächsten Montag
snoozed-until = Zurückgestellt bis { $until }
wake = Aufwecken
woken = Wieder im Posteingang
inbox-any-status = Alle Status
inbox-loading = Posteingang wird geladen…
inbox-newer = ← Neuere
inbox-older = Ältere →
inbox-empty = Keine passenden Tickets. Anderen Filter versuchen.
sla-title = Verbleibende Zeit bis zum SLA-Ziel

## Ticket

ticket-opening = Ticket wird geöffnet…
ticket-close = Schließen (Esc)
ticket-sla = SLA { $left }
ticket-escalate = Eskalieren…
ticket-internal-note = interne Notiz
move-open = Öffnen
move-reopen = Wieder öffnen
move-pending = Wartet auf Kunden
move-solved = Lösen
move-closed = Schließen
closed-final = Geschlossen: Schreibt der Kunde erneut, entsteht ein neues Ticket.
priority-field = Priorität
status-set = Status: { $status }
priority-set = Priorität: { $priority }
assignee-field = Zugewiesen an
assignee-nobody = Niemand
assignee-me = { $name } (ich)
assign-to-me = Übernehmen
assigned-to = Zugewiesen an { $name }
assigned-to-nobody = Nicht zugewiesen

## Der Entwurf

drafted-by = Entworfen von { $author }
drafted-flagged = { $count ->
    [one] { $count } Angabe passt zu keinem Datensatz, bitte prüfen
   *[other] { $count } Angaben passen zu keinem Datensatz, bitte prüfen
}
draft-failed = Entwurf fehlgeschlagen: { $error }
no-draft = Kein Entwurf wartet.
drafting = Entwurf wird erstellt…
draft-with-ai = Mit KI entwerfen
no-draft-help = Der Entwurfsgenerator dieses Arbeitsplatzes schreibt anhand der Datensätze dieses Kunden; über MCP verbundene Assistenten können ebenfalls Entwürfe einreichen.
model-not-given = Modell nicht angegeben
generation-ms = { $ms } ms
generation-tokens = { $input } + { $output } Tokens
generation-intent = erkannt als { $intent }
confidence = Konfidenz
fell-back = Fallback: { $why }
grounding-ok = { $count ->
    [one] Die eine genannte Angabe stimmt mit den Datensätzen überein.
   *[other] Alle { $count } genannten Angaben stimmen mit den Datensätzen überein.
}
grounding-flags = Durch keinen Datensatz belegt — vor dem Senden prüfen:
approved-queued = Freigegeben — die Antwort ist zum Senden eingereiht
draft-rejected = Entwurf abgelehnt
rereviewed = Erneut geprüft: Der Entwurf bezieht sich jetzt auf die aktuellen Datensätze
ai-draft = KI-Entwurf
stale = Veraltet:
suggested-escalation = Mit der Freigabe wird zudem eine Eskalation ({ $action }, { $amount }) angelegt, über die ein Supervisor entscheidet.
approve-edited = Änderungen freigeben und senden
cancel = Abbrechen
reject-reason = Begründung (wird mit der Entscheidung gespeichert)
reject = Ablehnen
stale-approve-title = Ein veralteter Entwurf muss zuerst erneut geprüft werden
approve = Freigeben und senden
rereview = Mit aktuellen Datensätzen erneut prüfen
edit = Bearbeiten
no-citations = Keine Quellen.
cites = Quellen
earlier-drafts = Frühere Entwürfe
decided-by = von { $who }
edited = bearbeitet
diff-title = Änderungen am KI-Entwurf vor dem Senden
diff-removed = im KI-Entwurf, nicht gesendet
diff-added = bei der Prüfung hinzugefügt

## In einem Ticket schreiben

reply-queued = Antwort zum Senden eingereiht
note-added = Interne Notiz hinzugefügt
compose-reply = Antwort an Kunden
compose-note = Interne Notiz
compose-reply-placeholder = Antwort schreiben — sie wird zum Senden an den Kunden eingereiht
compose-note-placeholder = Interne Notiz — für den Kunden nie sichtbar
compose-send-reply = Antwort senden
presence-viewing = { $name } sieht sich dieses Ticket an
presence-replying = { $name } antwortet auf dieses Ticket
attachment-save = Speichern
attachment-save-hint = Diese Datei von der Plattform in Ihren Download-Ordner speichern (sie wird nicht geöffnet)
attachment-saved = Gespeichert unter { $path }
merge-into = Zusammenführen mit…
merge-hint = Dieses Ticket mit einem anderen dieses Kunden zusammenführen: Der Verlauf wandert dorthin, dieses wird geschlossen
merge-confirm = Mit „{ $subject }“ zusammenführen
merged = Mit „{ $subject }“ zusammengeführt
merged-into = Dieses Ticket wurde mit einem anderen Ticket des Kunden zusammengeführt; der Verlauf ist dort.
merged-open = Öffnen
saved-replies = Gespeicherte Antworten
saved-hint = Gespeicherte Antwort einfügen: # und ein Wort in die Antwort tippen oder hier klicken
saved-search = Gespeicherte Antworten suchen
saved-none = Keine gespeicherte Antwort passt.
saved-mine = meine
saved-delete = Diese eigene gespeicherte Antwort löschen
saved-title = Titel
saved-keep = Diesen Text als meine Antwort speichern
saved-kept = Antwort gespeichert.
saved-deleted = Gespeicherte Antwort gelöscht.
saved-inserted = Gespeicherte Antwort eingefügt: lesen, dann senden.
saved-missing = Eingefügt. Die Daten enthalten keinen Wert für { $names }: vor dem Senden ergänzen.
compose-add-note = Notiz hinzufügen
escalation-raised = Eskalation angelegt
escalate = Eskalieren
esc-invoice-placeholder = Rechnungsnummer oder ID
esc-amount-placeholder = Betrag, z. B. 19,99
esc-reason-placeholder = Begründung
esc-raise = Eskalation anlegen

## Der Kunde und seine Datensätze

synced-ago = synchronisiert { $ago }
not-synced = nur lokal (noch nicht synchronisiert)
local-record = nur an diesem Arbeitsplatz (ohne Plattform)
customer-loading = Kunde wird geladen…
customer = Kunde
plan = Tarif
wallet = Guthaben { $balance }
unpaid = Unbezahlt { $amount } ({ $count })
overdue-total = überfällig { $amount } ({ $count })
invoices = Rechnungen
due = fällig am { $date }
overdue = überfällig
payments = Zahlungen
invoice-title = Rechnung { $number }
invoice-open = Diese Rechnung öffnen
invoice-total = gesamt { $amount }
invoice-remaining = offen { $amount }
record-version = Version { $version }
cited-elsewhere = { $kind } { $id } (Version { $version }) — im Verlauf und im Kundenbereich angezeigt
cited-changed = seit dem Entwurf geändert: Version { $from } → { $to }
loading = Wird geladen…

## Eskalationen

escalations-loading = Eskalationen werden geladen…
nothing-here = Keine Einträge.
escalation-approved = Eskalation freigegeben
escalation-denied = Eskalation abgelehnt
invoice-ref = Rechnung { $number }
raised-by = angelegt von { $who } · { $ago }
decided-by-person = entschieden von { $who }
esc-note-placeholder = Notiz (für Ablehnung erforderlich)
esc-approve = Freigeben
esc-deny = Ablehnen
execution-unconnected = Nicht ausgeführt – kein Abrechnungs-Connector
execution-queued = Wird in der Abrechnung ausgeführt …
execution-retrying = Neuer Versuch in der Abrechnung: { $reason }
execution-executed = In der Abrechnung ausgeführt ({ $reference })
execution-failed = In der Abrechnung fehlgeschlagen: { $reason }
esc-retry = In der Abrechnung erneut versuchen
execution-retry-queued = Neuer Versuch eingereiht
delivery-unconnected = Nicht zugestellt – kein E-Mail-Kanal
delivery-queued = Wird an den Kunden gesendet …
delivery-retrying = Neuer Sendeversuch: { $reason }
delivery-sent = An den Mailserver des Kunden zugestellt
delivery-sent-unconfirmed = An den Mailserver übergeben, nicht bestätigt: { $reason }
delivery-failed = Nicht zugestellt: { $reason }
esc-also-pending = { $count ->
    [one] Zu dieser Rechnung ist noch eine weitere Eskalation offen: prüfen, dass nicht dieselbe Erstattung zweimal erfolgt.
   *[other] Zu dieser Rechnung sind noch { $count } weitere Eskalationen offen: prüfen, dass nicht dieselbe Erstattung zweimal erfolgt.
}

## Aktivität

activity-filter = Nach Aktion, Akteur oder Objekt filtern
activity-loading = Prüfprotokoll wird gelesen…
chain-ok = { $count ->
    [one] Prüfkette verifiziert — { $count } Eintrag intakt
   *[other] Prüfkette verifiziert — { $count } Einträge intakt
}
chain-broken = Prüfkette bei { $at } unterbrochen
audit-when = Wann
audit-who = Wer
audit-action = Aktion
audit-subject = Objekt
audit-outcome = Ergebnis

## Einstellungen

settings-loading = Einstellungen werden geladen…
setting-saved = Gespeichert
profile = Profil
name = Name
role = Rolle
refund-cap = Erstattungslimit für Agenten
refund-cap-none = keins: Entscheidung durch Supervisor
platform-owned = Von der angemeldeten Plattform festgelegt; Änderungen erfolgen dort, nicht an diesem Arbeitsplatz.
save-name = Namen speichern
refund-cap-field = Erstattungslimit für Agenten (0 = nur Supervisor)
save-cap = Limit speichern
mcp-endpoint = MCP-Endpunkt
listening-on = Erreichbar unter
off = Aus
port = Port
save-port = Port speichern
turn-off = Deaktivieren
turn-on = Aktivieren
mcp-stdio-help = Assistenten, die Countersign selbst starten (stdio), brauchen keinen Endpunkt: `countersign connect claude-desktop`.
mcp-test = Verbindung testen
mcp-test-ok = Der Endpunkt antwortet in { $ms } ms und verlangt wie vorgesehen ein Token.
connect-title = Assistenten verbinden
connect-help = Am einfachsten: Der Assistent startet Countersign selbst auf diesem Arbeitsplatz (stdio) – ohne Token, ohne Server. Dies in seine Konfigurationsdatei einfügen und ihn neu starten.
mcp-tokens-help = Für Clients, die eine URL aufrufen (Cursor, VS Code), über den Endpunkt oben: ein Token erstellen und seine Konfiguration einfügen.
copy = Kopieren
copied = Kopiert
copy-failed = Kopieren nicht möglich: Text markieren und von Hand kopieren
notifications = Benachrichtigungen
notifications-on = Desktop-Benachrichtigung, wenn ein Assistent einen Entwurf einreicht, während das Fenster im Hintergrund ist.
notifications-off = Aus: Entwürfe erscheinen weiterhin live im Posteingang, ohne Desktop-Benachrichtigung.
mcp-tokens = MCP-Tokens
token-used = zuletzt verwendet { $ago }
token-never-used = nie verwendet
token-revoked = widerrufen
token-revoked-done = Token widerrufen
revoke = Widerrufen
token-name-placeholder = Token-Name, z. B. Cursor
create-token = Token erstellen
token-shown-once = Diesen Token jetzt kopieren — er wird nur einmal angezeigt:

## Entwurfserstellung und KI-Anbieter

drafting-title = Entwurfserstellung
auto-draft-on = Wenn ein Kunde schreibt, erstellt der Arbeitsplatz selbstständig einen Antwortentwurf zur Prüfung.
auto-draft-off = Aus: In einem Ticket „Mit KI entwerfen“ (d) drücken, um einen Entwurf zu erhalten.
auto-providers-on = Automatische Entwürfe fragen zuerst die KI-Anbieter unten an (kann Kosten verursachen).
auto-providers-off = Automatische Entwürfe nutzen den Offline-Generator; „Mit KI entwerfen“ fragt zuerst die Anbieter unten an.
auto-providers-turn-off = Automatische Entwürfe nur offline
auto-providers-turn-on = Anbieter für automatische Entwürfe nutzen
provider-added = { $name } hinzugefügt
providers-title = KI-Anbieter
providers-help = „Mit KI entwerfen“ fragt diese Anbieter der Reihe nach an; fällt einer aus, antwortet der nächste, und zuletzt antwortet immer der Offline-Generator. Schlüssel werden im Schlüsselbund des Systems gespeichert.
provider-key-in-keyring = Schlüssel im Schlüsselbund
provider-no-key = kein Schlüssel
provider-up = Früher anfragen
provider-order-saved = Reihenfolge gespeichert
provider-answered = { $name } hat in { $ms } ms geantwortet
provider-testing = Wird getestet…
provider-test = Testen
provider-removed = Entfernt; der Schlüssel wurde gelöscht
provider-remove = Entfernen
provider-last = zuletzt
provider-on-this-machine = auf diesem Rechner
provider-no-key-needed = kein Schlüssel nötig
provider-name-placeholder = Name, z. B. claude
provider-kind-openai = OpenAI-kompatibel (OpenAI, Azure, OpenRouter, Ollama, llama.cpp, vLLM, LM Studio)
provider-url-placeholder = Basis-URL (leer: öffentlicher Endpunkt)
provider-model-placeholder = Modell, z. B. gpt-4o-mini
provider-key-placeholder = API-Schlüssel (keiner für lokalen Server)
provider-add = Anbieter hinzufügen

## Sprache

language = Sprache
language-field = Sprache der Oberfläche
language-system = Systemsprache ({ $name })
language-help = Datums-, Zahlen- und Betragsformate richten sich ebenfalls nach der Sprache. Entwürfe an Kunden werden unabhängig von dieser Einstellung in der Sprache des Kunden verfasst.

## Erster Start

welcome-title = Willkommen bei Countersign
welcome-demo = Dies ist ein Demo-Arbeitsplatz: Kunden, Rechnungen und Tickets sind erfunden, und nichts, was hier geschieht, verlässt diesen Rechner.
welcome-drafts = Die Entwürfe im Posteingang hat der Offline-Verfasser des Arbeitsplatzes aus den Daten des jeweiligen Kunden geschrieben. Nichts erreicht einen Kunden ohne Freigabe: Ticket öffnen, dann a zum Freigeben, e zum Bearbeiten, r zum Ablehnen.
welcome-assistant = Damit ein KI-Assistent (Claude Desktop, Cursor, VS Code) diesen Arbeitsplatz lesen und Entwürfe vorschlagen kann, `countersign connect claude-desktop` ausführen und die Ausgabe in die Einstellungen des Assistenten einfügen; Einstellungen › MCP-Tokens zeigt die anderen Wege.
welcome-ok = Loslegen

## Ablehnungen, so gesagt, wie ein Mensch es sagt (der Code folgt in Klammern)
problem-required = { $field ->
    [title] Geben Sie der gespeicherten Antwort einen Titel.
    [body] Zuerst den Text der Antwort schreiben.
    [reason] Kurz sagen, warum.
   *[note] Sagen, warum Sie ablehnen: Die Notiz geht an die Person, die eskaliert hat.
}
problem-too-long = { $field ->
    [title] Der Titel
    [body] Die Antwort
    [reason] Die Begründung
   *[note] Die Notiz
} hat { $chars } Zeichen; höchstens { $max } sind möglich.
problem-already-decided = { $what ->
    [draft] { $by } hat über diesen Entwurf schon entschieden: { $status }, { $at }.
   *[escalation] { $by } hat über diese Eskalation schon entschieden: { $status }, { $at }.
}
problem-draft-stale = Die Daten haben sich geändert, nachdem dieser Entwurf geschrieben wurde ({ $why }). Vor der Freigabe erneut prüfen.
problem-ticket-changed = Dieses Ticket hat sich geändert, seit Sie es geöffnet haben. Erneut lesen, dann entscheiden.
problem-over-cap = { $action } über { $amount }: Agenten dürfen bis { $cap } freigeben; entscheiden muss ein Supervisor.
problem-no-cap = { $action } über { $amount }: Entscheiden muss ein Supervisor (dieser Arbeitsplatz legt keinen Betrag fest, den Agenten freigeben dürfen).
problem-supervisor-only = { $action }: Über diese Eskalation entscheidet nur ein Supervisor.
problem-approve-own = { $action }: Sie haben diese Eskalation selbst angelegt; ein anderer Supervisor muss sie genehmigen. Jede Geldbewegung sehen zwei Personen.
problem-role-cap = { $action } über { $amount }: Ihre Rolle darf laut Team-Richtlinie bis { $cap } freigeben.
problem-second-approver = { $action } über { $amount }: Sie haben die erste Freigabe erteilt; oberhalb der Vier-Augen-Schwelle des Teams erteilt ein anderer Supervisor die zweite.
escalation-first-approval = Freigegeben von { $who } – wartet auf einen zweiten Supervisor
problem-exceeds-invoice = { $amount } ist mehr, als Rechnung { $invoice } zulässt ({ $allowed }).
problem-closed-is-final = Ein geschlossenes Ticket ist endgültig: Sein Status ändert sich nicht mehr.
problem-solve-before-closing = Das Ticket erst lösen, dann schließen.
problem-status-move = Ein Ticket kann nicht von { $from } zu { $to } wechseln.
problem-same-priority = Das Ticket hat schon die Priorität { $priority }.
problem-ticket-closed = Dieses Ticket ist geschlossen und nimmt keine Antwort mehr an; schreibt der Kunde erneut, wird ein neues Ticket eröffnet.
problem-unknown-agent = Diese Person gehört nicht zu den Agenten Ihres Teams.
problem-snooze-in-the-past = Wählen Sie einen Zeitpunkt in der Zukunft.
problem-not-snoozed = Dieses Ticket ist nicht zurückgestellt.
problem-already-assigned = Dieses Ticket ist bereits { $name } zugewiesen.
problem-already-unassigned = Dieses Ticket ist bereits niemandem zugewiesen.
problem-unfilled-variable = Die Antwort enthält noch { $name }: Tragen Sie ein, wofür es steht, dann senden.
problem-unknown-variable = { $name } ist keine Variable, die eine gespeicherte Antwort verwenden kann.
problem-unknown-language = Wählen Sie Englisch, Spanisch, Französisch oder Deutsch.
problem-cannot-merge = { $why ->
    [same] Ein Ticket wird mit einem anderen zusammengeführt, nicht mit sich selbst.
    [customer] Nur Tickets desselben Kunden lassen sich zusammenführen.
    [merged] Eines dieser Tickets wurde schon zusammengeführt.
   *[closed] Eines dieser Tickets ist geschlossen, und das ist endgültig.
}
error-not-found = Nicht mehr auf diesem Arbeitsplatz: { $detail }
error-invalid = Nicht angenommen: { $detail }
error-forbidden = Nicht erlaubt: { $detail }
error-unauthenticated = Bitte erneut anmelden: { $detail }
error-stale = Inzwischen geändert: { $detail }
error-conflict = Schon erledigt: { $detail }
error-rate-limited = Zu viele Anfragen auf einmal; kurz warten und erneut versuchen.
error-unavailable = Gerade nicht erreichbar, bitte erneut versuchen: { $detail }
error-internal = Etwas ist schiefgegangen: { $detail }
