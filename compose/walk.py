#!/usr/bin/env python3
"""Walks the shop through its public API, as a customer and an admin would, on a running deployment.

    python3 compose/walk.py --base http://127.0.0.1:8080 --admin-token "$SHOP_ADMIN_TOKEN"

The routes come from the gateway's own OpenAPI document (GET /api/openapi.json): each step runs when
the document has its route and is reported as skipped when it does not (the shop grows service by
service), and request bodies are built from the document's schemas. A route that is present but
cannot be driven (a required field the walk does not know) fails the walk with a message saying so.
Steps: categories, products (list, by id), admin create, search, register, login, cart add and view,
checkout with an Idempotency-Key (and the same key again: the same order), the order until it is
CONFIRMED, the order list, the user's notifications. Exit status 0 when every present step passed.
Python 3 standard library only (it comes with docker-compose).
"""
import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

RUN = uuid.uuid4().hex[:10]


class WalkError(Exception):
    pass


class Api:
    def __init__(self, base, timeout):
        self.base = base.rstrip("/")
        self.timeout = timeout

    def call(self, method, path, body=None, token=None, headers=None, query=None):
        url = self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("x-correlation-id", "e2e-" + RUN + "-" + uuid.uuid4().hex[:8])
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        for k, v in (headers or {}).items():
            request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                return response.status, (json.loads(raw) if raw and _is_json(response) else raw.decode(errors="replace"))
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode(errors="replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
            raise WalkError(f"{method} {path}: no answer ({e})")

    def expect(self, status, method, path, **kw):
        got, body = self.call(method, path, **kw)
        wanted = status if isinstance(status, (list, tuple, set)) else [status]
        if got not in wanted:
            raise WalkError(f"{method} {path}: HTTP {got}, expected {'/'.join(map(str, wanted))}: {str(body)[:300]}")
        return body


def _is_json(response):
    return "json" in (response.headers.get("Content-Type") or "")


class Document:
    """The gateway's OpenAPI document: which operations exist, and their request schemas."""

    def __init__(self, doc):
        self.doc = doc
        self.ops = []
        for path, item in (doc.get("paths") or {}).items():
            for method, op in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    self.ops.append((method.upper(), path, op))

    def find(self, method, pattern):
        """The first operation with this method whose path or operationId matches the pattern."""
        rx = re.compile(pattern, re.I)
        for m, path, op in self.ops:
            if m == method and (rx.search(path) or rx.search(op.get("operationId", ""))):
                return path, op
        return None

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                raise WalkError(f"cannot follow {ref}")
            node = self.doc
            for part in ref[2:].split("/"):
                node = node[part]
            schema = node
            seen += 1
        return schema or {}

    def body(self, op, known, where):
        """A request body with every required field, from names the walk knows."""
        content = ((op.get("requestBody") or {}).get("content") or {}).get("application/json") or {}
        schema = self.resolve(content.get("schema") or {})
        return self.value(schema, known, where)

    def value(self, schema, known, where):
        schema = self.resolve(schema)
        for combo in ("allOf", "oneOf", "anyOf"):
            if combo in schema and schema[combo]:
                return self.value(schema[combo][0], known, where)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            out = {}
            props = schema.get("properties") or {}
            for name in schema.get("required") or []:
                if name in known:
                    out[name] = known[name]
                elif name in props and self.resolve(props[name]).get("type") == "object":
                    out[name] = self.value(props[name], known, where + "." + name)
                else:
                    raise WalkError(f"{where}: the walk cannot fill the required field '{name}'; teach compose/walk.py")
            for name in props:
                if name not in out and name in known:
                    out[name] = known[name]
            return out
        raise WalkError(f"{where}: request body is not an object schema")


def first(*values):
    for v in values:
        if v:
            return v
    return None


class Walk:
    def __init__(self, api, admin_token, patience):
        self.api = api
        self.admin_token = admin_token
        self.patience = patience
        self.results = []

    def step(self, name, fn):
        started = time.monotonic()
        try:
            detail = fn()
            status = "skipped" if detail is None else "ok"
        except WalkError as e:
            detail, status = str(e), "FAILED"
        ms = int((time.monotonic() - started) * 1000)
        self.results.append((name, status, ms, detail))
        print(f"  {status:<8} {name:<34} {ms:>6} ms  {detail if detail is not None else '(route absent)'}", flush=True)
        if status == "FAILED":
            raise WalkError(f"step '{name}' failed: {detail}")
        return detail

    def poll(self, what, fn, seconds=None):
        """fn() returns a value when done, None to try again; bounded."""
        deadline = time.monotonic() + (seconds or self.patience)
        last = None
        while time.monotonic() < deadline:
            try:
                value = fn()
                if value is not None:
                    return value
            except WalkError as e:
                last = e
            time.sleep(0.5)
        raise WalkError(f"{what}: not within {seconds or self.patience} s" + (f" (last: {last})" if last else ""))

    def run(self):
        api = self.api
        doc = Document(api.expect(200, "GET", "/api/openapi.json"))
        print(f"  routes   {len(doc.ops)} operations in the gateway's OpenAPI document", flush=True)
        state = {}

        def categories():
            found = doc.find("GET", r"^/api/categories$")
            if not found:
                return None
            items = api.expect(200, "GET", found[0]).get("items") or []
            if not items:
                raise WalkError("no categories (is the demo catalog seeded? SHOP_CATALOG_SEED_DEMO=true)")
            state["category"] = items[0]["id"]
            return f"{len(items)} categories"
        self.step("browse categories", categories)

        def products():
            found = doc.find("GET", r"^/api/products$")
            if not found:
                return None
            query = {"size": 5, "sort": "-price"}
            if "category" in state:
                query["category"] = state["category"]
            page = api.expect(200, "GET", found[0], query=query)
            if not page.get("items"):
                raise WalkError(f"no products in {query}")
            state["product"] = page["items"][0]
            return f"{page.get('total')} products in {state.get('category')}, most expensive {state['product']['name']!r}"
        self.step("browse products", products)

        def product():
            found = doc.find("GET", r"^/api/products/\{[^}]+}$")
            if not found or "product" not in state:
                return None
            pid = state["product"]["id"]
            got = api.expect(200, "GET", found[0].replace(found[0][found[0].index("{"):found[0].index("}") + 1], pid))
            if got.get("id") != pid:
                raise WalkError(f"asked for {pid}, got {got.get('id')}")
            return f"product {pid}"
        self.step("product by id", product)

        def create():
            found = doc.find("POST", r"^/api/products$")
            if not found or not self.admin_token or "category" not in state:
                return None
            sku = "E2E-" + RUN.upper()
            known = {"sku": sku, "name": f"Walker lantern {RUN}", "description": "Made by the end-to-end walk",
                     "category": state["category"], "price": {"amount": 1999, "currency": "EUR"}, "stock": 50}
            created = api.expect(201, "POST", found[0], body=doc.body(found[1], known, "createProduct"), token=self.admin_token)
            state["created"] = created
            return f"product {created['id']} ({sku})"
        self.step("admin creates a product", create)

        def search():
            found = doc.find("GET", r"search")
            if not found:
                return None
            target = state.get("created") or state.get("product")
            word = RUN if "created" in state else target["name"].split()[0]
            params = {p.get("name") for p in found[1].get("parameters") or [] if isinstance(p, dict)}
            key = "q" if "q" in params or not params else sorted(params)[0]

            def hit():
                body = api.expect(200, "GET", found[0], query={key: word})
                items = body.get("items") or body.get("hits") or []
                return len(items) if any(i.get("id") == target["id"] for i in items) else None
            n = self.poll(f"search for {word!r} finds product {target['id']}", hit)
            return f"{word!r}: {n} hit(s), product found"
        self.step("search", search)

        email = f"walker-{RUN}@example.com"
        password = "Walk-" + uuid.uuid4().hex[:16]

        def register():
            found = doc.find("POST", r"register|signup|^/api/users$")
            if not found:
                return None
            known = {"email": email, "password": password, "name": "E2E Walker", "displayName": "E2E Walker"}
            user = api.expect([200, 201], "POST", found[0], body=doc.body(found[1], known, "register"))
            state["user"] = user.get("user", user)
            return f"user {state['user'].get('id')} <{email}>"
        self.step("register", register)

        def login():
            found = doc.find("POST", r"login|token|session")
            if not found or "user" not in state:
                return None
            body = api.expect(200, "POST", found[0], body=doc.body(found[1], {"email": email, "password": password}, "login"))
            state["token"] = first(body.get("token"), body.get("accessToken"), body.get("access_token"))
            if not state["token"]:
                raise WalkError(f"no token in the login answer: {list(body)}")
            return "token received"
        self.step("login", login)

        def cart_add():
            found = doc.find("POST", r"cart")
            target = state.get("created") or state.get("product")
            if not found or "token" not in state or not target:
                return None
            known = {"productId": target["id"], "quantity": 1}
            api.expect([200, 201], "POST", found[0], body=doc.body(found[1], known, "cart add"), token=state["token"])
            state["cart_product"] = target
            return f"1 x {target['name']!r}"
        self.step("cart: add a line", cart_add)

        def cart_view():
            found = doc.find("GET", r"cart")
            if not found or "cart_product" not in state:
                return None
            cart = api.expect(200, "GET", found[0], token=state["token"])
            lines = cart.get("lines") or cart.get("items") or []
            if not any(l.get("productId") == state["cart_product"]["id"] for l in lines):
                raise WalkError(f"the cart does not hold the product: {cart}")
            total = cart.get("total")
            return f"{len(lines)} line(s), total {total}"
        self.step("cart: view", cart_view)

        def checkout():
            found = doc.find("POST", r"^/api/orders$|checkout")
            if not found or "cart_product" not in state:
                return None
            key = "e2e-" + RUN + "-" + uuid.uuid4().hex[:8]
            body = doc.body(found[1], {}, "checkout") if found[1].get("requestBody") else None
            order = api.expect([200, 201, 202], "POST", found[0], body=body, token=state["token"], headers={"Idempotency-Key": key})
            again = api.expect([200, 201, 202], "POST", found[0], body=body, token=state["token"], headers={"Idempotency-Key": key})
            if order.get("id") != again.get("id"):
                raise WalkError(f"the same Idempotency-Key gave two orders: {order.get('id')} and {again.get('id')}")
            state["order"] = order
            return f"order {order.get('id')} ({order.get('status')}); same key again: same order"
        self.step("checkout (Idempotency-Key)", checkout)

        def order_confirmed():
            found = doc.find("GET", r"^/api/orders/\{[^}]+}$")
            if not found or "order" not in state:
                return None
            path = re.sub(r"\{[^}]+}", state["order"]["id"], found[0])

            def status():
                order = api.expect(200, "GET", path, token=state["token"])
                return order if order.get("status") in ("CONFIRMED", "CANCELLED") else None
            order = self.poll("the order reaches a final state", status)
            if order["status"] != "CONFIRMED":
                raise WalkError(f"order {order['id']} was {order['status']}: {order.get('cancelReason')} {order.get('cancelMessage')}")
            return f"order {order['id']} CONFIRMED, total {order.get('total')}"
        self.step("order confirmed", order_confirmed)

        def orders():
            found = doc.find("GET", r"^/api/orders$")
            if not found or "order" not in state:
                return None
            page = api.expect(200, "GET", found[0], token=state["token"])
            items = page.get("items") or []
            if not any(o.get("id") == state["order"]["id"] for o in items):
                raise WalkError("the order list does not show the order")
            return f"{len(items)} order(s)"
        self.step("order list", orders)

        def notifications():
            found = doc.find("GET", r"notification")
            if not found or "token" not in state:
                return None

            def some():
                page = api.expect(200, "GET", found[0], token=state["token"])
                items = page.get("items") or []
                return items if items or "order" not in state else None
            items = self.poll("a notification arrives", some)
            return f"{len(items)} notification(s): {', '.join(str(i.get('title')) for i in items[:3])}"
        self.step("notifications", notifications)

        ran = [r for r in self.results if r[1] == "ok"]
        skipped = [r[0] for r in self.results if r[1] == "skipped"]
        print(f"  walk     {len(ran)} steps passed, {len(skipped)} skipped (routes absent: {', '.join(skipped) or 'none'})",
              flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--admin-token", default=None)
    parser.add_argument("--patience", type=float, default=30.0, help="seconds to wait for eventual effects")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per HTTP request")
    args = parser.parse_args()
    try:
        Walk(Api(args.base, args.timeout), args.admin_token, args.patience).run()
    except WalkError as e:
        print(f"walk failed: {e}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
