-- Threading looks messages up by Message-ID; a customer's mail is taken once per Message-ID,
-- even when two deliveries of it race (crate::mail::inbound).
CREATE INDEX messages_rfc_id ON messages (tenant_id, rfc_message_id) WHERE rfc_message_id IS NOT NULL;
CREATE UNIQUE INDEX messages_customer_rfc_id ON messages (tenant_id, rfc_message_id)
    WHERE author_kind = 'customer' AND rfc_message_id IS NOT NULL;
