//! English ticket threads and knowledge-base articles.

use super::{Article, Phrases, SavedReply, Thread};

pub(super) static PHRASES: Phrases = Phrases {
    threads: [
        Thread {
            subject: "Charged twice for invoice {number}",
            opening: "Hi,\n\nI just checked my bank statement and I was charged {amount} twice for invoice \
                {number} ({date}). Can you please refund the duplicate charge?\n\nThanks,\n{first}",
            follow_up: "Hello again, any news on the duplicate charge? It still shows as two separate \
                payments on my card.",
            reply: "Hi {first},\n\nThanks for flagging this. I checked invoice {number}: we captured one \
                payment of {amount}. The second line on your statement is a pending authorisation that \
                your bank should release within 5 to 7 business days. If it is still there after that, \
                reply here and we will refund it right away.\n\nBest,\n{agent}",
            note: "Only one succeeded payment on {number} in billing. Likely an authorisation hold; ask \
                for a statement screenshot if it persists.",
        },
        Thread {
            subject: "Payment failed for invoice {number}",
            opening: "Hello,\n\nI got an email saying the payment for invoice {number} ({amount}) failed. \
                The error says \"{error}\". My card should be fine. What do I need to do?\n\n{first}",
            follow_up: "I have updated my card in the billing portal. Can you retry the payment now?",
            reply: "Hi {first},\n\nThe bank declined the charge with \"{error}\". Once you have updated \
                your payment method under Settings > Billing, we retry automatically within 24 hours, \
                or you can pay {number} straight from the invoice link. Your account stays active in the \
                meantime.\n\nBest,\n{agent}",
            note: "{number} failed with {error}. Customer is on {plan}. Do not waive; retry after the card \
                update.",
        },
        Thread {
            subject: "Refund request for {number}",
            opening: "Hi there,\n\nWe were billed {amount} on {date} (invoice {number}) but we stopped \
                using the product last month. Could we get a refund for this period?\n\nKind regards,\n\
                {first}",
            follow_up: "Just following up on my refund request. Could you confirm whether it has been \
                approved?",
            reply: "Hi {first},\n\nI have passed your request to our billing team for approval. Refunds \
                for {number} go back to the original payment method and usually take 5 to 10 business \
                days to appear.\n\nBest,\n{agent}",
            note: "Refund of {amount} on {number} needs supervisor approval (above the agent cap).",
        },
        Thread {
            subject: "Copy of invoice {number}",
            opening: "Hi,\n\nOur accounting team needs a PDF copy of invoice {number} from {date}, with \
                our company address on it. Could you send it?\n\nThanks!\n{first}",
            follow_up: "Also, could you send us the invoices for the previous three months in the same \
                format?",
            reply: "Hi {first},\n\nYou will find the PDF of {number} attached. You can download every \
                invoice at any time under Settings > Billing > Invoices, and update the billing address \
                there so it appears on future invoices.\n\nBest,\n{agent}",
            note: "Sent the PDF of {number}. Customer asked about the address on invoices: pointed to \
                billing settings.",
        },
        Thread {
            subject: "Upgrading from {plan}",
            opening: "Hello,\n\nWe are growing and would like to move from {plan} to a bigger plan. How \
                is the price prorated if we switch in the middle of the month?\n\n{first}",
            follow_up: "And if we switch to annual billing, do we keep the discount?",
            reply: "Hi {first},\n\nWhen you upgrade, we charge the difference for the rest of the current \
                period straight away, and your next invoice is at the new price. Annual billing gives you \
                two months free. You can switch under Settings > Plan.\n\nBest,\n{agent}",
            note: "Upsell: on {plan}, asking about an upgrade and annual billing.",
        },
        Thread {
            subject: "Please cancel my subscription",
            opening: "Hi,\n\nPlease cancel our {plan} subscription at the end of the current period. We \
                do not want to be charged again.\n\nThanks,\n{first}",
            follow_up: "Can you confirm the cancellation? I do not see it in my account yet.",
            reply: "Hi {first},\n\nDone: your {plan} subscription is set to cancel at the end of the \
                current period. You keep access until then and will not be charged again. Your invoices \
                stay available for download.\n\nBest,\n{agent}",
            note: "Set cancel at period end. Reason given: budget. A retention offer is possible.",
        },
        Thread {
            subject: "Overdue reminder for {number}",
            opening: "Hello,\n\nWe received an overdue reminder for invoice {number} ({amount}), due \
                {due}. We thought it was paid by bank transfer. Can you check?\n\n{first}",
            follow_up: "Our bank confirms the transfer left our account. The reference was {number}.",
            reply: "Hi {first},\n\nWe have not matched a payment to {number} yet; transfers sometimes \
                arrive without the invoice number in the reference. Could you send us the remittance \
                advice? Once we match it the reminders stop, and no late fee applies while we \
                check.\n\nBest,\n{agent}",
            note: "{number} still open, {amount} remaining. Check unmatched bank transfers before \
                escalating.",
        },
        Thread {
            subject: "VAT number missing on invoice {number}",
            opening: "Hi,\n\nInvoice {number} does not show our VAT number, and the tax on it looks wrong \
                for a business customer. Can you add our VAT ID and reissue it?\n\nThanks,\n{first}",
            follow_up: "Our VAT ID is in the company profile now, we added it yesterday.",
            reply: "Hi {first},\n\nOnce the VAT ID is saved in your billing profile it appears on all \
                future invoices. We cannot edit a finalized invoice, but we can issue a credit note for \
                {number} and a corrected invoice. I have asked our billing team to do that.\n\nBest,\n\
                {agent}",
            note: "VAT ID added after {number} was finalized. Needs a credit note and a reissue \
                (supervisor).",
        },
    ],
    thanks: &[
        "Thanks, that solved it!",
        "Perfect, thank you for the quick help.",
        "Got it, thanks a lot.",
    ],
    articles: &[
        Article {
            title: "Why do I see two charges for one invoice?",
            body: "When a payment is made by card, your bank first places an authorisation hold and \
                then captures the payment. For a few days both can appear on your statement, which \
                looks like a double charge.\n\nThe hold disappears on its own, usually within 5 to 7 \
                business days. Your invoice shows the payments we actually captured: if it lists only \
                one successful payment, you were charged once.\n\nIf two payments succeeded for the same \
                invoice, contact support with the invoice number. We refund the duplicate to the \
                original payment method.",
            tags: r#"["billing","payments","double-charge","refund"]"#,
        },
        Article {
            title: "What to do when a card payment fails",
            body: "A payment fails when the bank declines it. The reason is shown on the invoice: \
                insufficient funds, an expired card, do_not_honor (the bank gave no reason) or a \
                3-D Secure check that was not completed.\n\nUpdate your payment method under Settings \
                > Billing. We retry failed payments automatically, up to four times over the following \
                days, and immediately after you update your card. You can also pay the invoice from the \
                link in the email.\n\nYour account stays active while we retry. If the last retry fails \
                the subscription becomes past due and we contact you before anything is suspended.",
            tags: r#"["billing","payments","card-declined","failed-payment"]"#,
        },
        Article {
            title: "Refund policy",
            body: "Monthly subscriptions are not refunded for the current period after it has started, \
                but you can cancel at any time to stop the next charge. Annual plans can be refunded pro \
                rata within 30 days of the renewal.\n\nDuplicate charges and billing errors are always \
                refunded in full. Refunds go back to the original payment method and take 5 to 10 \
                business days to appear.\n\nRefunds above the support team's limit are approved by a \
                supervisor; we let you know as soon as that is done.",
            tags: r#"["billing","refund","policy"]"#,
        },
        Article {
            title: "Downloading invoices and changing the billing address",
            body: "Every invoice is available as a PDF under Settings > Billing > Invoices, for as long \
                as your account exists, even after cancellation.\n\nThe company name, billing address \
                and VAT ID printed on invoices come from your billing profile. Changes apply to future \
                invoices; a finalized invoice cannot be edited, but support can issue a credit note and \
                a corrected invoice.",
            tags: r#"["billing","invoices","pdf","address"]"#,
        },
        Article {
            title: "Changing your plan",
            body: "You can upgrade or downgrade under Settings > Plan. An upgrade takes effect \
                immediately: we charge the prorated difference for the rest of the current period.\n\n\
                A downgrade takes effect at the next renewal, so you keep the features you paid for \
                until then. Switching from monthly to annual billing gives you two months free.",
            tags: r#"["billing","plans","upgrade","proration"]"#,
        },
        Article {
            title: "Cancelling your subscription",
            body: "Cancel under Settings > Plan > Cancel subscription. The subscription stays active \
                until the end of the period you paid for, and you are not charged again.\n\nYou can \
                reactivate at any time before the end of the period. Your data is kept for 90 days \
                after the subscription ends, and your invoices stay available.",
            tags: r#"["billing","cancellation","subscription"]"#,
        },
        Article {
            title: "Overdue invoices and payment reminders",
            body: "An invoice is overdue when it is not fully paid by its due date. We send a reminder \
                on the due date and again after 7 and 14 days.\n\nIf you paid by bank transfer, please \
                quote the invoice number as the payment reference; without it, matching the payment can \
                take a few days. Send us the remittance advice and we match it by hand.\n\nNo late fees \
                are charged while a payment is being investigated.",
            tags: r#"["billing","overdue","bank-transfer","reminders"]"#,
        },
        Article {
            title: "VAT and sales tax on your invoices",
            body: "We charge VAT at the rate of your country, and sales tax where it applies. The tax is \
                shown as a separate amount on every invoice.\n\nBusiness customers in the EU should add \
                their VAT ID to the billing profile before the invoice is finalized. A finalized invoice \
                cannot be changed; support can replace it with a credit note and a corrected invoice.",
            tags: r#"["billing","vat","tax","invoices"]"#,
        },
    ],
    saved_replies: &[
        SavedReply {
            title: "Invoice copy attached",
            body: "Hi {{customer.first_name}},\n\nHere is a copy of invoice {{invoice.number}} ({{invoice.total}}). You can also download every invoice from the Billing page of your account.\n\nBest regards,\n{{agent.name}}",
        },
        SavedReply {
            title: "Payment failed: update your card",
            body: "Hi {{customer.first_name}},\n\nThe payment for invoice {{invoice.number}} did not go through, and {{invoice.amount_due}} is still due by {{invoice.due_date}}. Please update your card on the Billing page; we retry the payment automatically once it is updated.\n\nBest regards,\n{{agent.name}}",
        },
        SavedReply {
            title: "Refund on its way",
            body: "Hi {{customer.first_name}},\n\nWe have refunded the duplicate payment for invoice {{invoice.number}}. Depending on your bank it takes 5 to 10 business days to appear on your statement.\n\nBest regards,\n{{agent.name}}",
        },
        SavedReply {
            title: "Which invoice?",
            body: "Hi {{customer.first_name}},\n\nThanks for reaching out. Could you tell us the invoice number (it starts with INV-) or the date and amount of the charge? Then we can look into it right away.\n\nBest regards,\n{{agent.name}}",
        },
    ],
};
