//! The billing upserts: every record of a JSON array (`$2`) into the tenant's (`$1`) table; an
//! existing record is rewritten, and its `version` moves, only when a field differs. Each returns
//! the ids it inserted or changed. A record older than the one held (`updated_at`) is ignored:
//! webhooks and catch-up pages arrive in any order, and the newest one wins.

pub const UPSERT_CUSTOMERS: &str = "
INSERT INTO customers AS c (tenant_id, id, external_id, name, email, phone, company, address_line1,
    address_line2, address_city, address_state, address_postal_code, address_country, timezone, status,
    metadata, created_at, updated_at)
SELECT $1, r.* FROM jsonb_to_recordset($2) AS r (id text, external_id text, name text, email text,
    phone text, company text, address_line1 text, address_line2 text, address_city text,
    address_state text, address_postal_code text, address_country text, timezone text, status text,
    metadata jsonb, created_at timestamptz, updated_at timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET external_id = EXCLUDED.external_id, name = EXCLUDED.name,
    email = EXCLUDED.email, phone = EXCLUDED.phone, company = EXCLUDED.company,
    address_line1 = EXCLUDED.address_line1, address_line2 = EXCLUDED.address_line2,
    address_city = EXCLUDED.address_city, address_state = EXCLUDED.address_state,
    address_postal_code = EXCLUDED.address_postal_code, address_country = EXCLUDED.address_country,
    timezone = EXCLUDED.timezone, status = EXCLUDED.status, metadata = EXCLUDED.metadata,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, version = c.version + 1
WHERE (c.external_id, c.name, c.email, c.phone, c.company, c.address_line1, c.address_line2,
       c.address_city, c.address_state, c.address_postal_code, c.address_country, c.timezone,
       c.status, c.metadata, c.created_at, c.updated_at)
  IS DISTINCT FROM
      (EXCLUDED.external_id, EXCLUDED.name, EXCLUDED.email, EXCLUDED.phone, EXCLUDED.company,
       EXCLUDED.address_line1, EXCLUDED.address_line2, EXCLUDED.address_city, EXCLUDED.address_state,
       EXCLUDED.address_postal_code, EXCLUDED.address_country, EXCLUDED.timezone, EXCLUDED.status,
       EXCLUDED.metadata, EXCLUDED.created_at, EXCLUDED.updated_at)
  -- A record older than the one held (deliveries come in any order) changes nothing.
  AND EXCLUDED.updated_at >= c.updated_at
RETURNING id";

pub const UPSERT_INVOICES: &str = "
INSERT INTO invoices AS i (tenant_id, id, invoice_number, customer_id, subscription_id, invoice_status,
    payment_status, invoice_type, billing_reason, currency, amount_due, amount_paid, amount_remaining,
    refunded_amount, subtotal, total_tax, total, issue_date, due_date, paid_at, voided_at, period_start,
    period_end, line_items, updated_at)
SELECT $1, r.* FROM jsonb_to_recordset($2) AS r (id text, invoice_number text, customer_id text,
    subscription_id text, invoice_status text, payment_status text, invoice_type text,
    billing_reason text, currency text, amount_due bigint, amount_paid bigint, amount_remaining bigint,
    refunded_amount bigint, subtotal bigint, total_tax bigint, total bigint, issue_date date,
    due_date date, paid_at timestamptz, voided_at timestamptz, period_start date, period_end date,
    line_items jsonb, updated_at timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET invoice_number = EXCLUDED.invoice_number,
    customer_id = EXCLUDED.customer_id, subscription_id = EXCLUDED.subscription_id,
    invoice_status = EXCLUDED.invoice_status, payment_status = EXCLUDED.payment_status,
    invoice_type = EXCLUDED.invoice_type, billing_reason = EXCLUDED.billing_reason,
    currency = EXCLUDED.currency, amount_due = EXCLUDED.amount_due, amount_paid = EXCLUDED.amount_paid,
    amount_remaining = EXCLUDED.amount_remaining, refunded_amount = EXCLUDED.refunded_amount,
    subtotal = EXCLUDED.subtotal, total_tax = EXCLUDED.total_tax, total = EXCLUDED.total,
    issue_date = EXCLUDED.issue_date, due_date = EXCLUDED.due_date, paid_at = EXCLUDED.paid_at,
    voided_at = EXCLUDED.voided_at, period_start = EXCLUDED.period_start,
    period_end = EXCLUDED.period_end, line_items = EXCLUDED.line_items,
    updated_at = EXCLUDED.updated_at, version = i.version + 1
WHERE (i.invoice_number, i.customer_id, i.subscription_id, i.invoice_status, i.payment_status,
       i.invoice_type, i.billing_reason, i.currency, i.amount_due, i.amount_paid, i.amount_remaining,
       i.refunded_amount, i.subtotal, i.total_tax, i.total, i.issue_date, i.due_date, i.paid_at,
       i.voided_at, i.period_start, i.period_end, i.line_items, i.updated_at)
  IS DISTINCT FROM
      (EXCLUDED.invoice_number, EXCLUDED.customer_id, EXCLUDED.subscription_id,
       EXCLUDED.invoice_status, EXCLUDED.payment_status, EXCLUDED.invoice_type,
       EXCLUDED.billing_reason, EXCLUDED.currency, EXCLUDED.amount_due, EXCLUDED.amount_paid,
       EXCLUDED.amount_remaining, EXCLUDED.refunded_amount, EXCLUDED.subtotal, EXCLUDED.total_tax,
       EXCLUDED.total, EXCLUDED.issue_date, EXCLUDED.due_date, EXCLUDED.paid_at, EXCLUDED.voided_at,
       EXCLUDED.period_start, EXCLUDED.period_end, EXCLUDED.line_items, EXCLUDED.updated_at)
  -- A record older than the one held (deliveries come in any order) changes nothing.
  AND EXCLUDED.updated_at >= i.updated_at
RETURNING id";

pub const UPSERT_PAYMENTS: &str = "
INSERT INTO payments AS p (tenant_id, id, customer_id, invoice_id, currency, amount, method,
    payment_status, error_message, attempts, refunded_amount, created_at, succeeded_at, failed_at,
    updated_at)
SELECT $1, r.* FROM jsonb_to_recordset($2) AS r (id text, customer_id text, invoice_id text,
    currency text, amount bigint, method text, payment_status text, error_message text, attempts int,
    refunded_amount bigint, created_at timestamptz, succeeded_at timestamptz, failed_at timestamptz,
    updated_at timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
    invoice_id = EXCLUDED.invoice_id, currency = EXCLUDED.currency, amount = EXCLUDED.amount,
    method = EXCLUDED.method, payment_status = EXCLUDED.payment_status,
    error_message = EXCLUDED.error_message, attempts = EXCLUDED.attempts,
    refunded_amount = EXCLUDED.refunded_amount, created_at = EXCLUDED.created_at,
    succeeded_at = EXCLUDED.succeeded_at, failed_at = EXCLUDED.failed_at,
    updated_at = EXCLUDED.updated_at, version = p.version + 1
WHERE (p.customer_id, p.invoice_id, p.currency, p.amount, p.method, p.payment_status, p.error_message,
       p.attempts, p.refunded_amount, p.created_at, p.succeeded_at, p.failed_at, p.updated_at)
  IS DISTINCT FROM
      (EXCLUDED.customer_id, EXCLUDED.invoice_id, EXCLUDED.currency, EXCLUDED.amount, EXCLUDED.method,
       EXCLUDED.payment_status, EXCLUDED.error_message, EXCLUDED.attempts, EXCLUDED.refunded_amount,
       EXCLUDED.created_at, EXCLUDED.succeeded_at, EXCLUDED.failed_at, EXCLUDED.updated_at)
  -- A record older than the one held (deliveries come in any order) changes nothing.
  AND EXCLUDED.updated_at >= p.updated_at
RETURNING id";

pub const UPSERT_SUBSCRIPTIONS: &str = "
INSERT INTO subscriptions AS s (tenant_id, id, customer_id, plan_name, status, currency, price,
    billing_period, current_period_start, current_period_end, cancel_at_period_end, started_at,
    cancelled_at, updated_at)
SELECT $1, r.* FROM jsonb_to_recordset($2) AS r (id text, customer_id text, plan_name text,
    status text, currency text, price bigint, billing_period text, current_period_start date,
    current_period_end date, cancel_at_period_end boolean, started_at timestamptz,
    cancelled_at timestamptz, updated_at timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
    plan_name = EXCLUDED.plan_name, status = EXCLUDED.status, currency = EXCLUDED.currency,
    price = EXCLUDED.price, billing_period = EXCLUDED.billing_period,
    current_period_start = EXCLUDED.current_period_start,
    current_period_end = EXCLUDED.current_period_end,
    cancel_at_period_end = EXCLUDED.cancel_at_period_end, started_at = EXCLUDED.started_at,
    cancelled_at = EXCLUDED.cancelled_at, updated_at = EXCLUDED.updated_at,
    version = s.version + 1
WHERE (s.customer_id, s.plan_name, s.status, s.currency, s.price, s.billing_period,
       s.current_period_start, s.current_period_end, s.cancel_at_period_end, s.started_at,
       s.cancelled_at, s.updated_at)
  IS DISTINCT FROM
      (EXCLUDED.customer_id, EXCLUDED.plan_name, EXCLUDED.status, EXCLUDED.currency,
       EXCLUDED.price, EXCLUDED.billing_period, EXCLUDED.current_period_start,
       EXCLUDED.current_period_end, EXCLUDED.cancel_at_period_end, EXCLUDED.started_at,
       EXCLUDED.cancelled_at, EXCLUDED.updated_at)
  -- A record older than the one held (deliveries come in any order) changes nothing.
  AND EXCLUDED.updated_at >= s.updated_at
RETURNING id";

pub const UPSERT_WALLETS: &str = "
INSERT INTO wallets AS w (tenant_id, id, customer_id, currency, balance, status, updated_at)
SELECT $1, r.* FROM jsonb_to_recordset($2) AS r (id text, customer_id text, currency text,
    balance bigint, status text, updated_at timestamptz)
ON CONFLICT (tenant_id, id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
    currency = EXCLUDED.currency, balance = EXCLUDED.balance, status = EXCLUDED.status,
    updated_at = EXCLUDED.updated_at, version = w.version + 1
WHERE (w.customer_id, w.currency, w.balance, w.status, w.updated_at)
  IS DISTINCT FROM
      (EXCLUDED.customer_id, EXCLUDED.currency, EXCLUDED.balance, EXCLUDED.status,
       EXCLUDED.updated_at)
  -- A record older than the one held (deliveries come in any order) changes nothing.
  AND EXCLUDED.updated_at >= w.updated_at
RETURNING id";
