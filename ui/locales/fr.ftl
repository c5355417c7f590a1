# Interface de bureau Countersign — français.
# Chaque clé existe dans en.ftl, es.ftl et de.ftl avec les mêmes variables (un test le vérifie).

## La fenêtre

nav-inbox = Boîte de réception
nav-escalations = Escalades
nav-activity = Activité
nav-settings = Paramètres
nav-shortcuts = Raccourcis
toast-close = Cliquer pour fermer
shortcuts-title = Raccourcis clavier
key-next-previous = ticket suivant / précédent
key-open = ouvrir le ticket sélectionné
key-approve = approuver le brouillon et l'envoyer
key-edit = modifier le brouillon, puis l'approuver
key-reject = rejeter le brouillon (avec un motif)
key-escalate = escalader le ticket
key-draft-with-ai = rédiger une réponse avec l'IA (ticket sans brouillon)
key-search = rechercher dans la boîte de réception
key-escape = fermer le ticket ou cette aide
key-help = afficher ou masquer ces raccourcis
shortcut-draft-exists = Ce ticket a déjà un brouillon en attente
shortcut-no-ticket-for-d = Ouvrez un ticket sans brouillon pour rédiger une réponse avec d
shortcut-no-draft = Aucun brouillon à l'écran : ouvrez un ticket avec un brouillon pour utiliser a, e ou r (x escalade tout ticket ouvert)

## Comptes à rebours, badges, synchronisation

sla-days = { $days } j
sla-hours = { $hours } h { $minutes } min
sla-minutes = { $minutes } min
sla-overdue = en retard de { $span }
badge-stale = brouillon périmé
badge-present = { $names } dessus
badge-drafts-waiting = { $count ->
    [one] { $count } brouillon en attente
   *[other] { $count } brouillons en attente
}
badge-escalated = escaladé
sync-local-only = local uniquement
sync-local-only-title = Ce profil n'est connecté à aucune plateforme : les décisions restent sur ce poste.
sync-platform = Plateforme { $platform }
sync-platform-error = Plateforme { $platform } — dernière erreur : { $error }
sync-not-signed-in = non connecté
sync-online-synced = en ligne · synchronisé { $ago }
sync-online = en ligne
sync-offline-last = hors ligne · dernière synchro { $ago }
sync-offline-never = hors ligne · jamais synchronisé
sync-not-yet = pas encore synchronisé
sync-first-loading = { $state } · première synchro en cours
sync-first-loading-title = { $title } — la première synchronisation est encore en cours : les recherches ne trouvent rien sur la plateforme tant qu'elle n'est pas terminée

## États des enregistrements

ticket-status-open = Ouvert
ticket-status-pending = En attente
ticket-status-solved = Résolu
ticket-status-closed = Fermé
priority-low = Basse
priority-normal = Normale
priority-high = Haute
priority-urgent = Urgente
channel-email = E-mail
channel-chat = Chat
channel-web = Formulaire web
channel-phone = Téléphone
invoice-status-draft = Brouillon
invoice-status-finalized = Finalisée
invoice-status-voided = Annulée
invoice-status-skipped = Ignorée
payment-status-pending = Paiement en attente
payment-status-processing = En cours
payment-status-succeeded = Payé
payment-status-failed = Échec du paiement
payment-status-refunded = Remboursé
payment-status-partially-refunded = Partiellement remboursé
payment-status-overpaid = Trop-perçu
payment-status-voided = Paiement annulé
subscription-status-active = Actif
subscription-status-trialing = Essai
subscription-status-past-due = Impayé
subscription-status-paused = En pause
subscription-status-cancelled = Résilié
billing-period-monthly = mois
billing-period-annual = an
payment-method-card = Carte
payment-method-sepa-debit = Prélèvement SEPA
payment-method-bank-transfer = Virement bancaire
payment-method-wallet = Portefeuille
action-refund = Remboursement
action-credit-note = Avoir
action-void-invoice = Annuler la facture
action-waive-fee = Exonérer des frais
action-other = Autre
escalation-status-pending = En attente
escalation-status-approved = Approuvée
escalation-status-denied = Refusée
draft-status-pending-review = en attente de relecture
draft-status-stale = périmé — nouvelle relecture requise
draft-status-approved = approuvé
draft-status-rejected = rejeté
role-agent = Agent
role-supervisor = Superviseur
token-scope-read = lecture seule
token-scope-draft = lecture + proposition
cited-customer = client
cited-invoice = facture
cited-payment = paiement
cited-message = message
cited-article = article
claim-amount = montant
claim-invoice-number = numéro de facture
claim-date = date
intent-duplicate-charge = un double prélèvement
intent-failed-payment = un paiement échoué
intent-overdue = une facture en retard
intent-refund = une demande de remboursement
intent-vat = une question de TVA
intent-invoice-copy = une copie de facture
intent-cancel = une résiliation
intent-plan-change = un changement de formule
intent-other = autre chose

## Barre d'état

close = Fermer
status-mcp-on = MCP actif :{ $port }
status-mcp-off = MCP arrêté : { $error }
status-mcp-disabled = MCP désactivé
status-no-client = aucun client MCP connecté
status-clients = { $count ->
    [one] { $count } client MCP : { $names }
   *[other] { $count } clients MCP : { $names }
}
status-profile = profil { $profile }
status-outbox-title = Décisions en file d'attente pour la plateforme, pas encore transmises
status-outbox = à envoyer { $count }
status-notices-title = La plateforme a refusé ou modifié une de vos actions
status-notices = { $count ->
    [one] { $count } alerte de synchro
   *[other] { $count } alertes de synchro
}
notices-none = Aucune alerte de synchro.
notices-title = Alertes de synchro

## Boîte de réception

inbox-search-placeholder = Rechercher des tickets  /
inbox-mine = Les miens
inbox-unassigned = Non assignés
inbox-all = Tous
inbox-needs-review = À relire
inbox-snoozed = En attente
inbox-breaks-next = Échéance proche
inbox-breaks-next-hint = Tickets ouverts avec un SLA en cours, le plus proche de l'échéance d'abord (les dépassés en haut)
snooze = Mettre en attente…
snooze-later = Plus tard aujourd'hui (3 h)
snooze-tomorrow = Demain matin
snooze-monday = Lundi prochain
snoozed-until = En attente jusqu'au { $until }
wake = Réveiller
woken = De retour dans la boîte
inbox-any-status = Tous les statuts
inbox-loading = Chargement de la boîte de réception…
inbox-newer = ← Plus récents
inbox-older = Plus anciens →
inbox-empty = Aucun ticket ne correspond. Essayez un autre filtre.
sla-title = Temps restant avant l'objectif SLA

## Ticket

ticket-opening = Ouverture du ticket…
ticket-close = Fermer (Échap)
ticket-sla = SLA { $left }
ticket-escalate = Escalader…
ticket-internal-note = note interne
move-open = Ouvrir
move-reopen = Rouvrir
move-pending = En attente du client
move-solved = Résoudre
move-closed = Fermer
closed-final = Fermé : si le client écrit à nouveau, un nouveau ticket s'ouvre.
priority-field = Priorité
status-set = Statut : { $status }
priority-set = Priorité : { $priority }
assignee-field = Attribué à
assignee-nobody = Personne
assignee-me = { $name } (moi)
assign-to-me = Je le prends
assigned-to = Attribué à { $name }
assigned-to-nobody = Non attribué

## Le brouillon

drafted-by = Rédigé par { $author }
drafted-flagged = { $count ->
    [one] { $count } chiffre ne correspond à aucun enregistrement, vérifiez-le
   *[other] { $count } chiffres ne correspondent à aucun enregistrement, vérifiez-les
}
draft-failed = Rédaction impossible : { $error }
no-draft = Aucun brouillon en attente.
drafting = Rédaction en cours…
draft-with-ai = Rédiger avec l'IA
no-draft-help = Le rédacteur du poste écrit à partir des enregistrements de ce client ; les assistants connectés via MCP peuvent aussi déposer des brouillons.
model-not-given = modèle non indiqué
generation-ms = { $ms } ms
generation-tokens = { $input } + { $output } tokens
generation-intent = compris comme { $intent }
confidence = confiance
fell-back = Solution de repli : { $why }
grounding-ok = { $count ->
    [one] Le seul chiffre indiqué correspond aux enregistrements.
   *[other] Les { $count } chiffres indiqués correspondent tous aux enregistrements.
}
grounding-flags = Non étayé par un enregistrement — à vérifier avant l'envoi :
approved-queued = Approuvé — la réponse est en file d'envoi
draft-rejected = Brouillon rejeté
rereviewed = Relu à nouveau : le brouillon est lié aux enregistrements actuels
ai-draft = Brouillon IA
stale = Périmé :
suggested-escalation = L'approbation crée aussi une escalade ({ $action }, { $amount }) soumise à la décision d'un superviseur.
approve-edited = Approuver la version modifiée et envoyer
cancel = Annuler
reject-reason = Pourquoi ? (conservé avec la décision)
reject = Rejeter
stale-approve-title = Un brouillon périmé doit d'abord être relu à nouveau
approve = Approuver et envoyer
rereview = Relire avec les enregistrements actuels
edit = Modifier
no-citations = Aucune source citée.
cites = Sources
earlier-drafts = Brouillons précédents
decided-by = par { $who }
edited = modifié
diff-title = Modifications apportées au brouillon IA avant l'envoi
diff-removed = dans le brouillon IA, non envoyé
diff-added = ajouté par le relecteur

## Écrire sur un ticket

reply-queued = Réponse en file d'envoi
note-added = Note interne ajoutée
compose-reply = Répondre au client
compose-note = Note interne
compose-reply-placeholder = Rédigez une réponse — elle sera mise en file d'envoi vers le client
compose-note-placeholder = Note interne — jamais visible par le client
compose-send-reply = Envoyer la réponse
presence-viewing = { $name } consulte ce ticket
presence-replying = { $name } répond à ce ticket
attachment-save = Enregistrer
attachment-save-hint = Enregistrer ce fichier depuis la plateforme dans votre dossier de téléchargements (il n'est pas ouvert)
attachment-saved = Enregistré dans { $path }
merge-into = Fusionner avec…
merge-hint = Fusionner ce ticket avec un autre de ce client : son fil y passe et il est fermé
merge-confirm = Fusionner avec « { $subject } »
merged = Fusionné avec « { $subject } »
merged-into = Ce ticket a été fusionné avec un autre ticket du client ; son fil s'y trouve.
merged-open = L'ouvrir
saved-replies = Réponses enregistrées
saved-hint = Insérer une réponse enregistrée : tapez # et un mot dans la réponse, ou cliquez ici
saved-search = Chercher une réponse enregistrée
saved-none = Aucune réponse enregistrée ne correspond.
saved-mine = à moi
saved-delete = Supprimer cette réponse enregistrée à vous
saved-title = Titre
saved-keep = Garder ce texte comme réponse à moi
saved-kept = Réponse enregistrée.
saved-deleted = Réponse enregistrée supprimée.
saved-inserted = Réponse enregistrée insérée : relisez-la, puis envoyez.
saved-missing = Insérée. Les dossiers n'ont pas de valeur pour { $names } : complétez avant d'envoyer.
compose-add-note = Ajouter la note
escalation-raised = Escalade créée
escalate = Escalader
esc-invoice-placeholder = Numéro ou identifiant de facture
esc-amount-placeholder = Montant, ex. 19,99
esc-reason-placeholder = Motif
esc-raise = Créer l'escalade

## Le client et ses enregistrements

synced-ago = synchronisé { $ago }
not-synced = local uniquement (pas encore synchronisé)
local-record = sur ce poste uniquement (sans plateforme)
customer-loading = Chargement du client…
customer = Client
plan = Formule
wallet = Portefeuille { $balance }
unpaid = Impayé { $amount } ({ $count })
overdue-total = en retard { $amount } ({ $count })
invoices = Factures
due = échéance { $date }
overdue = en retard
payments = Paiements
invoice-title = Facture { $number }
invoice-open = Ouvrir cette facture
invoice-total = total { $amount }
invoice-remaining = reste { $amount }
record-version = version { $version }
cited-elsewhere = { $kind } { $id } (version { $version }) — affiché dans le fil et le panneau client
cited-changed = modifié depuis le brouillon : version { $from } → { $to }
loading = Chargement…

## Escalades

escalations-loading = Chargement des escalades…
nothing-here = Rien à afficher.
escalation-approved = Escalade approuvée
escalation-denied = Escalade refusée
invoice-ref = facture { $number }
raised-by = créée par { $who } · { $ago }
decided-by-person = décidée par { $who }
esc-note-placeholder = Note (obligatoire pour refuser)
esc-approve = Approuver
esc-deny = Refuser
execution-unconnected = Non exécuté — aucun connecteur de facturation
execution-queued = En cours dans la facturation…
execution-retrying = Nouvelle tentative dans la facturation : { $reason }
execution-executed = Exécuté dans la facturation ({ $reference })
execution-failed = Échec dans la facturation : { $reason }
esc-retry = Réessayer dans la facturation
execution-retry-queued = Nouvelle tentative en file d’attente
delivery-unconnected = Non remis — aucun canal e-mail
delivery-queued = Envoi au client…
delivery-retrying = Nouvel envoi : { $reason }
delivery-sent = Remis au serveur de messagerie du client
delivery-sent-unconfirmed = Remis au serveur de messagerie, sans confirmation : { $reason }
delivery-failed = Non remis : { $reason }
esc-also-pending = { $count ->
    [one] Une autre escalade est en attente sur cette facture : vérifier qu'il ne s'agit pas deux fois du même remboursement.
   *[other] { $count } autres escalades sont en attente sur cette facture : vérifier qu'il ne s'agit pas deux fois du même remboursement.
}

## Activité

activity-filter = Filtrer par action, auteur ou objet
activity-loading = Lecture du journal d'audit…
chain-ok = { $count ->
    [one] Chaîne d'audit vérifiée — { $count } entrée intacte
   *[other] Chaîne d'audit vérifiée — { $count } entrées intactes
}
chain-broken = Chaîne d'audit rompue à { $at }
audit-when = Quand
audit-who = Qui
audit-action = Action
audit-subject = Objet
audit-outcome = Résultat

## Paramètres

settings-loading = Chargement des paramètres…
setting-saved = Enregistré
profile = Profil
name = Nom
role = Rôle
refund-cap = Plafond de remboursement agent
refund-cap-none = aucun : les superviseurs décident
platform-owned = Définis par la plateforme à laquelle vous êtes connecté ; ils se modifient là-bas, pas sur ce poste.
save-name = Enregistrer le nom
refund-cap-field = Plafond de remboursement agent (0 = superviseurs uniquement)
save-cap = Enregistrer le plafond
mcp-endpoint = Point de terminaison MCP
listening-on = À l'écoute sur
off = Désactivé
port = Port
save-port = Enregistrer le port
turn-off = Désactiver
turn-on = Activer
mcp-stdio-help = Les assistants qui lancent Countersign eux-mêmes (stdio) n'ont besoin d'aucun point de terminaison : `countersign connect claude-desktop`.
mcp-test = Tester la connexion
mcp-test-ok = Le point d'accès répond, en { $ms } ms, et demande un jeton comme il se doit.
connect-title = Connecter un assistant
connect-help = Le plus simple : l'assistant lance lui-même Countersign sur ce poste (stdio), sans jeton ni serveur. Coller ceci dans son fichier de configuration, puis le redémarrer.
mcp-tokens-help = Pour les clients qui appellent une URL (Cursor, VS Code) via le point d'accès ci-dessus : créer un jeton, puis coller sa configuration.
copy = Copier
copied = Copié
copy-failed = Copie impossible : sélectionner le texte et le copier à la main
notifications = Notifications
notifications-on = Une notification de bureau quand un assistant dépose un brouillon alors que la fenêtre est en arrière-plan.
notifications-off = Désactivées : les brouillons apparaissent toujours en direct dans la boîte de réception, sans notification de bureau.
mcp-tokens = Jetons MCP
token-used = utilisé { $ago }
token-never-used = jamais utilisé
token-revoked = révoqué
token-revoked-done = Jeton révoqué
revoke = Révoquer
token-name-placeholder = Nom du jeton, ex. Cursor
create-token = Créer un jeton
token-shown-once = Copiez ce jeton maintenant — il ne s'affiche qu'une seule fois :

## Rédaction et fournisseurs d'IA

drafting-title = Rédaction
auto-draft-on = Quand un client écrit, le poste rédige de lui-même une réponse que vous relisez.
auto-draft-off = Désactivé : appuyez sur Rédiger avec l'IA (d) dans un ticket pour obtenir un brouillon.
auto-providers-on = La rédaction automatique interroge d'abord les fournisseurs d'IA ci-dessous (ils peuvent être payants).
auto-providers-off = La rédaction automatique utilise le rédacteur hors ligne ; Rédiger avec l'IA interroge d'abord les fournisseurs ci-dessous.
auto-providers-turn-off = Hors ligne uniquement en rédaction automatique
auto-providers-turn-on = Utiliser les fournisseurs en rédaction automatique
provider-added = { $name } ajouté
providers-title = Fournisseurs d'IA
providers-help = Rédiger avec l'IA les interroge dans l'ordre ; si l'un échoue, le suivant répond, et le rédacteur hors ligne répond toujours en dernier. Les clés sont conservées dans le trousseau du système.
provider-key-in-keyring = clé dans le trousseau du système
provider-no-key = aucune clé
provider-up = Interroger plus tôt
provider-order-saved = Ordre enregistré
provider-answered = { $name } a répondu en { $ms } ms
provider-testing = Test en cours…
provider-test = Tester
provider-removed = Supprimé ; sa clé a été effacée
provider-remove = Supprimer
provider-last = dernier
provider-on-this-machine = sur cette machine
provider-no-key-needed = aucune clé requise
provider-name-placeholder = Nom, ex. claude
provider-kind-openai = Compatible OpenAI (OpenAI, Azure, OpenRouter, Ollama, llama.cpp, vLLM, LM Studio)
provider-url-placeholder = URL de base (vide : le point de terminaison public)
provider-model-placeholder = Modèle, ex. gpt-4o-mini
provider-key-placeholder = Clé API (aucune pour un serveur local)
provider-add = Ajouter un fournisseur

## Langue

language = Langue
language-field = La fenêtre s'affiche en
language-system = Celle du système ({ $name })
language-help = Les dates, les nombres et les montants suivent aussi la langue. Les brouillons destinés aux clients sont rédigés dans la langue du client, quel que soit ce réglage.

## Premier démarrage

welcome-title = Bienvenue dans Countersign
welcome-demo = Ce poste est une démonstration : ses clients, factures et tickets sont fictifs, et rien de ce qui s'y fait ne quitte cet ordinateur.
welcome-drafts = Les brouillons en attente dans la boîte de réception ont été rédigés par le rédacteur hors ligne du poste à partir des données de chaque client. Rien n'est envoyé à un client sans votre approbation : ouvrir un ticket, puis a pour approuver, e pour modifier, r pour rejeter.
welcome-assistant = Pour qu'un assistant IA (Claude Desktop, Cursor, VS Code) lise ce poste et propose des brouillons, lancer `countersign connect claude-desktop` et coller ce qu'il affiche dans les réglages de l'assistant ; Paramètres › Jetons MCP donne les autres façons.
welcome-ok = Commencer

## Refus, dits comme le dirait une personne (le code suit entre parenthèses)
problem-required = { $field ->
    [title] Donnez un titre à la réponse enregistrée.
    [body] Écrivez d'abord le texte de la réponse.
    [reason] Dites pourquoi, en quelques mots.
   *[note] Dites pourquoi vous refusez : la note va à la personne qui l'a soulevée.
}
problem-too-long = { $field ->
    [title] Le titre
    [body] La réponse
    [reason] Le motif
   *[note] La note
} compte { $chars } caractères ; { $max } au plus sont acceptés.
problem-already-decided = { $what ->
    [draft] { $by } a déjà décidé de ce brouillon : { $status }, { $at }.
   *[escalation] { $by } a déjà décidé de cette escalade : { $status }, { $at }.
}
problem-draft-stale = Les données ont changé après la rédaction de ce brouillon ({ $why }). Relisez-le avant de l'approuver.
problem-ticket-changed = Ce ticket a changé depuis que vous l'avez ouvert. Relisez-le, puis décidez.
problem-over-cap = { $action } de { $amount } : un agent peut approuver jusqu'à { $cap } ; un superviseur doit décider.
problem-no-cap = { $action } de { $amount } : un superviseur doit décider (ce poste ne fixe aucun montant que les agents peuvent approuver).
problem-supervisor-only = { $action } : seul un superviseur peut décider de cette escalade.
problem-approve-own = { $action } : vous avez créé cette escalade, un autre superviseur doit donc l’approuver. Tout mouvement d’argent est vu par deux personnes.
problem-role-cap = { $action } de { $amount } : votre rôle approuve jusqu’à { $cap } selon la politique de l’équipe.
problem-second-approver = { $action } de { $amount } : vous avez donné la première approbation ; au-delà du seuil à deux personnes de l’équipe, un autre superviseur donne la seconde.
escalation-first-approval = Approuvée par { $who } — en attente d’un second superviseur
problem-exceeds-invoice = { $amount } dépasse ce que permet la facture { $invoice } ({ $allowed }).
problem-closed-is-final = Un ticket fermé est définitif : son statut ne change plus.
problem-solve-before-closing = Résolvez le ticket avant de le fermer.
problem-status-move = Un ticket ne peut pas passer de { $from } à { $to }.
problem-same-priority = Le ticket a déjà la priorité { $priority }.
problem-ticket-closed = Ce ticket est fermé et n’accepte plus de réponse ; si le client écrit à nouveau, un nouveau ticket s’ouvre.
problem-unknown-agent = Cette personne ne fait pas partie des agents de votre équipe.
problem-snooze-in-the-past = Choisissez un moment encore à venir.
problem-not-snoozed = Ce ticket n'est pas mis en attente.
problem-already-assigned = Ce ticket est déjà attribué à { $name }.
problem-already-unassigned = Ce ticket n'est déjà attribué à personne.
problem-unfilled-variable = La réponse contient encore { $name } : écrivez ce qu'il faut à la place, puis envoyez.
problem-unknown-variable = { $name } n'est pas une variable qu'une réponse enregistrée peut utiliser.
problem-unknown-language = Choisissez l'anglais, l'espagnol, le français ou l'allemand.
problem-cannot-merge = { $why ->
    [same] Un ticket se fusionne avec un autre, pas avec lui-même.
    [customer] Seuls les tickets d'un même client peuvent être fusionnés.
    [merged] L'un de ces tickets a déjà été fusionné.
   *[closed] L'un de ces tickets est fermé, ce qui est définitif.
}
error-not-found = Ce n'est plus sur ce poste : { $detail }
error-invalid = Non accepté : { $detail }
error-forbidden = Non autorisé : { $detail }
error-unauthenticated = Reconnectez-vous : { $detail }
error-stale = Cela a changé entre-temps : { $detail }
error-conflict = Déjà fait : { $detail }
error-rate-limited = Trop de demandes à la fois ; attendez un instant et réessayez.
error-unavailable = Injoignable pour l'instant, réessayez : { $detail }
error-internal = Un problème est survenu : { $detail }
