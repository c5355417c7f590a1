//! A FlexPrice stand-in for the tests, built from FlexPrice's published API (its router, DTOs and
//! error handler): `x-api-key` authentication, credit notes created as DRAFT unless
//! `process_credit_note`, typed REFUND or ADJUSTMENT by the invoice's payment status, validated
//! *before* the idempotency key is looked up (as FlexPrice does), invoice void rules, and the
//! error body `{"code","message","http_status_code","details"}`. It can refuse, answer 503,
//! answer slowly, and commit and then not answer in time.

#![allow(clippy::result_large_err)]

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const API_KEY: &str = "fp_test_key_0123456789";

/// How the fake answers its next calls.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// Every call answers 503 without doing anything, this many times.
    Unavailable(u32),
    /// Does the work, then waits this long before answering (longer than the platform waits).
    CommitThenStall(Duration),
    /// The next POST is refused with this status and error body, doing nothing.
    Refuse(u16, Value),
}

#[derive(Debug, Clone)]
pub struct Invoice {
    pub invoice_status: String,
    pub payment_status: String,
    pub currency: String,
    pub total: Decimal,
    pub amount_paid: Decimal,
    pub refunded_amount: Decimal,
    pub adjustment_amount: Decimal,
    /// (line item id, amount)
    pub lines: Vec<(String, Decimal)>,
}

#[derive(Debug, Default)]
pub struct Books {
    pub invoices: HashMap<String, Invoice>,
    pub credit_notes: Vec<Value>,
    /// Every call, as "METHOD path".
    pub calls: Vec<String>,
    /// What the list endpoints serve (`customers`, `invoices`, `payments`, `wallets`), oldest
    /// first, in FlexPrice's shapes.
    pub lists: HashMap<String, Vec<Value>>,
    pub mode: Vec<Mode>,
}

#[derive(Clone)]
pub struct FakeFlexPrice {
    pub addr: SocketAddr,
    pub books: Arc<Mutex<Books>>,
}

type Shared = Arc<Mutex<Books>>;

fn error(status: u16, code: &str, message: &str, details: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        Json(json!({"code": code, "message": message, "http_status_code": status, "details": details})),
    )
        .into_response()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

impl FakeFlexPrice {
    pub async fn start() -> Self {
        let books: Shared = Arc::default();
        let app = Router::new()
            .route(
                "/v1/creditnotes",
                post(create_credit_note).get(list_credit_notes),
            )
            .route("/v1/creditnotes/{id}/finalize", post(finalize))
            .route("/v1/invoices/{id}", get(get_invoice))
            .route("/v1/customers", get(list_customers))
            .route("/v1/invoices", get(list_invoices))
            .route("/v1/payments", get(list_payments))
            .route("/v1/wallets", get(list_wallets))
            .route("/v1/subscriptions", get(list_subscriptions))
            .route("/v1/subscriptions/{id}", get(get_subscription))
            .route("/v1/invoices/{id}/void", post(void_invoice))
            .with_state(books.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, books }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// A FINALIZED invoice paid in full (payment SUCCEEDED) with one line.
    pub fn paid_invoice(&self, id: &str, currency: &str, total: &str, line: (&str, &str)) {
        self.books.lock().unwrap().invoices.insert(
            id.into(),
            Invoice {
                invoice_status: "FINALIZED".into(),
                payment_status: "SUCCEEDED".into(),
                currency: currency.to_ascii_lowercase(),
                total: dec(total),
                amount_paid: dec(total),
                refunded_amount: Decimal::ZERO,
                adjustment_amount: Decimal::ZERO,
                lines: vec![(line.0.into(), dec(line.1))],
            },
        );
    }

    pub fn then(&self, modes: impl IntoIterator<Item = Mode>) {
        self.books.lock().unwrap().mode.extend(modes);
    }

    /// Sets what list `name` serves.
    pub fn serve_list(&self, name: &str, items: Vec<Value>) {
        self.books.lock().unwrap().lists.insert(name.into(), items);
    }

    pub fn credit_notes(&self) -> Vec<Value> {
        self.books.lock().unwrap().credit_notes.clone()
    }

    pub fn calls(&self) -> Vec<String> {
        self.books.lock().unwrap().calls.clone()
    }

    pub fn invoice(&self, id: &str) -> Invoice {
        self.books.lock().unwrap().invoices[id].clone()
    }
}

/// The mode for this call (a counted mode is used up), after the key check.
fn begin(books: &Shared, headers: &HeaderMap, call: String) -> Result<Mode, Response> {
    let mut b = books.lock().unwrap();
    b.calls.push(call);
    if headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some(API_KEY) {
        return Err((
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "Invalid API key"})),
        )
            .into_response());
    }
    let mode = b.mode.first().cloned().unwrap_or(Mode::Normal);
    match mode {
        Mode::Unavailable(n) => {
            if n <= 1 {
                b.mode.remove(0);
            } else {
                b.mode[0] = Mode::Unavailable(n - 1);
            }
            Err(error(
                503,
                "service_unavailable",
                "upstream unavailable",
                json!({}),
            ))
        }
        Mode::CommitThenStall(_) | Mode::Refuse(..) => {
            b.mode.remove(0);
            Ok(mode)
        }
        Mode::Normal => Ok(mode),
    }
}

/// Answers after the work, late if the mode says so.
async fn answer(mode: Mode, response: Response) -> Response {
    if let Mode::CommitThenStall(d) = mode {
        tokio::time::sleep(d).await;
    }
    response
}

async fn create_credit_note(
    State(books): State<Shared>,
    headers: HeaderMap,
    Json(req): Json<Value>,
) -> Response {
    let mode = match begin(&books, &headers, "POST /v1/creditnotes".into()) {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Mode::Refuse(status, body) = mode {
        return (StatusCode::from_u16(status).unwrap(), Json(body)).into_response();
    }
    let response = {
        let mut b = books.lock().unwrap();
        create(&mut b, &req)
    };
    answer(mode, response).await
}

/// FlexPrice's CreateCreditNote: validation first, then the idempotency key, then the insert.
fn create(b: &mut Books, req: &Value) -> Response {
    let Some(invoice_id) = req["invoice_id"].as_str() else {
        return error(400, "validation_error", "invoice_id is required", json!({}));
    };
    let reasons = [
        "DUPLICATE",
        "FRAUDULENT",
        "ORDER_CHANGE",
        "UNSATISFACTORY",
        "SERVICE_ISSUE",
        "BILLING_ERROR",
        "SUBSCRIPTION_CANCELLATION",
    ];
    if !reasons.contains(&req["reason"].as_str().unwrap_or("")) {
        return error(
            400,
            "validation_error",
            "invalid credit note reason",
            json!({"allowed": reasons}),
        );
    }
    let Some(lines) = req["line_items"].as_array().filter(|l| !l.is_empty()) else {
        return error(
            400,
            "validation_error",
            "at least one line item is required",
            json!({}),
        );
    };
    let Some(invoice) = b.invoices.get(invoice_id).cloned() else {
        return error(
            404,
            "not_found",
            &format!("invoice with ID {invoice_id} was not found"),
            json!({}),
        );
    };
    if invoice.invoice_status != "FINALIZED" {
        return error(
            400,
            "validation_error",
            "invoice must be finalized",
            json!({}),
        );
    }
    if invoice.payment_status == "REFUNDED" {
        return error(
            400,
            "validation_error",
            "cannot create credit note for fully refunded invoice",
            json!({}),
        );
    }
    let kind = match invoice.payment_status.as_str() {
        "SUCCEEDED" | "PARTIALLY_REFUNDED" => "REFUND",
        "FAILED" | "PENDING" | "PROCESSING" => "ADJUSTMENT",
        _ => return error(400, "validation_error", "unknown payment status", json!({})),
    };
    let mut total = Decimal::ZERO;
    for l in lines {
        let id = l["invoice_line_item_id"].as_str().unwrap_or("");
        let Some(amount) = l["amount"].as_str().and_then(|a| Decimal::from_str(a).ok()) else {
            return error(
                400,
                "validation_error",
                "line item amount must be a decimal string",
                json!({}),
            );
        };
        let Some((_, max)) = invoice.lines.iter().find(|(lid, _)| lid == id) else {
            return error(
                400,
                "validation_error",
                &format!("invoice line item {id} not found"),
                json!({}),
            );
        };
        if amount <= Decimal::ZERO || amount > *max {
            return error(
                400,
                "validation_error",
                "credit note line amount exceeds invoice line item amount",
                json!({}),
            );
        }
        total += amount;
    }
    let creditable = if kind == "REFUND" {
        invoice.amount_paid - invoice.refunded_amount
    } else {
        invoice.total - invoice.adjustment_amount - invoice.amount_paid
    };
    if total > creditable {
        return error(
            400,
            "validation_error",
            "credit amount exceeds available limit",
            json!({"max_creditable": creditable.to_string()}),
        );
    }
    if let Some(key) = req["idempotency_key"].as_str()
        && let Some(existing) = b.credit_notes.iter().find(|c| c["idempotency_key"] == key)
    {
        return (StatusCode::CREATED, Json(existing.clone())).into_response();
    }
    let id = format!("cn_{:04}", b.credit_notes.len() + 1);
    let mut note = json!({
        "id": id, "credit_note_number": format!("CN-{:04}", b.credit_notes.len() + 1),
        "invoice_id": invoice_id, "customer_id": "cus_anna", "credit_note_status": "DRAFT",
        "credit_note_type": kind, "reason": req["reason"], "memo": req["memo"], "currency": invoice.currency,
        "metadata": req["metadata"], "total_amount": total.to_string(),
        "idempotency_key": req["idempotency_key"], "line_items": lines, "status": "published",
        "created_at": "2026-12-07T00:00:00Z", "updated_at": "2026-12-07T00:00:00Z",
    });
    b.credit_notes.push(note.clone());
    if req["process_credit_note"] == true {
        finalize_note(b, &id).expect("a draft just made");
        note = b
            .credit_notes
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone();
    }
    (StatusCode::CREATED, Json(note)).into_response()
}

fn finalize_note(b: &mut Books, id: &str) -> Result<(), Response> {
    let note = b
        .credit_notes
        .iter_mut()
        .find(|c| c["id"] == id)
        .ok_or_else(|| error(404, "not_found", "credit note not found", json!({})))?;
    if note["credit_note_status"] != "DRAFT" {
        return Err(error(
            400,
            "validation_error",
            "credit note already processed",
            json!({}),
        ));
    }
    note["credit_note_status"] = json!("FINALIZED");
    let total = dec(note["total_amount"].as_str().unwrap());
    let refund = note["credit_note_type"] == "REFUND";
    let invoice = b
        .invoices
        .get_mut(note["invoice_id"].as_str().unwrap())
        .unwrap();
    if refund {
        invoice.refunded_amount += total;
        invoice.payment_status = if invoice.refunded_amount >= invoice.amount_paid {
            "REFUNDED"
        } else {
            "PARTIALLY_REFUNDED"
        }
        .into();
    } else {
        invoice.adjustment_amount += total;
    }
    Ok(())
}

async fn finalize(
    State(books): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let mode = match begin(
        &books,
        &headers,
        format!("POST /v1/creditnotes/{id}/finalize"),
    ) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let response = match finalize_note(&mut books.lock().unwrap(), &id) {
        Ok(()) => Json(json!({"message": "Adjustment credit note processed successfully"}))
            .into_response(),
        Err(r) => r,
    };
    answer(mode, response).await
}

async fn list_credit_notes(
    State(books): State<Shared>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let q = query_map(q);
    let mode = match begin(&books, &headers, "GET /v1/creditnotes".into()) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let limit: usize = q.get("limit").map_or(50, |l| l.parse().unwrap());
    if !(1..=1000).contains(&limit) {
        return error(
            400,
            "validation_error",
            "limit must be between 1 and 1000",
            json!({}),
        );
    }
    let offset: usize = q.get("offset").map_or(0, |o| o.parse().unwrap());
    let response = {
        let b = books.lock().unwrap();
        let all: Vec<&Value> = b
            .credit_notes
            .iter()
            .filter(|c| {
                q.get("invoice_id")
                    .is_none_or(|i| c["invoice_id"] == i.as_str())
            })
            .collect();
        let page: Vec<&Value> = all.iter().skip(offset).take(limit).copied().collect();
        // FlexPrice's NewPaginationResponse: offset is the next page's.
        Json(json!({"items": page, "pagination": {"total": all.len(), "limit": limit, "offset": offset + limit}}))
            .into_response()
    };
    answer(mode, response).await
}

async fn get_invoice(
    State(books): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = begin(&books, &headers, format!("GET /v1/invoices/{id}")) {
        return r;
    }
    let b = books.lock().unwrap();
    match b.invoices.get(&id) {
        Some(i) => Json(json!({"id": id, "invoice_status": i.invoice_status, "payment_status": i.payment_status,
                               "currency": i.currency, "total": i.total.to_string(),
                               "amount_paid": i.amount_paid.to_string(), "refunded_amount": i.refunded_amount.to_string()})).into_response(),
        None => error(404, "not_found", &format!("invoice with ID {id} was not found"), json!({})),
    }
}

async fn void_invoice(
    State(books): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let mode = match begin(&books, &headers, format!("POST /v1/invoices/{id}/void")) {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Mode::Refuse(status, body) = mode {
        return (StatusCode::from_u16(status).unwrap(), Json(body)).into_response();
    }
    let response = {
        let mut b = books.lock().unwrap();
        match b.invoices.get_mut(&id) {
            None => error(
                404,
                "not_found",
                &format!("invoice with ID {id} was not found"),
                json!({}),
            ),
            Some(i) if !["DRAFT", "FINALIZED", "SKIPPED"].contains(&i.invoice_status.as_str()) => {
                error(
                    400,
                    "validation_error",
                    &format!("invoice status - {} is not allowed", i.invoice_status),
                    json!({"allowed_statuses": ["DRAFT", "FINALIZED", "SKIPPED"]}),
                )
            }
            Some(i)
                if ![
                    "PENDING",
                    "FAILED",
                    "SUCCEEDED",
                    "PARTIALLY_REFUNDED",
                    "OVERPAID",
                ]
                .contains(&i.payment_status.as_str()) =>
            {
                error(
                    400,
                    "validation_error",
                    &format!(
                        "invoice payment status - {} is not allowed",
                        i.payment_status
                    ),
                    json!({}),
                )
            }
            Some(i) => {
                i.invoice_status = "VOIDED".into();
                if i.amount_paid > Decimal::ZERO {
                    i.payment_status = "REFUNDED".into();
                }
                Json(json!({"message": "invoice voided successfully"})).into_response()
            }
        }
    };
    answer(mode, response).await
}

async fn list_customers(s: State<Shared>, h: HeaderMap, q: RawQuery) -> Response {
    list(s, h, q, "customers").await
}
async fn list_invoices(s: State<Shared>, h: HeaderMap, q: RawQuery) -> Response {
    list(s, h, q, "invoices").await
}
async fn list_payments(s: State<Shared>, h: HeaderMap, q: RawQuery) -> Response {
    list(s, h, q, "payments").await
}
async fn list_wallets(s: State<Shared>, h: HeaderMap, q: RawQuery) -> Response {
    list(s, h, q, "wallets").await
}
async fn list_subscriptions(s: State<Shared>, h: HeaderMap, q: RawQuery) -> Response {
    list(s, h, q, "subscriptions").await
}

/// `GET /v1/subscriptions/{id}`: a subscription of the `subscriptions` list, whole (its plan and
/// its line items with their prices, which the list leaves out as FlexPrice's does).
async fn get_subscription(
    State(books): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let mode = match begin(&books, &headers, format!("GET /v1/subscriptions/{id}")) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let found = books
        .lock()
        .unwrap()
        .lists
        .get("subscriptions")
        .and_then(|all| all.iter().find(|s| s["id"] == id.as_str()).cloned());
    let response = match found {
        Some(s) => Json(s).into_response(),
        None => error(
            404,
            "not_found",
            &format!("subscription with ID {id} was not found"),
            json!({}),
        ),
    };
    answer(mode, response).await
}

/// FlexPrice's list endpoints: `limit` 1 to 1000 (else 400), `offset`; the envelope with the
/// pagination FlexPrice's NewPaginationResponse builds.
async fn list(
    State(books): State<Shared>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    name: &str,
) -> Response {
    let mode = match begin(&books, &headers, format!("GET /v1/{name}")) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let q = query_map(q);
    let limit: usize = q.get("limit").map_or(50, |l| l.parse().unwrap());
    if !(1..=1000).contains(&limit) {
        return error(
            400,
            "validation_error",
            "limit must be between 1 and 1000",
            json!({}),
        );
    }
    let offset: usize = q.get("offset").map_or(0, |o| o.parse().unwrap());
    let response = {
        let b = books.lock().unwrap();
        let all = b.lists.get(name).cloned().unwrap_or_default();
        let mut page: Vec<Value> = all.iter().skip(offset).take(limit).cloned().collect();
        if name == "subscriptions" {
            // FlexPrice's list gives a subscription's line items only when expanded, and never
            // their prices.
            for s in &mut page {
                if let Some(o) = s.as_object_mut() {
                    o.remove("line_items");
                }
            }
        }
        Json(json!({"items": page, "pagination": {"total": all.len(), "limit": limit, "offset": offset + limit}})).into_response()
    };
    answer(mode, response).await
}

/// Subscription `id` of `customer` as FlexPrice's `GET /subscriptions/{id}` answers it: monthly,
/// plan "Team", three seats at 12.50 EUR (37.50), beside a one-off setup fee, a usage price and
/// a line that ended, none of which is its recurring price.
pub fn subscription_of(id: &str, customer: &str) -> Value {
    json!({"id": id, "customer_id": customer, "plan_id": "plan_team",
    "subscription_status": "active", "currency": "eur", "billing_period": "MONTHLY",
    "billing_period_count": 1, "start_date": "2026-01-01T00:00:00Z",
    "current_period_start": "2026-12-01T00:00:00Z", "current_period_end": "2027-01-01T00:00:00Z",
    "cancel_at_period_end": false, "plan": {"id": "plan_team", "name": "Team"},
    "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z",
    "line_items": [
        {"id": "li_seat", "price_type": "FIXED", "billing_period": "MONTHLY", "quantity": "3",
         "price": {"amount": "12.5", "billing_model": "FLAT_FEE", "currency": "eur"}},
        {"id": "li_setup", "price_type": "FIXED", "billing_period": "ONETIME", "quantity": "1",
         "price": {"amount": "99", "billing_model": "FLAT_FEE"}},
        {"id": "li_api", "price_type": "USAGE", "billing_period": "MONTHLY", "quantity": "0",
         "price": {"amount": "0.01", "billing_model": "TIERED"}},
        {"id": "li_old", "price_type": "FIXED", "billing_period": "MONTHLY", "quantity": "1",
         "end_date": "2026-06-01T00:00:00Z", "price": {"amount": "5", "billing_model": "FLAT_FEE"}}
    ]})
}

/// A query string's pairs (the fake's ids and numbers need no decoding).
fn query_map(q: Option<String>) -> HashMap<String, String> {
    q.unwrap_or_default()
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}
