# Countersign desktop UI — English (the reference catalogue).
# Every key exists in es.ftl, fr.ftl and de.ftl with the same variables (a test checks).

## The window

nav-inbox = Inbox
nav-escalations = Escalations
nav-activity = Activity
nav-settings = Settings
nav-shortcuts = Shortcuts
toast-close = Click to close
shortcuts-title = Keyboard shortcuts
key-next-previous = next / previous ticket
key-open = open the selected ticket
key-approve = approve the draft and send
key-edit = edit the draft, then approve
key-reject = reject the draft (with a reason)
key-escalate = escalate the ticket
key-draft-with-ai = draft a reply with AI (ticket without a draft)
key-search = search the inbox
key-escape = close the ticket or this help
key-help = show or hide these shortcuts
shortcut-draft-exists = This ticket already has a draft waiting
shortcut-no-ticket-for-d = Open a ticket without a draft to draft a reply with d
shortcut-no-draft = No draft on screen: open a ticket with a draft to use a, e or r (x escalates any open ticket)

## Countdowns, badges, sync

sla-days = { $days } d
sla-hours = { $hours } h { $minutes } min
sla-minutes = { $minutes } min
sla-overdue = overdue { $span }
badge-stale = stale draft
badge-present = { $names } on it
badge-drafts-waiting = { $count ->
    [one] { $count } draft waiting
   *[other] { $count } drafts waiting
}
badge-escalated = escalated
sync-local-only = local only
sync-local-only-title = This profile is not connected to a platform: decisions stay on this desk.
sync-platform = Platform { $platform }
sync-platform-error = Platform { $platform } — last error: { $error }
sync-not-signed-in = not signed in
sync-online-synced = online · synced { $ago }
sync-online = online
sync-offline-last = offline · last sync { $ago }
sync-offline-never = offline · never synced
sync-not-yet = not synced yet
sync-first-loading = { $state } · first sync loading
sync-first-loading-title = { $title } — the first sync is still loading: searches find nothing from the platform until it catches up

## States of records

ticket-status-open = Open
ticket-status-pending = Pending
ticket-status-solved = Solved
ticket-status-closed = Closed
priority-low = Low
priority-normal = Normal
priority-high = High
priority-urgent = Urgent
channel-email = Email
channel-chat = Chat
channel-web = Web form
channel-phone = Phone
invoice-status-draft = Draft
invoice-status-finalized = Finalized
invoice-status-voided = Voided
invoice-status-skipped = Skipped
payment-status-pending = Payment pending
payment-status-processing = Processing
payment-status-succeeded = Paid
payment-status-failed = Payment failed
payment-status-refunded = Refunded
payment-status-partially-refunded = Partially refunded
payment-status-overpaid = Overpaid
payment-status-voided = Payment voided
subscription-status-active = Active
subscription-status-trialing = Trial
subscription-status-past-due = Past due
subscription-status-paused = Paused
subscription-status-cancelled = Cancelled
billing-period-monthly = month
billing-period-annual = year
payment-method-card = Card
payment-method-sepa-debit = SEPA debit
payment-method-bank-transfer = Bank transfer
payment-method-wallet = Wallet
action-refund = Refund
action-credit-note = Credit note
action-void-invoice = Void invoice
action-waive-fee = Waive fee
action-other = Other
escalation-status-pending = Pending
escalation-status-approved = Approved
escalation-status-denied = Denied
draft-status-pending-review = waiting for review
draft-status-stale = stale — re-review needed
draft-status-approved = approved
draft-status-rejected = rejected
role-agent = Agent
role-supervisor = Supervisor
token-scope-read = read only
token-scope-draft = read + propose
cited-customer = customer
cited-invoice = invoice
cited-payment = payment
cited-message = message
cited-article = article
claim-amount = amount
claim-invoice-number = invoice number
claim-date = date
intent-duplicate-charge = a duplicate charge
intent-failed-payment = a failed payment
intent-overdue = an overdue invoice
intent-refund = a refund request
intent-vat = a VAT question
intent-invoice-copy = an invoice copy
intent-cancel = a cancellation
intent-plan-change = a plan change
intent-other = something else

## Status bar

close = Close
status-mcp-on = MCP on :{ $port }
status-mcp-off = MCP off: { $error }
status-mcp-disabled = MCP disabled
status-no-client = no MCP client connected
status-clients = { $count ->
    [one] { $count } MCP client: { $names }
   *[other] { $count } MCP clients: { $names }
}
status-profile = profile { $profile }
status-outbox-title = Decisions queued for the platform, not yet delivered
status-outbox = outbox { $count }
status-notices-title = The platform refused or changed something you did
status-notices = { $count ->
    [one] { $count } sync notice
   *[other] { $count } sync notices
}
notices-none = No sync notices.
notices-title = Sync notices

## Inbox

inbox-search-placeholder = Search tickets  /
inbox-mine = Mine
inbox-unassigned = Unassigned
inbox-all = All
inbox-needs-review = Needs review
inbox-snoozed = Snoozed
inbox-breaks-next = Breaks next
inbox-breaks-next-hint = Open tickets with an SLA running, the one that breaks next first (overdue at the top)
snooze = Snooze…
snooze-later = Later today (3 h)
snooze-tomorrow = Tomorrow morning
snooze-monday = Next Monday
snoozed-until = Snoozed until { $until }
wake = Wake
woken = Back in the inbox
inbox-any-status = Any status
inbox-loading = Loading the inbox…
inbox-newer = ← Newer
inbox-older = Older →
inbox-empty = No tickets match. Try another filter.
sla-title = Time left to the SLA target

## Ticket

ticket-opening = Opening the ticket…
ticket-close = Close (Esc)
ticket-sla = SLA { $left }
ticket-escalate = Escalate…
ticket-internal-note = internal note
move-open = Open
move-reopen = Reopen
move-pending = Waiting on customer
move-solved = Solve
move-closed = Close
closed-final = Closed: a customer writing again opens a new ticket.
priority-field = Priority
status-set = Status: { $status }
priority-set = Priority: { $priority }
assignee-field = Assignee
assignee-nobody = Nobody
assignee-me = { $name } (me)
assign-to-me = Take it
assigned-to = Assigned to { $name }
assigned-to-nobody = Unassigned

## The draft

drafted-by = Drafted by { $author }
drafted-flagged = { $count ->
    [one] { $count } figure matches no record, check it
   *[other] { $count } figures match no record, check them
}
draft-failed = Could not draft: { $error }
no-draft = No draft waiting.
drafting = Drafting…
draft-with-ai = Draft with AI
no-draft-help = The desk's drafter writes from this customer's records; assistants connected over MCP can file drafts too.
model-not-given = model not given
generation-ms = { $ms } ms
generation-tokens = { $input } + { $output } tokens
generation-intent = read as { $intent }
confidence = confidence
fell-back = Fell back: { $why }
grounding-ok = { $count ->
    [one] The one figure stated matches the records.
   *[other] All { $count } figures stated match the records.
}
grounding-flags = Not backed by any record — check before sending:
approved-queued = Approved — the reply is queued to send
draft-rejected = Draft rejected
rereviewed = Re-reviewed: the draft is bound to the current records
ai-draft = AI draft
stale = Stale:
suggested-escalation = Approving also raises a { $action } of { $amount } for a supervisor to decide.
approve-edited = Approve edited & send
cancel = Cancel
reject-reason = Why? (kept with the decision)
reject = Reject
stale-approve-title = A stale draft must be re-reviewed first
approve = Approve & send
rereview = Re-review against current records
edit = Edit
no-citations = No citations.
cites = Cites
earlier-drafts = Earlier drafts
decided-by = by { $who }
edited = edited
diff-title = Changes to the AI draft before sending
diff-removed = in the AI draft, not sent
diff-added = added by the reviewer

## Writing on a ticket

reply-queued = Reply queued to send
note-added = Internal note added
compose-reply = Reply to customer
compose-note = Internal note
compose-reply-placeholder = Write a reply — it is queued to send to the customer
compose-note-placeholder = Internal note — the customer never sees it
compose-send-reply = Send reply
presence-viewing = { $name } is viewing this ticket
presence-replying = { $name } is replying to this ticket
attachment-save = Save
attachment-save-hint = Save this file from the platform into your downloads folder (it is not opened)
attachment-saved = Saved to { $path }
merge-into = Merge into…
merge-hint = Merge this ticket into another of this customer's: its thread moves there and it is closed
merge-confirm = Merge into “{ $subject }”
merged = Merged into “{ $subject }”
merged-into = This ticket was merged into another of the customer's tickets; its thread is there.
merged-open = Open it
saved-replies = Saved replies
saved-hint = Insert a saved reply: type # and a word in the reply, or press here
saved-search = Search saved replies
saved-none = No saved reply matches.
saved-mine = mine
saved-delete = Delete this saved reply of yours
saved-title = Title
saved-keep = Keep this text as my saved reply
saved-kept = Saved reply kept.
saved-deleted = Saved reply deleted.
saved-inserted = Saved reply inserted: read it, then send.
saved-missing = Inserted. The records hold no value for { $names }: write it in before sending.
compose-add-note = Add note
escalation-raised = Escalation raised
escalate = Escalate
esc-invoice-placeholder = Invoice number or id
esc-amount-placeholder = Amount, e.g. 19.99
esc-reason-placeholder = Reason
esc-raise = Raise escalation

## The customer and their records

synced-ago = synced { $ago }
not-synced = local only (not synced yet)
local-record = on this desk only (no platform)
customer-loading = Loading the customer…
customer = Customer
plan = Plan
wallet = Wallet { $balance }
unpaid = Unpaid { $amount } ({ $count })
overdue-total = overdue { $amount } ({ $count })
invoices = Invoices
due = due { $date }
overdue = overdue
payments = Payments
invoice-title = Invoice { $number }
invoice-open = Open this invoice
invoice-total = total { $amount }
invoice-remaining = remaining { $amount }
record-version = version { $version }
cited-elsewhere = { $kind } { $id } (version { $version }) — shown in the thread and the customer panel
cited-changed = changed since the draft: version { $from } → { $to }
loading = Loading…

## Escalations

escalations-loading = Loading escalations…
nothing-here = Nothing here.
escalation-approved = Escalation approved
escalation-denied = Escalation denied
invoice-ref = invoice { $number }
raised-by = raised by { $who } · { $ago }
decided-by-person = decided by { $who }
esc-note-placeholder = Note (required to deny)
esc-approve = Approve
esc-deny = Deny
execution-unconnected = Not executed — no billing connector
execution-queued = Being carried out in billing…
execution-retrying = Trying again in billing: { $reason }
execution-executed = Executed in billing ({ $reference })
execution-failed = Failed in billing: { $reason }
esc-retry = Retry in billing
execution-retry-queued = Retry queued
delivery-unconnected = Not delivered — no email channel
delivery-queued = Sending to the customer…
delivery-retrying = Sending again: { $reason }
delivery-sent = Delivered to the customer's mail server
delivery-sent-unconfirmed = Handed to the mail server, not confirmed: { $reason }
delivery-failed = Not delivered: { $reason }
esc-also-pending = { $count ->
    [one] Another escalation is pending on this invoice: check it is not the same refund twice.
   *[other] { $count } other escalations are pending on this invoice: check it is not the same refund twice.
}

## Activity

activity-filter = Filter by action, actor or subject
activity-loading = Reading the audit log…
chain-ok = { $count ->
    [one] Audit chain verified — { $count } entry intact
   *[other] Audit chain verified — { $count } entries intact
}
chain-broken = Audit chain broken at { $at }
audit-when = When
audit-who = Who
audit-action = Action
audit-subject = Subject
audit-outcome = Outcome

## Settings

settings-loading = Loading settings…
setting-saved = Saved
profile = Profile
name = Name
role = Role
refund-cap = Agent refund cap
refund-cap-none = none: supervisors decide
platform-owned = Set by the platform you are signed in to; they change there, not on this desk.
save-name = Save name
refund-cap-field = Agent refund cap (0 = supervisors only)
save-cap = Save cap
mcp-endpoint = MCP endpoint
listening-on = Listening on
off = Off
port = Port
save-port = Save port
turn-off = Turn off
turn-on = Turn on
mcp-stdio-help = Assistants that launch Countersign themselves (stdio) need no endpoint: `countersign connect claude-desktop`.
mcp-test = Test the connection
mcp-test-ok = The endpoint answers, in { $ms } ms, and asks for a token as it should.
connect-title = Connect an assistant
connect-help = The simplest way: the assistant starts Countersign itself on this desk (stdio) — no token, no server. Paste this into its configuration file and restart it.
mcp-tokens-help = For clients that call a URL (Cursor, VS Code) over the endpoint above: create a token, then paste its configuration.
copy = Copy
copied = Copied
copy-failed = Could not copy: select the text and copy it by hand
notifications = Notifications
notifications-on = A desktop notification when an assistant files a draft while the window is in the background.
notifications-off = Off: drafts still appear in the inbox live, without a desktop notification.
mcp-tokens = MCP tokens
token-used = used { $ago }
token-never-used = never used
token-revoked = revoked
token-revoked-done = Token revoked
revoke = Revoke
token-name-placeholder = Token name, e.g. Cursor
create-token = Create token
token-shown-once = Copy this token now — it is shown only once:

## Drafting and AI providers

drafting-title = Drafting
auto-draft-on = When a customer writes, the desk drafts a reply by itself for you to review.
auto-draft-off = Off: press Draft with AI (d) on a ticket to get a draft.
auto-providers-on = Drafting by itself asks the AI providers below first (they may cost money).
auto-providers-off = Drafting by itself uses the offline drafter; Draft with AI asks the providers below first.
auto-providers-turn-off = Offline only when drafting by itself
auto-providers-turn-on = Use providers when drafting by itself
provider-added = Added { $name }
providers-title = AI providers
providers-help = Draft with AI asks these in order; when one fails, the next answers, and the offline drafter always answers last. Keys are kept in the OS keyring.
provider-key-in-keyring = key in keyring
provider-no-key = no key
provider-up = Ask this one earlier
provider-order-saved = Order saved
provider-answered = { $name } answered in { $ms } ms
provider-testing = Testing…
provider-test = Test
provider-removed = Removed; its key is forgotten
provider-remove = Remove
provider-last = last
provider-on-this-machine = on this machine
provider-no-key-needed = no key needed
provider-name-placeholder = Name, e.g. claude
provider-kind-openai = OpenAI-compatible (OpenAI, Azure, OpenRouter, Ollama, llama.cpp, vLLM, LM Studio)
provider-url-placeholder = Base URL (empty: the public endpoint)
provider-model-placeholder = Model, e.g. gpt-4o-mini
provider-key-placeholder = API key (none for a local server)
provider-add = Add provider

## Language

language = Language
language-field = The window reads in
language-system = The system's ({ $name })
language-help = Dates, numbers and amounts follow the language too. Drafts to customers are written in the customer's language, whatever this says.

## First start

welcome-title = Welcome to Countersign
welcome-demo = This is a demo desk: its customers, invoices and tickets are made up, and nothing you do here leaves this computer.
welcome-drafts = The drafts waiting in the inbox were written by the desk's offline drafter from each customer's records. Nothing reaches a customer until you approve it: open a ticket, then a to approve, e to edit, r to reject.
welcome-assistant = To let an AI assistant (Claude Desktop, Cursor, VS Code) read this desk and propose drafts, run `countersign connect claude-desktop` and paste what it prints into the assistant's settings; Settings › MCP tokens has the other ways.
welcome-ok = Start working

## Refusals, said as a person would (the code follows in brackets)
problem-required = { $field ->
    [title] Give the saved reply a title.
    [body] Write the reply's text first.
    [reason] Say why, in a few words.
   *[note] Say why you deny it: the note goes to the person who raised it.
}
problem-too-long = { $field ->
    [title] The title
    [body] The reply
    [reason] The reason
   *[note] The note
} has { $chars } characters; at most { $max } fit.
problem-already-decided = { $what ->
    [draft] { $by } already decided this draft: { $status }, { $at }.
   *[escalation] { $by } already decided this escalation: { $status }, { $at }.
}
problem-draft-stale = The records changed after this draft was written ({ $why }). Re-review it before approving.
problem-ticket-changed = This ticket changed after you opened it. Read it again, then decide.
problem-over-cap = { $action } of { $amount }: an agent may approve up to { $cap }; a supervisor must decide.
problem-no-cap = { $action } of { $amount }: a supervisor must decide (this desk sets no amount agents may approve).
problem-supervisor-only = { $action }: only a supervisor may decide this escalation.
problem-approve-own = { $action }: you raised this escalation, so another supervisor approves it. Two people see every money movement.
problem-role-cap = { $action } of { $amount }: your role approves up to { $cap } under the team's policy.
problem-second-approver = { $action } of { $amount }: you gave the first approval; above the team's two-person threshold another supervisor gives the second.
escalation-first-approval = Approved by { $who } — waiting for a second supervisor
problem-exceeds-invoice = { $amount } is more than invoice { $invoice } allows ({ $allowed }).
problem-closed-is-final = A closed ticket is final: it cannot change status.
problem-solve-before-closing = Solve the ticket before closing it.
problem-status-move = A ticket cannot go from { $from } to { $to }.
problem-same-priority = The ticket already has priority { $priority }.
problem-ticket-closed = This ticket is closed and takes no reply; when the customer writes again, a new ticket opens.
problem-unknown-agent = That person is not one of your team's agents.
problem-snooze-in-the-past = Choose a time still to come.
problem-not-snoozed = This ticket is not snoozed.
problem-already-assigned = This ticket is already assigned to { $name }.
problem-already-unassigned = This ticket is already unassigned.
problem-unfilled-variable = The reply still holds { $name }: write in what it stands for, then send.
problem-unknown-variable = { $name } is not a variable a saved reply can use.
problem-unknown-language = Choose English, Spanish, French or German.
problem-cannot-merge = { $why ->
    [same] A ticket merges into another ticket, not into itself.
    [customer] Only tickets of the same customer can be merged.
    [merged] One of these tickets was merged already.
   *[closed] One of these tickets is closed, which is final.
}
error-not-found = It is no longer on this desk: { $detail }
error-invalid = Not accepted: { $detail }
error-forbidden = Not allowed: { $detail }
error-unauthenticated = Sign in again: { $detail }
error-stale = It changed meanwhile: { $detail }
error-conflict = Already done: { $detail }
error-rate-limited = Too many requests at once; wait a moment and try again.
error-unavailable = Not reachable right now, try again: { $detail }
error-internal = Something went wrong: { $detail }
