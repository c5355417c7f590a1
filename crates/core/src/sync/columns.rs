//! Where each entity of the platform's change feed lands on the desk: its table and the
//! columns the feed fills.

use countersign_model::sync::Entity;

/// The columns of an invoice's line item in the feed (`invoice_line_items` less `invoice_id`,
/// which is its invoice's id).
pub(super) const LINE_ITEM_COLUMNS: &[&str] = &[
    "id",
    "description",
    "quantity",
    "unit_amount",
    "amount",
    "period_start",
    "period_end",
];

/// The columns the feed fills, per entity (`id` first, `version` included); the table is the
/// model's [`Entity::table`].
pub(super) fn columns(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Agent => &["id", "name", "role", "version"],
        Entity::Customer => &[
            "id",
            "external_id",
            "name",
            "email",
            "phone",
            "company",
            "address_line1",
            "address_line2",
            "address_city",
            "address_state",
            "address_postal_code",
            "address_country",
            "timezone",
            "status",
            "metadata",
            "created_at",
            "updated_at",
            "version",
        ],
        Entity::Subscription => &[
            "id",
            "customer_id",
            "plan_name",
            "status",
            "currency",
            "price",
            "billing_period",
            "current_period_start",
            "current_period_end",
            "cancel_at_period_end",
            "started_at",
            "cancelled_at",
            "updated_at",
            "version",
        ],
        Entity::Invoice => &[
            "id",
            "invoice_number",
            "customer_id",
            "subscription_id",
            "invoice_status",
            "payment_status",
            "invoice_type",
            "billing_reason",
            "currency",
            "amount_due",
            "amount_paid",
            "amount_remaining",
            "refunded_amount",
            "subtotal",
            "total_tax",
            "total",
            "issue_date",
            "due_date",
            "paid_at",
            "voided_at",
            "period_start",
            "period_end",
            "updated_at",
            "version",
        ],
        Entity::Payment => &[
            "id",
            "customer_id",
            "invoice_id",
            "currency",
            "amount",
            "method",
            "payment_status",
            "error_message",
            "attempts",
            "refunded_amount",
            "created_at",
            "succeeded_at",
            "failed_at",
            "updated_at",
            "version",
        ],
        Entity::Wallet => &[
            "id",
            "customer_id",
            "currency",
            "balance",
            "status",
            "updated_at",
            "version",
        ],
        Entity::Ticket => &[
            "id",
            "customer_id",
            "subject",
            "status",
            "priority",
            "channel",
            "assignee",
            "language",
            "sla_due_at",
            "snoozed_until",
            "merged_into",
            "created_at",
            "updated_at",
            "version",
        ],
        Entity::Message => &[
            "id",
            "ticket_id",
            "author_kind",
            "author_name",
            "body",
            "visibility",
            "created_at",
            "version",
            "delivery",
            "delivery_detail",
            "delivered_at",
            "author_id",
        ],
        Entity::Attachment => &[
            "id",
            "message_id",
            "name",
            "content_type",
            "size",
            "version",
        ],
        Entity::KbArticle => &[
            "id",
            "title",
            "body",
            "language",
            "tags",
            "updated_at",
            "version",
        ],
        Entity::SavedReply => &[
            "id",
            "title",
            "language",
            "body",
            "active",
            "updated_at",
            "version",
        ],
        Entity::Escalation => &[
            "id",
            "ticket_id",
            "reason",
            "proposed_action",
            "invoice_id",
            "currency",
            "amount",
            "status",
            "raised_by",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "version",
            "decided_by_id",
            "execution",
            "execution_ref",
            "execution_error",
            "execution_at",
            "first_approved_by",
            "first_approved_by_id",
            "first_approved_at",
            "raised_by_id",
        ],
        Entity::Policy => &["id", "body", "version"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_column_the_feed_fills_is_in_the_desk() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::Store::open(&dir.path().join("desk.sqlite3"))
            .await
            .unwrap();
        for (table, cols) in Entity::ALL.map(|e| (e.table(), columns(e))) {
            let have: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
                .bind(table)
                .fetch_all(store.pool())
                .await
                .unwrap();
            for col in cols {
                assert!(have.iter().any(|h| h == col), "{table}.{col}");
            }
            assert_eq!(cols[0], "id", "{table}: the key comes first");
        }
        let items: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info('invoice_line_items')")
                .fetch_all(store.pool())
                .await
                .unwrap();
        for col in LINE_ITEM_COLUMNS {
            assert!(items.iter().any(|h| h == col), "invoice_line_items.{col}");
        }
    }
}
