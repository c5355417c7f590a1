#!/usr/bin/env python3
"""Drives a real `countersign` MCP server with the official Python `mcp` SDK (2.3).

    check_mcp.py stdio --bin PATH --data-dir DIR
    check_mcp.py http --url URL --token DRAFT_TOKEN --read-token READ_TOKEN

Both modes initialize, list the tools (exactly the ten documented ones, each with an output schema
and an object input schema), call every tool with arguments discovered from the desk's data and
validate each result against the tool's output schema (JSON Schema 2020-12), check a stable error
code, read a resource, list resource templates and get both prompts. HTTP mode also checks the
endpoint's guards: no token -> 401, a foreign Origin -> 403, a read-scoped token cannot draft.

Prints `ok   <check>` or `FAIL <check>: why` per check, then `python-sdk: N passed, M failed`.
Exit status: 0 all passed, 1 a check failed, 2 setup error (no server, no session).
Every check is bounded by a timeout; the whole run by a deadline. Nothing here waits forever.

The desk is written to: the checks file a draft, two escalations and an internal note. Use a
throwaway demo desk.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from decimal import Decimal, InvalidOperation
from typing import Any

import anyio
import httpx2
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match

from mcp import Client, Implementation, MCPError, StdioServerParameters
from mcp.client.stdio import get_default_environment
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, TextContent, TextResourceContents

CLIENT_NAME = "python-sdk-check"
# The tools the server must list: given by the caller (`--tools`) from the server's declared
# list (`countersign_mcp::tool_names()`), so no copy of it lives here.
TOOLS: list[str] = []
TEMPLATES = ["countersign://customer/{id}", "countersign://invoice/{id}", "countersign://ticket/{id}"]
PROMPTS = ["draft_reply_for_ticket", "triage_inbox"]

CHECK_TIMEOUT = 30.0  # seconds per check (and per MCP request)
RUN_DEADLINE = 100.0  # seconds for a whole mode (the e2e harness kills us at 120)
INIT_BODY = json.dumps({
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": CLIENT_NAME + "-raw", "version": "1"}},
})


class CheckFailed(Exception):
    """A check's assertion did not hold; the message says why."""


class SetupError(Exception):
    """The run cannot start (no server, no session); exit status 2."""

    def __init__(self, why: str, reported: bool = False) -> None:
        super().__init__(why)
        self.reported = reported  # already printed as a FAIL line


def expect(condition: Any, why: str) -> None:
    if not condition:
        raise CheckFailed(why)


def short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def describe(e: BaseException) -> str:
    """An exception as one line, unwrapping task-group exception groups to their causes."""
    if isinstance(e, BaseExceptionGroup):
        return "; ".join(describe(x) for x in e.exceptions)
    return f"{type(e).__name__}: {e}"


def leaves(e: BaseException) -> list[BaseException]:
    """The exceptions inside (nested) exception groups."""
    if isinstance(e, BaseExceptionGroup):
        return [leaf for x in e.exceptions for leaf in leaves(x)]
    return [e]


def money(m: Any) -> Decimal:
    """A Money object's amount; it must be a decimal string, never a float."""
    expect(isinstance(m, dict) and isinstance(m.get("amount"), str), f"money is not {{amount: string}}: {short(m)}")
    try:
        return Decimal(m["amount"])
    except InvalidOperation:
        raise CheckFailed(f"money amount is not a decimal: {m['amount']!r}") from None


class Run:
    """Runs checks one after another, prints one line each, counts them."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.data: dict[str, Any] = {}  # what earlier checks discovered
        self.problems: list[str] = []  # failures of the current check that let it finish its work

    def ok(self, name: str) -> None:
        self.passed += 1
        print(f"ok   {name}", flush=True)

    def fail(self, name: str, why: str) -> None:
        self.failed += 1
        print(f"FAIL {name}: {why}", flush=True)

    def need(self, *keys: str) -> list[Any]:
        missing = [k for k in keys if k not in self.data]
        if missing:
            raise CheckFailed(f"not run: needs {', '.join(missing)} from an earlier check that failed")
        return [self.data[k] for k in keys]

    def problem(self, why: str) -> None:
        """Fails the current check but lets it go on, so what it discovers still feeds later checks."""
        if why not in self.problems:
            self.problems.append(why)

    async def check(self, name: str, body: Callable[[], Awaitable[None]]) -> bool:
        self.problems = []
        try:
            with anyio.fail_after(CHECK_TIMEOUT):
                await body()
            if self.problems:
                raise CheckFailed("; ".join(self.problems))
        except TimeoutError:
            self.fail(name, f"no answer within {CHECK_TIMEOUT:g} s")
        except CheckFailed as e:
            self.fail(name, str(e))
        except MCPError as e:
            self.fail(name, f"MCP error {e.code}: {e.message}" + (f" data={short(e.data)}" if e.data else ""))
        except Exception as e:  # a client-side failure (SDK validation, transport) is a failed check
            self.fail(name, describe(e))
        else:
            self.ok(name)
            return True
        return False


class Desk:
    """One SDK session plus the tools' compiled output-schema validators."""

    def __init__(self, run: Run, client: Client) -> None:
        self.run = run
        self.client = client
        self.validators: dict[str, Draft202012Validator] = {}

    async def call(self, tool: str, args: dict[str, Any]) -> CallToolResult:
        return await self.client.call_tool(tool, args, read_timeout_seconds=CHECK_TIMEOUT)

    async def ok(self, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        """Calls `tool`, requires success, validates the structured content, returns it."""
        r = await self.call(tool, args)
        if r.is_error:
            raise CheckFailed(f"{tool} {short(args)} failed: {short(r.structured_content or r.content)}")
        sc = r.structured_content
        expect(isinstance(sc, dict), f"{tool} returned no structured content object: {short(r.content)}")
        validator = self.validators.get(tool)
        if validator is None:
            self.run.problem(f"{tool} result not validated: the tool declares no output_schema")
        elif (error := best_match(validator.iter_errors(sc))) is not None:
            at = "/".join(str(p) for p in error.absolute_path) or "(root)"
            rule = "/".join(str(p) for p in error.absolute_schema_path)
            self.run.problem(f"{tool} structured_content does not match its output_schema at {at}: "
                             f"{error.message} (schema rule {rule})")
        # Clients without structured-content support read the text block: it must be the same JSON.
        texts = [c.text for c in r.content if isinstance(c, TextContent)]
        try:
            if not texts or json.loads(texts[0]) != sc:
                self.run.problem(f"{tool}: no text content block holding the structured content as JSON")
        except json.JSONDecodeError:
            self.run.problem(f"{tool}: text content is not JSON: {short(texts[0])}")
        return sc

    async def error_code(self, tool: str, args: dict[str, Any]) -> str:
        """Calls `tool`, requires a tool error, returns its stable code."""
        r = await self.call(tool, args)
        expect(r.is_error, f"{tool} {short(args)} should fail but succeeded: {short(r.structured_content)}")
        sc = r.structured_content
        expect(
            isinstance(sc, dict) and isinstance(sc.get("error"), dict)
            and isinstance(sc["error"].get("code"), str) and isinstance(sc["error"].get("message"), str),
            f"{tool} error has no {{error: {{code, message}}}} structured content: {short(sc or r.content)}",
        )
        return sc["error"]["code"]


async def connect(
    stack: AsyncExitStack, run: Run, name: str, server: Any,
    diagnose: Callable[[], Awaitable[str]] | None = None,
) -> Desk:
    """Opens a session (initialize handshake) as check `name`; failing it is a setup error.
    `diagnose` says more about a failure than the SDK's error does (e.g. the HTTP status)."""
    client = Client(
        server,
        client_info=Implementation(name=CLIENT_NAME, version="1.0"),
        read_timeout_seconds=CHECK_TIMEOUT,
        mode="legacy",  # the `initialize` handshake, as every 2025-era client and server speak it
    )
    # Not under anyio.fail_after: the session's task groups outlive this call, and a cancel scope
    # must not close around them. The initialize request is bounded by read_timeout_seconds.
    try:
        await stack.enter_async_context(client)
        info = client.server_info
        expect(info is not None and info.name == "countersign", f"server_info is {info!r}, expected name countersign")
        caps = client.server_capabilities
        expect(caps.tools is not None and caps.resources is not None and caps.prompts is not None,
               f"capabilities lack tools/resources/prompts: {caps!r}")
    except CheckFailed as e:
        run.fail(name, str(e))
        raise SetupError(name, reported=True) from None
    except MCPError as e:
        run.fail(name, f"MCP error {e.code}: {e.message}")
        raise SetupError(name, reported=True) from None
    except Exception as e:
        more = ""
        if diagnose is not None:
            try:
                with anyio.fail_after(CHECK_TIMEOUT):
                    more = f" ({await diagnose()})"
            except Exception as d:
                more = f" (diagnosis failed: {describe(d)})"
        run.fail(name, f"cannot open a session: {describe(e)}{more}")
        raise SetupError(name, reported=True) from None
    run.ok(name)
    return Desk(run, client)


async def desk_checks(run: Run, desk: Desk) -> None:
    """Everything both transports must do, in order; later checks use what earlier ones found."""
    d = run.data

    async def list_tools() -> None:
        tools, cursor = [], None
        for _ in range(20):
            page = await desk.client.list_tools(cursor=cursor)
            tools += page.tools
            cursor = page.next_cursor
            if not cursor:
                break
        names = sorted(t.name for t in tools)
        expect(names == TOOLS, f"tools are {names}, expected exactly {TOOLS}")
        bad_input = [t.name for t in tools
                     if not (isinstance(t.input_schema, dict) and t.input_schema.get("type") == "object")]
        if bad_input:
            run.problem(f"input schema not of type object: {', '.join(bad_input)}")
        no_output = [t.name for t in tools if not isinstance(t.output_schema, dict)]
        if no_output:
            run.problem(f"no output_schema on {len(no_output)} of {len(tools)} tools: {', '.join(no_output)}")
        for t in tools:
            if not isinstance(t.output_schema, dict):
                continue
            try:
                Draft202012Validator.check_schema(t.output_schema)
            except SchemaError as e:
                run.problem(f"{t.name}: output_schema is not valid JSON Schema 2020-12: {e.message}")
                continue
            desk.validators[t.name] = Draft202012Validator(t.output_schema)
    await run.check("tools/list", list_tools)

    async def list_tickets() -> None:
        page = await desk.ok("list_tickets", {"status": "open", "limit": 50})
        rows = page["items"]
        expect(rows, "no open tickets in the demo desk")
        expect(all(r["ticket"]["status"] == "open" for r in rows), "status=open returned other tickets")
        # The ticket to work on: its customer has 3+ invoices (so a 2-invoice page has a next page).
        for row in rows:
            t = row["ticket"]
            invoices = await desk.ok("list_invoices", {"customer_id": t["customer_id"], "limit": 100})
            if len(invoices["items"]) >= 3:
                d.update(ticket_id=t["id"], customer_id=t["customer_id"])
                return
        raise CheckFailed(f"none of {len(rows)} open tickets has a customer with 3+ invoices")
    await run.check("list_tickets", list_tickets)

    async def get_customer_by_id() -> None:
        (customer_id,) = run.need("customer_id")
        c = await desk.ok("get_customer", {"customer_id": customer_id})
        expect(c["customer"]["id"] == customer_id, f"asked for {customer_id}, got {c['customer']['id']}")
        d.update(email=c["customer"]["email"], name=c["customer"]["name"])
    await run.check("get_customer by customer_id", get_customer_by_id)

    async def get_customer_by_email() -> None:
        customer_id, email = run.need("customer_id", "email")
        asked = email.upper() if email.isascii() else email  # documented as case-insensitive
        c = await desk.ok("get_customer", {"email": asked})
        expect(c["customer"]["id"] == customer_id, f"email {asked} gave {c['customer']['id']}, not {customer_id}")
    await run.check("get_customer by email", get_customer_by_email)

    async def search_customers() -> None:
        customer_id, name = run.need("customer_id", "name")
        surname = name.split()[-1]
        hits = await desk.ok("search_customers", {"query": surname, "limit": 100})
        ids = [h["id"] for h in hits["customers"]]
        expect(customer_id in ids, f"searching {surname!r} did not find {customer_id} ({name}); got {ids}")
    await run.check("search_customers by surname", search_customers)

    async def list_invoices_page() -> None:
        (customer_id,) = run.need("customer_id")
        page = await desk.ok("list_invoices", {"customer_id": customer_id, "limit": 2})
        items = page["items"]
        expect(len(items) == 2, f"limit 2 returned {len(items)} invoices")
        expect(all(i["customer_id"] == customer_id for i in items), "another customer's invoice in the page")
        expect(page.get("next_cursor"), f"no next_cursor although the customer has 3+ invoices: {short(page)}")
        d.update(page1=[i["id"] for i in items], cursor=page["next_cursor"], invoice_number=items[0]["invoice_number"])
    await run.check("list_invoices customer_id limit 2", list_invoices_page)

    async def list_invoices_next() -> None:
        customer_id, page1, cursor = run.need("customer_id", "page1", "cursor")
        page = await desk.ok("list_invoices", {"customer_id": customer_id, "limit": 2, "cursor": cursor})
        ids = [i["id"] for i in page["items"]]
        expect(ids, "the next page is empty although the first page had a next_cursor")
        expect(not set(ids) & set(page1), f"the next page repeats invoices of the first: {page1} then {ids}")
        expect(all(i["customer_id"] == customer_id for i in page["items"]), "the cursor lost the customer filter")
    await run.check("list_invoices next cursor", list_invoices_next)

    async def list_invoices_succeeded() -> None:
        (customer_id,) = run.need("customer_id")
        page = await desk.ok("list_invoices", {"customer_id": customer_id, "payment_status": "SUCCEEDED", "limit": 100})
        expect(all(i["payment_status"] == "SUCCEEDED" for i in page["items"]), "payment_status filter not applied")
        for inv in page["items"]:
            if money(inv["amount_paid"]) - money(inv["refunded_amount"]) >= Decimal("0.01"):
                d.update(refund_invoice=inv["id"], refund_currency=inv["amount_paid"]["currency"])
                return
        raise CheckFailed(f"{customer_id} has no SUCCEEDED invoice with money left to refund "
                          f"({len(page['items'])} SUCCEEDED); the demo desk should have one")
    await run.check("list_invoices payment_status SUCCEEDED", list_invoices_succeeded)

    async def get_invoice() -> None:
        customer_id, number = run.need("customer_id", "invoice_number")
        inv = await desk.ok("get_invoice", {"invoice_number": number})
        expect(inv["invoice"]["invoice_number"] == number, f"asked for {number}, got {inv['invoice']['invoice_number']}")
        expect(inv["customer"]["id"] == customer_id, f"{number} belongs to {inv['customer']['id']}, not {customer_id}")
        expect(inv["line_items"], f"{number} has no line items")
    await run.check("get_invoice by invoice_number", get_invoice)

    async def get_ticket() -> None:
        ticket_id, customer_id = run.need("ticket_id", "customer_id")
        t = await desk.ok("get_ticket", {"ticket_id": ticket_id})
        expect(t["ticket"]["id"] == ticket_id, f"asked for {ticket_id}, got {t['ticket']['id']}")
        expect(t["customer"]["id"] == customer_id, f"ticket customer {t['customer']['id']}, expected {customer_id}")
        expect(t["thread"], f"{ticket_id} has an empty thread")
    await run.check("get_ticket", get_ticket)

    async def search_kb() -> None:
        hits = await desk.ok("search_kb", {"query": "refund"})
        expect(hits["articles"], "no knowledge-base article answers 'refund'")
    await run.check("search_kb refund", search_kb)

    async def draft_reply() -> None:
        ticket_id, invoice_id = run.need("ticket_id", "refund_invoice")
        draft = await desk.ok("draft_reply", {
            "ticket_id": ticket_id,
            "body": "Hello, we checked your invoice and a colleague will confirm the next step shortly.",
            "confidence": 0.6,
            "citations": [{"kind": "invoice", "id": invoice_id}],
            "model": "python-sdk-check",
        })
        expect(draft["status"] == "pending_review", f"a draft must wait for review, got status {draft['status']}")
        expect(draft["ticket_id"] == ticket_id, f"draft filed on {draft['ticket_id']}, not {ticket_id}")
        cited = [(c["kind"], c["id"]) for c in draft["citations"]]
        expect(("invoice", invoice_id) in cited, f"citation of {invoice_id} missing: {cited}")
        d.update(draft_id=draft["id"])
    await run.check("draft_reply citing an invoice", draft_reply)

    async def escalate_other() -> None:
        (ticket_id,) = run.need("ticket_id")
        e = await desk.ok("raise_escalation", {
            "ticket_id": ticket_id, "reason": "The customer asks for a call back from a supervisor.",
            "proposed_action": "other",
        })
        expect(e["status"] == "pending", f"an escalation must wait for a supervisor, got status {e['status']}")
        expect(e["proposed_action"] == "other" and e.get("amount") is None and e.get("invoice_id") is None,
               f"unexpected escalation {short(e)}")
    await run.check("raise_escalation other", escalate_other)

    async def escalate_refund() -> None:
        ticket_id, invoice_id, currency = run.need("ticket_id", "refund_invoice", "refund_currency")
        e = await desk.ok("raise_escalation", {
            "ticket_id": ticket_id, "reason": "Goodwill refund of one cent, checked against the payment.",
            "proposed_action": "refund", "invoice_id": invoice_id, "amount": "0.01",
        })
        expect(e["status"] == "pending", f"a refund must wait for a supervisor, got status {e['status']}")
        expect(e["invoice_id"] == invoice_id, f"escalation names invoice {e['invoice_id']}, not {invoice_id}")
        amount = e.get("amount")
        expect(isinstance(amount, dict) and money(amount) == Decimal("0.01") and amount.get("currency") == currency,
               f"amount should be 0.01 {currency} as a decimal string, got {short(amount)}")
    await run.check("raise_escalation refund 0.01", escalate_refund)

    async def internal_note() -> None:
        (ticket_id,) = run.need("ticket_id")
        n = await desk.ok("add_internal_note", {"ticket_id": ticket_id, "body": "python-sdk-check: payments checked."})
        expect(n["visibility"] == "internal", f"note visibility is {n['visibility']}, not internal")
        expect(n["ticket_id"] == ticket_id, f"note filed on {n['ticket_id']}, not {ticket_id}")
    await run.check("add_internal_note", internal_note)

    async def not_found() -> None:
        code = await desk.error_code("get_ticket", {"ticket_id": "tkt_nope"})
        expect(code == "not_found", f"get_ticket tkt_nope gave error code {code!r}, expected not_found")
    await run.check("get_ticket tkt_nope is not_found", not_found)

    async def read_resource() -> None:
        ticket_id, draft_id = run.need("ticket_id", "draft_id")
        uri = f"countersign://ticket/{ticket_id}"
        res = await desk.client.read_resource(uri)
        expect(len(res.contents) == 1, f"{uri} has {len(res.contents)} contents, expected 1")
        c = res.contents[0]
        expect(isinstance(c, TextResourceContents), f"{uri} is not text: {type(c).__name__}")
        expect(c.mime_type == "application/json", f"{uri} mime type is {c.mime_type!r}")
        try:
            t = json.loads(c.text)
        except json.JSONDecodeError as e:
            raise CheckFailed(f"{uri} is not JSON ({e}): {short(c.text)}") from None
        expect(t["ticket"]["id"] == ticket_id, f"{uri} holds ticket {t['ticket']['id']}")
        # The resource is the same record as get_ticket's result, and now shows the draft filed above.
        if (v := desk.validators.get("get_ticket")) is not None and (error := best_match(v.iter_errors(t))):
            raise CheckFailed(f"{uri} does not match get_ticket's output_schema: {error.message}")
        expect(any(x["id"] == draft_id for x in t["drafts"]), f"{uri} does not show draft {draft_id}")
    await run.check("resources/read ticket", read_resource)

    async def templates() -> None:
        res = await desk.client.list_resource_templates()
        uris = sorted(t.uri_template for t in res.resource_templates)
        expect(uris == TEMPLATES, f"resource templates are {uris}, expected {TEMPLATES}")
    await run.check("resources/templates/list", templates)

    async def prompts() -> None:
        res = await desk.client.list_prompts()
        names = sorted(p.name for p in res.prompts)
        expect(names == PROMPTS, f"prompts are {names}, expected {PROMPTS}")
    await run.check("prompts/list", prompts)

    def prompt_text(res: Any) -> str:
        expect(res.messages, "the prompt has no messages")
        texts = [m.content.text for m in res.messages if isinstance(m.content, TextContent)]
        expect(texts, "the prompt has no text message")
        return "\n".join(texts)

    async def prompt_draft() -> None:
        (ticket_id,) = run.need("ticket_id")
        text = prompt_text(await desk.client.get_prompt("draft_reply_for_ticket", {"ticket_id": ticket_id}))
        expect(ticket_id in text and "draft_reply" in text, f"prompt does not name {ticket_id} and draft_reply: {short(text)}")
    await run.check("prompts/get draft_reply_for_ticket", prompt_draft)

    async def prompt_triage() -> None:
        text = prompt_text(await desk.client.get_prompt("triage_inbox"))
        expect("tkt_" in text, f"the triage prompt lists no ticket: {short(text)}")
    await run.check("prompts/get triage_inbox", prompt_triage)


async def default_mode_check(run: Run, desk: Desk, open_server: Callable[[AsyncExitStack], Awaitable[Any]]) -> None:
    """A session in the SDK's default mode ("auto": server/discover, else initialize) works too."""

    async def body() -> None:
        (ticket_id,) = run.need("ticket_id")
        async with AsyncExitStack() as stack:  # opened and closed inside this check's deadline
            client = Client(await open_server(stack), client_info=Implementation(name=CLIENT_NAME, version="1.0"),
                            read_timeout_seconds=CHECK_TIMEOUT)
            await stack.enter_async_context(client)
            names = sorted(t.name for t in (await client.list_tools()).tools)
            expect(names == TOOLS, f"protocol {client.protocol_version}: tools are {names}")
            auto = Desk(run, client)
            auto.validators = desk.validators
            t = await auto.ok("get_ticket", {"ticket_id": ticket_id})
            expect(t["ticket"]["id"] == ticket_id, f"protocol {client.protocol_version}: got ticket {t['ticket']['id']}")
    await run.check("session in the SDK's default mode (auto)", body)


async def stdio_mode(run: Run, args: argparse.Namespace) -> None:
    if not os.access(args.bin, os.X_OK):
        raise SetupError(f"{args.bin} is not an executable file")
    # What an assistant's launcher passes (the SDK's safe default), plus our own settings.
    env = get_default_environment()
    env.update({k: v for k, v in os.environ.items() if k.startswith(("COUNTERSIGN_", "RUST_"))})
    server = StdioServerParameters(command=args.bin, args=["--data-dir", args.data_dir, "mcp"], env=env)
    async with AsyncExitStack() as stack:
        desk = await connect(stack, run, "initialize (stdio)", server)
        await desk_checks(run, desk)

        async def another_server(_: AsyncExitStack) -> Any:
            return server
        await default_mode_check(run, desk, another_server)


def bearer_client(token: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx2.Timeout(CHECK_TIMEOUT),
    )


PLAIN_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def raw_initialize(url: str, token: str) -> Callable[[], Awaitable[str]]:
    """What a bare initialize POST with `token` gets: the HTTP status the SDK's error hides."""

    async def post() -> str:
        async with bearer_client(token) as raw:
            r = await raw.post(url, content=INIT_BODY, headers=PLAIN_HEADERS)
        return f"a raw initialize POST with this token gets HTTP {r.status_code}: {short(r.text, 200)}"
    return post


async def http_mode(run: Run, args: argparse.Namespace) -> None:
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(bearer_client(args.token))
        desk = await connect(stack, run, "initialize (http)", streamable_http_client(args.url, http_client=http),
                             diagnose=raw_initialize(args.url, args.token))
        await desk_checks(run, desk)

        async def no_token() -> None:
            async with httpx2.AsyncClient(timeout=httpx2.Timeout(CHECK_TIMEOUT)) as raw:
                r = await raw.post(args.url, content=INIT_BODY, headers=PLAIN_HEADERS)
            expect(r.status_code == 401, f"POST without Authorization got {r.status_code}, expected 401: {short(r.text)}")
            expect(r.headers.get("www-authenticate", "").lower().startswith("bearer"),
                   f"401 without `WWW-Authenticate: Bearer` (got {r.headers.get('www-authenticate')!r})")
        await run.check("http without token is 401", no_token)

        async def foreign_origin() -> None:
            async with httpx2.AsyncClient(timeout=httpx2.Timeout(CHECK_TIMEOUT)) as raw:
                r = await raw.post(args.url, content=INIT_BODY, headers={
                    **PLAIN_HEADERS, "Authorization": f"Bearer {args.token}", "Origin": "http://evil.example",
                })
            expect(r.status_code == 403, f"POST with Origin http://evil.example got {r.status_code}, expected 403: {short(r.text)}")
        await run.check("http foreign Origin is 403", foreign_origin)

        async def another_session(inner: AsyncExitStack) -> Any:
            h = await inner.enter_async_context(bearer_client(args.token))
            return streamable_http_client(args.url, http_client=h)
        await default_mode_check(run, desk, another_session)

        read_http = await stack.enter_async_context(bearer_client(args.read_token))
        reader = await connect(stack, run, "initialize (http, read token)",
                               streamable_http_client(args.url, http_client=read_http),
                               diagnose=raw_initialize(args.url, args.read_token))

        async def read_token_reads() -> None:
            (ticket_id,) = run.need("ticket_id")
            reader.validators = desk.validators
            t = await reader.ok("get_ticket", {"ticket_id": ticket_id})
            expect(t["ticket"]["id"] == ticket_id, f"asked for {ticket_id}, got {t['ticket']['id']}")
        await run.check("read token reads", read_token_reads)

        async def read_token_cannot_draft() -> None:
            (ticket_id,) = run.need("ticket_id")
            code = await reader.error_code("draft_reply", {"ticket_id": ticket_id, "body": "Hello.", "confidence": 0.5})
            expect(code == "forbidden", f"draft_reply with a read token gave error code {code!r}, expected forbidden")
        await run.check("read token cannot draft_reply", read_token_cannot_draft)


async def main_async(args: argparse.Namespace) -> int:
    run = Run()
    status = 0
    try:
        with anyio.fail_after(RUN_DEADLINE):
            await (stdio_mode if args.mode == "stdio" else http_mode)(run, args)
    except TimeoutError:
        run.fail("run", f"the run passed its {RUN_DEADLINE:g} s deadline")
    except Exception as e:  # task groups of the transports wrap what the checks raise
        for leaf in leaves(e):
            if isinstance(leaf, SetupError):
                status = 2
                if not leaf.reported:
                    run.fail("setup", str(leaf))
            else:  # e.g. a transport failing on close
                run.fail("run", describe(leaf))
    print(f"python-sdk: {run.passed} passed, {run.failed} failed", flush=True)
    if status:
        return status
    return 1 if run.failed else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tools", required=True,
                   help="the server's tool names, comma-separated (exactly these must be listed)")
    modes = p.add_subparsers(dest="mode", required=True)
    s = modes.add_parser("stdio", help="launch `BIN --data-dir DIR mcp` and talk over its stdin/stdout")
    s.add_argument("--bin", required=True, help="the countersign binary")
    s.add_argument("--data-dir", required=True, help="a desk seeded with `countersign demo`")
    h = modes.add_parser("http", help="talk to a running `countersign serve` over Streamable HTTP")
    h.add_argument("--url", required=True, help="e.g. http://127.0.0.1:7431/mcp")
    h.add_argument("--token", required=True, help="a draft-scoped token (cst_…)")
    h.add_argument("--read-token", required=True, help="a read-scoped token (cst_…)")
    return p.parse_args(argv)


def main() -> int:
    args = parse_args()
    TOOLS[:] = sorted(t for t in args.tools.split(",") if t)
    try:
        return anyio.run(main_async, args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
