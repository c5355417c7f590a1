#!/usr/bin/env python3
"""Acts as an AI assistant for the desktop end-to-end tests, with the official Python `mcp` SDK
over stdio (`countersign mcp` on the same desk the desktop app has open):

    propose.py draft --bin PATH --data-dir DIR [--ticket TKT]
    propose.py refund --bin PATH --data-dir DIR --ticket TKT --amount 120.00

`draft` files a reply on TKT (default: the newest open ticket) citing the customer and one of
their invoices; `refund` raises a refund escalation on TKT for one of the customer's paid
invoices. Prints one JSON object (ids of what was filed) on stdout; exit status 1 on failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from decimal import Decimal

import anyio

from mcp import Client, Implementation, StdioServerParameters
from mcp.client.stdio import get_default_environment

TIMEOUT = 30.0


async def call(client: Client, tool: str, args: dict) -> dict:
    r = await client.call_tool(tool, args, read_timeout_seconds=TIMEOUT)
    if r.is_error:
        raise RuntimeError(f"{tool} failed: {r.structured_content or r.content}")
    return r.structured_content


async def main(ns: argparse.Namespace) -> dict:
    env = get_default_environment()
    env.update({k: v for k, v in os.environ.items() if k.startswith(("COUNTERSIGN_", "RUST_"))})
    server = StdioServerParameters(command=ns.bin, args=["--data-dir", ns.data_dir, "mcp"], env=env)
    client = Client(server, client_info=Implementation(name="e2e-assistant", version="1.0"),
                    read_timeout_seconds=TIMEOUT, mode="legacy")
    async with client:
        if ns.action == "refund":
            return await refund(client, ns)
        ticket_id = ns.ticket
        if ticket_id is None:
            page = await call(client, "list_tickets", {"status": "open", "limit": 1})
            ticket_id = page["items"][0]["ticket"]["id"]
        detail = await call(client, "get_ticket", {"ticket_id": ticket_id})
        customer_id = detail["ticket"]["customer_id"]
        invoices = (await call(client, "list_invoices", {"customer_id": customer_id, "limit": 20}))["items"]
        invoice = invoices[0]
        draft = await call(client, "draft_reply", {
            "ticket_id": ticket_id,
            "body": f"Hello {detail['customer']['name']},\n\nthank you for writing. I checked invoice "
                    f"{invoice['invoice_number']} and will follow up on it today.\n\nBest regards",
            "confidence": 0.82,
            "citations": [{"kind": "customer", "id": customer_id},
                          {"kind": "invoice", "id": invoice["id"]}],
            "model": "e2e-model-1",
        })
        return {"ticket_id": ticket_id, "draft_id": draft["id"], "invoice_id": invoice["id"]}


async def refund(client: Client, ns: argparse.Namespace) -> dict:
    """A refund escalation on the first open ticket whose customer has a paid invoice big enough."""
    tickets = [ns.ticket] if ns.ticket else [
        r["ticket"]["id"] for r in (await call(client, "list_tickets", {"status": "open", "limit": 50}))["items"]]
    for ticket_id in tickets:
        detail = await call(client, "get_ticket", {"ticket_id": ticket_id})
        customer_id = detail["ticket"]["customer_id"]
        invoices = (await call(client, "list_invoices", {"customer_id": customer_id, "limit": 50}))["items"]
        paid = [i for i in invoices if i["payment_status"] == "SUCCEEDED"
                and Decimal(i["amount_paid"]["amount"]) >= Decimal(ns.amount)]
        if not paid:
            continue
        esc = await call(client, "raise_escalation", {
            "ticket_id": ticket_id,
            "reason": "The customer was charged twice; refund the duplicate payment.",
            "proposed_action": "refund",
            "invoice_id": paid[0]["id"],
            "amount": ns.amount,
        })
        return {"ticket_id": ticket_id, "escalation_id": esc["id"], "invoice_id": paid[0]["id"]}
    raise RuntimeError(f"no open ticket's customer has a paid invoice of at least {ns.amount}")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("action", choices=["draft", "refund"])
    p.add_argument("--bin", required=True)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--ticket")
    p.add_argument("--amount", default="0")
    ns = p.parse_args()
    async def bounded() -> dict:
        with anyio.fail_after(100):
            return await main(ns)

    try:
        out = anyio.run(bounded)
    except Exception as e:  # noqa: BLE001 - one line for the test's failure message
        print(f"propose.py: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(out))
