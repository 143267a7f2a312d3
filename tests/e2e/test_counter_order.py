"""End-to-end: sell one unit at the counter through the real Orderly desktop window.

Run by scripts/e2e.sh, which builds the app with the UI embedded, starts Xvfb and tauri-driver, and
sets these environment variables:

  ORDERLY_E2E_APP            absolute path of the app binary (target/debug/orderly)
  ORDERLY_E2E_WEBDRIVER_URL  tauri-driver's address, e.g. http://127.0.0.1:4444
  ORDERLY_E2E_SHOTS          folder for the screenshots of each step

The app starts on a fresh database and loads the demo shop by itself, behind the open window; the test
waits for that to finish. The scenario:
  1. Inventory: pick the product with the most stock available and read its reserved figure per
     location (searching for its SKU so that every location's row is on screen).
  2. Counter: scan its SKU (type it and press Enter, as a USB scanner does), choose "Pick up at store",
     complete the order (Ctrl+Enter, or the "Complete order" button), read the new order number.
  3. Orders: the new number is in the list.
  4. Inventory: reserved for that SKU went up by exactly 1 at one location, and nowhere else changed.
  5. Fulfilment at the store: the order is on the Ready to pick queue; a pick list, a wrong scan
     refused, the right scan counted, packing finished: ready for pick-up.
  6. Counter: Alt+H, scan the order number, give the name: handed over, the order completed.
  7. A labelled parcel at WH-EAST (the demo's): handed to the carrier, a "delivered" tracking event:
     the shipment is delivered.
  8. A packed parcel at WH-EAST: its label panel shows rate quotes from the demo's rate cards.
  9. Returns: the counter order is returned from its order page (drop-off), a wrong scan refused, the
     unit scanned back, the refund confirmed: the return is closed and the order returned.
 9b. Customer: from the returned order's page (or, for a walk-in order, from the demo's refunded
     return at WH-EAST and its order), open the customer: their timeline shows the return and the
     refund with the order's number ("Load more" while they are further back).
 10. Exchange: the demo's return expected at ST-BKLYN is exchanged for the same item; the
     replacement order exists and holds a reservation.

Prints `e2e: 1 passed, 0 failed` (or `0 passed, 1 failed`) as its last line and exits 0 or 1.
"""

from __future__ import annotations

import os
import re
import sys
import time
import traceback
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.webelement import WebElement

APP = os.environ["ORDERLY_E2E_APP"]
WEBDRIVER_URL = os.environ.get("ORDERLY_E2E_WEBDRIVER_URL", "http://127.0.0.1:4444")
SHOTS = Path(os.environ.get("ORDERLY_E2E_SHOTS", "target/e2e-shots"))

SCAN_INPUT = "input[aria-label='Scan or type SKU or barcode']"
INVENTORY_ROW = "[data-testid='inventory-row']"
ORDER_ROW = "[data-testid='order-row']"
CREATED_NUMBER = "[data-testid='created-order-number']"
GRID_TOTAL = "[data-testid='grid-total']"
INVENTORY_SEARCH = "input[aria-label='Search inventory']"
PICKUP_LABEL = "//label[normalize-space(.)='Pick up at store']"
DEMO_DONE = "//*[@aria-label='Status']//*[normalize-space(.)='Demo data']"
DEMO_LOADING = "//*[@aria-label='Status']//*[contains(normalize-space(.), 'Loading the demo shop')]"

# Generous: the first start creates the database and loads the demo shop.
APP_READY_TIMEOUT = 60.0
STEP_TIMEOUT = 20.0
# Loading the demo shop (hundreds of products, a thousand past orders) in a debug build on 2 cores.
DEMO_TIMEOUT = 300.0


class Failure(Exception):
    """A check of the scenario did not hold; the message says which and what was seen."""


def log(msg: str) -> None:
    print(f"e2e: {msg}", flush=True)


def wait_for(what: str, fn, timeout: float = STEP_TIMEOUT, interval: float = 0.2):
    """Call fn until it returns something truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = fn()
            if value:
                return value
        except (StaleElementReferenceException, WebDriverException) as e:
            last_error = e
        if time.monotonic() > deadline:
            detail = f" (last error: {type(last_error).__name__}: {last_error})" if last_error else ""
            raise Failure(f"timed out after {timeout:.0f}s waiting for {what}{detail}")
        time.sleep(interval)


class Scenario:
    def __init__(self, driver: webdriver.Remote):
        self.d = driver
        self.shot_no = 0

    # --- helpers ------------------------------------------------------------------------------

    def shot(self, name: str) -> None:
        self.shot_no += 1
        path = SHOTS / f"{self.shot_no:02d}-{name}.png"
        self.d.save_screenshot(str(path))
        log(f"screenshot {path}")

    def visible(self, css: str, root=None) -> list[WebElement]:
        return [e for e in (root or self.d).find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]

    def nav(self, name: str) -> None:
        """Open a screen by its navigation entry (a link, tab or button whose text is `name`)."""
        xp = (
            f"//nav//*[self::a or self::button or @role='link' or @role='tab' or @role='menuitem']"
            f"[normalize-space(.)='{name}']"
            f" | //*[self::a or @role='link' or @role='tab'][normalize-space(.)='{name}']"
        )

        def find():
            els = [e for e in self.d.find_elements(By.XPATH, xp) if e.is_displayed()]
            return els[0] if els else None

        wait_for(f'navigation entry "{name}"', find).click()

    def text(self, el: WebElement) -> str:
        # textContent also works for cells scrolled out of view, where .text is empty.
        return " ".join((el.get_attribute("textContent") or "").split())

    # --- inventory reading ----------------------------------------------------------------------

    def column_index(self, label: str) -> int | None:
        """Index of the inventory table's header cell whose text is `label` (case-insensitive)."""
        headers = self.d.find_elements(By.CSS_SELECTOR, "thead th, [role='columnheader']")
        for i, h in enumerate(headers):
            if self.text(h).strip().lower() == label.lower():
                return i
        return None

    def cell(self, row: WebElement, key: str) -> str | None:
        """The text of `row`'s cell for column `key` (reserved, available, ...)."""
        for css in (
            f"[data-testid='inventory-{key}']",
            f"[data-testid='{key}']",
            f"[data-col='{key}']",
            f"[data-column='{key}']",
            f"[data-field='{key}']",
        ):
            found = row.find_elements(By.CSS_SELECTOR, css)
            if found:
                return self.text(found[0])
        attr = row.get_attribute(f"data-{key}")
        if attr is not None:
            return attr
        idx = self.column_index(key)
        if idx is not None:
            cells = row.find_elements(By.CSS_SELECTOR, "td, [role='cell'], [role='gridcell']")
            if idx < len(cells):
                return self.text(cells[idx])
        return None

    @staticmethod
    def number(s: str | None) -> int | None:
        """A count as the UI prints it (Intl: `1,234`); None for no number (e.g. a dash)."""
        if s is None:
            return None
        m = re.search(r"-?\d[\d,.\u00a0\u202f ]*", s)
        return int(re.sub(r"[^\d-]", "", m.group(0))) if m else None

    def inventory_rows(self) -> list[dict]:
        rows = []
        for r in self.d.find_elements(By.CSS_SELECTOR, INVENTORY_ROW):
            rows.append(
                {
                    "sku": r.get_attribute("data-sku"),
                    "location": r.get_attribute("data-location"),
                    "reserved": self.number(self.cell(r, "reserved")),
                    "available": self.number(self.cell(r, "available")),
                }
            )
        return rows

    def grid_total(self) -> int | None:
        found = self.d.find_elements(By.CSS_SELECTOR, GRID_TOTAL)
        return self.number(self.text(found[0])) if found else None

    def open_inventory(self) -> list[dict]:
        """Open Inventory and return the rows it shows once they have loaded."""
        self.nav("Inventory")
        return wait_for(
            "inventory rows with a SKU, a location and a reserved figure",
            lambda: [r for r in self.inventory_rows() if r["sku"] and r["location"] and r["reserved"] is not None],
        )

    def inventory_of(self, sku: str) -> dict[str, int]:
        """Reserved per location for `sku`: search for it on Inventory, wait until every match is on
        screen (the grid's count equals the rows drawn, twice in a row), and read them."""
        self.open_inventory()
        box = wait_for("the inventory search box", lambda: (self.visible(INVENTORY_SEARCH) or [None])[0])
        box.click()
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.DELETE)
        box.send_keys(sku)
        previous: list = []

        def settled():
            nonlocal previous
            rows = self.inventory_rows()
            mine = sorted((r["location"], r["reserved"]) for r in rows if r["sku"] == sku)
            complete = bool(mine) and self.grid_total() == len(rows) and all(v is not None for _, v in mine)
            same = complete and mine == previous
            previous = mine if complete else []
            return dict(mine) if same else None

        return wait_for(f"the inventory rows of {sku} after searching for it", settled, interval=0.5)

    # --- the scenario ---------------------------------------------------------------------------

    def run(self) -> None:
        log("waiting for the app window")

        def app_loaded():
            url = self.d.current_url or ""
            if url.startswith("http://localhost") or url.startswith("http://127.0.0.1"):
                # A plain `cargo build` makes a dev build, which loads the Vite dev server (devUrl).
                raise Failure(
                    f"the app loads {url}, the dev server: {APP} is a dev build without the UI embedded; "
                    "build it with `cargo build -p orderly-desktop --features custom-protocol`"
                )
            return self.d.execute_script("return document.readyState") == "complete" and self.d.find_elements(
                By.XPATH, "//nav//*[normalize-space(.)='Inventory']"
            )

        wait_for(
            "the app to load (document ready and an Inventory entry in the navigation)",
            app_loaded,
            timeout=APP_READY_TIMEOUT,
        )
        self.shot("app-started")
        # On first start the window opens at once and the demo shop (products, stock, past orders that
        # reserve stock) loads behind it; the status bar says "Loading the demo shop…" until it is done
        # and "Demo data" after. Reading stock before then would race the demo's own orders.
        t0 = time.monotonic()
        wait_for(
            'the demo shop to finish loading (the status bar\'s "Demo data" badge)',
            lambda: self.d.find_elements(By.XPATH, DEMO_DONE) and not self.d.find_elements(By.XPATH, DEMO_LOADING),
            timeout=DEMO_TIMEOUT,
            interval=0.5,
        )
        log(f"demo shop loaded (waited {time.monotonic() - t0:.1f}s)")

        # 1. Inventory: choose the SKU with the most stock available, read its reserved per location.
        rows = self.open_inventory()
        self.shot("inventory")
        available: dict[str, int] = {}
        for r in rows:
            if r["available"] is not None:
                available[r["sku"]] = available.get(r["sku"], 0) + max(r["available"], 0)
        if not available or max(available.values()) <= 0:
            raise Failure(f"no product with stock available among the {len(rows)} inventory rows shown: {rows[:5]}")
        sku = max(available, key=lambda k: available[k])
        before = self.inventory_of(sku)
        log(f"chose SKU {sku} ({available[sku]} available); reserved before, per location: {before}")
        self.shot("inventory-before")

        # 2. Counter: scan the SKU, make it a pick-up order, complete it. (A take-away sale hands the
        #    goods over at once, so its reservation is shipped straight away; a pick-up order keeps
        #    the unit reserved until it is collected.)
        self.nav("Counter")
        scan = wait_for("the scan input on the Counter screen", lambda: (self.visible(SCAN_INPUT) or [None])[0])
        scan.click()
        scan.send_keys(sku)
        scan.send_keys(Keys.ENTER)
        wait_for(
            f"an order line for {sku} after the scan",
            lambda: self.d.find_elements(By.CSS_SELECTOR, f"tr[data-line-row][data-sku='{sku}']"),
        )
        pickup = wait_for(
            'the "Pick up at store" choice',
            lambda: (self.visible("input[type='radio'][value='pickup']") or [None])[0],
        )
        if not pickup.is_selected():
            wait_for('the label "Pick up at store"', lambda: self.d.find_elements(By.XPATH, PICKUP_LABEL))[0].click()
        wait_for('"Pick up at store" to be selected', lambda: pickup.is_selected(), timeout=5.0)
        store = wait_for(
            "a pick-up store to be chosen",
            lambda: self.d.execute_script(
                "const l = [...document.querySelectorAll('label')].find(e => e.textContent.trim() === 'Pick-up store');"
                "const s = l && document.getElementById(l.htmlFor); return s && s.value;"
            ),
        )
        log(f"pick-up order at store {store}")
        self.shot("counter-line-added")

        # The focus is inside the order form: Ctrl+Enter completes the order.
        ActionChains(self.d).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        try:
            created = wait_for(
                "the created order number after Ctrl+Enter",
                lambda: [e for e in self.visible(CREATED_NUMBER) if self.text(e)],
                timeout=5.0,
            )
        except Failure:
            alerts = [self.text(a) for a in self.visible("[role='alert']")]
            log(f'Ctrl+Enter did not complete the order (alerts: {alerts}); clicking "Complete order"')
            button = wait_for(
                'the "Complete order" button',
                lambda: [
                    b
                    for b in self.d.find_elements(By.XPATH, "//button[contains(normalize-space(.), 'Complete order')]")
                    if b.is_displayed() and b.is_enabled()
                ],
            )[0]
            button.click()
            try:
                created = wait_for(
                    "the created order number after Complete order",
                    lambda: [e for e in self.visible(CREATED_NUMBER) if self.text(e)],
                )
            except Failure as e:
                alerts = [self.text(a) for a in self.visible("[role='alert']")]
                raise Failure(f"{e}; alerts on screen: {alerts}") from None
        number = self.text(created[0])
        log(f"created order {number}")
        self.shot("counter-order-created")

        # 3. Orders: the new order is listed.
        self.nav("Orders")

        def order_listed():
            for r in self.d.find_elements(By.CSS_SELECTOR, ORDER_ROW):
                if r.get_attribute("data-number") == number or number in self.text(r):
                    return r
            return None

        wait_for(f"order {number} in the Orders list", order_listed)
        log(f"order {number} is listed on Orders")
        self.shot("orders-list")

        # 4. Inventory: reserved went up by exactly 1 at one location for that SKU, nowhere else changed.
        after = self.inventory_of(sku)
        grew = [loc for loc in after if after[loc] == before.get(loc, 0) + 1]
        unchanged = all(after.get(loc) == before[loc] for loc in before if loc not in grew)
        self.shot("inventory-after")
        if len(grew) != 1 or not unchanged:
            raise Failure(f"reserved for {sku} did not go up by exactly 1 at one location: before {before}, after {after}")
        log(f"reserved for {sku}: {before} -> {after} (+1 at {grew[0]})")

        # 5. Fulfilment at the store: pick the pick-up order, scan its unit, it becomes ready.
        self.fulfil_pickup(number, sku, store)
        # 6. Counter hand-over: scan the order number, give the name, the order is completed.
        self.hand_over(number)
        # 7. A parcel from the warehouse: handed to the carrier, tracked to the door.
        self.ship_and_deliver()
        # 8. A packed parcel gets rate quotes from the demo's rate cards on its label panel.
        self.rate_quotes()
        # 9. The customer brings the counter order back: a return from the order page, the unit
        #    scanned back into stock, the refund confirmed; the order becomes returned.
        self.return_and_refund(number, sku)
        # 9b. From the returned order's page, its customer: the customer's timeline shows the return
        #     and the refund with the order's number (a walk-in counter order has no customer: then
        #     the demo's refunded return at WH-EAST is followed to its order and customer instead).
        self.customer_timeline(number)
        # 10. The demo's return waiting at the Brooklyn store is exchanged for the same item.
        self.exchange()

    def return_and_refund(self, number: str, sku: str) -> None:
        self.go(f"/orders/{number}")
        start = wait_for(
            'the "Start return" link',
            lambda: next(
                (e for e in self.d.find_elements(By.XPATH, "//*[self::a or self::button][normalize-space(.)='Start return']") if e.is_displayed()),
                None,
            ),
        )
        self.press(start)
        qty = wait_for("the return quantity of line 1", lambda: (self.visible("input[aria-label='Return qty line 1']") or [None])[0])
        qty.send_keys(Keys.CONTROL, "a")
        qty.send_keys("1")
        drop = wait_for(
            'the "Drop off" method',
            lambda: next((l for l in self.d.find_elements(By.XPATH, "//label[normalize-space(.)='Drop off']") if l.is_displayed()), None),
        )
        self.press(drop)
        wait_for(
            "the policy preview to allow the return",
            lambda: [b for b in self.visible("[aria-label='Preview'] .mantine-Badge-root") if "allowed" in self.text(b).lower()],
        )
        self.shot("return-start-preview")
        self.press(self.button("Authorize return"))
        title = wait_for(
            "the new return's page",
            lambda: next((t for t in self.visible("h2") if re.match(r"R-\d+-\d+$", self.text(t))), None),
        )
        ret = self.text(title)
        log(f"{number}: return {ret} authorised")
        scan = wait_for("the return's scan box", lambda: (self.visible("input[aria-label='Scan an item']") or [None])[0])
        scan.send_keys("NOT-A-PRODUCT", Keys.ENTER)
        wait_for("the wrong-scan message on the return", lambda: [a for a in self.visible("[role='alert']") if "NOT-A-PRODUCT" in self.text(a)])
        scan = wait_for("the return's scan box", lambda: (self.visible("input[aria-label='Scan an item']") or [None])[0])
        scan.send_keys(sku, Keys.ENTER)
        wait_for("every unit of the return received", lambda: [e for e in self.visible("p, div") if self.text(e) == "Every authorised unit is received."])
        self.shot("return-received")
        self.press(self.button("Refund…"))
        confirm = wait_for(
            "the refund confirmation",
            lambda: next(
                (b for b in self.d.find_elements(By.XPATH, "//*[@role='dialog']//button[starts-with(normalize-space(.), 'Refund ')]") if b.is_displayed()),
                None,
            ),
        )
        amount = self.text(confirm)
        self.shot("return-refund-confirm")
        self.press(confirm)
        wait_for("the refund in the return's refunds", lambda: self.visible("table[aria-label='Refunds'] tbody tr"))
        wait_for("the return to be closed", lambda: [b for b in self.visible(".mantine-Badge-root") if self.text(b).lower() == "closed"])
        self.shot("return-refunded")
        self.go(f"/orders/{number}")
        wait_for(f"{number} to be returned", lambda: [b for b in self.visible(".mantine-Badge-root") if self.text(b).lower() == "returned"])
        self.shot("order-returned")
        log(f"{ret}: received back into stock, {amount.lower()} refunded, {number} returned")

    def customer_link(self):
        """The order page's link to its customer's page, or None for a walk-in order."""
        links = [a for a in self.visible("a[href*='/customers/']") if self.text(a)]
        return links[0] if links else None

    def customer_timeline(self, number: str) -> None:
        self.go(f"/orders/{number}")
        wait_for(f"{number}'s page", lambda: [t for t in self.visible("h2") if number in self.text(t)])
        # The customer section is drawn with the order: a missing link means a walk-in order.
        link = self.customer_link()
        if link is None:
            log(f"{number} is a walk-in order: following the demo's refunded return at WH-EAST to its customer")
            self.go("/returns?loc=WH-EAST&tab=recent")
            # Not the return just made of this walk-in order (R-<its digits>-n): the demo's own.
            own = f"R-{number.split('-')[-1]}-"
            ret_link = wait_for(
                "a recent return at WH-EAST of another order",
                lambda: next(
                    (a for a in self.visible("table[aria-label='Returns'] a") if self.text(a).startswith("R-") and not self.text(a).startswith(own)),
                    None,
                ),
            )
            self.press(ret_link)
            order_link = wait_for(
                "the return's order link",
                lambda: next((a for a in self.visible("a[href*='/orders/SO-']") if self.text(a).startswith("SO-")), None),
            )
            number = self.text(order_link)
            self.press(order_link)
            wait_for(f"{number}'s page", lambda: [t for t in self.visible("h2") if number in self.text(t)])
            link = wait_for(f"{number}'s customer link", self.customer_link)
        name = self.text(link)
        self.press(link)
        wait_for(f"{name}'s page", lambda: [t for t in self.visible("h2") if self.text(t) == name])
        timeline = wait_for("the customer's timeline", lambda: (self.visible("section[aria-label='Timeline']") or [None])[0])

        def entries() -> list[str]:
            return [self.text(e) for e in timeline.find_elements(By.CSS_SELECTOR, "[data-testid='timeline-entry']")]

        def story():
            mine = [e for e in entries() if number in e]
            has_return = any(re.search(r"return (authorized|received)", e) for e in mine)
            has_refund = any("Refunded" in e for e in mine)
            return mine if has_return and has_refund else None

        found = None
        for _ in range(10):
            try:
                found = wait_for(f"the return and refund of {number} on {name}'s timeline", story, timeout=5.0)
                break
            except Failure:
                more = [b for b in timeline.find_elements(By.XPATH, ".//button[normalize-space(.)='Load more']") if b.is_displayed()]
                if not more:
                    raise
                self.press(more[0])
        if not found:
            raise Failure(f"{name}'s timeline shows no return and refund of {number}: {entries()[:10]}")
        stats = [self.text(c) for c in self.visible("[role='group']")]
        self.shot("customer-timeline")
        log(f"{name}: {len(found)} timeline entries of {number} (return and refund among them); figures {stats}")

    def exchange(self) -> None:
        self.go("/returns?loc=ST-BKLYN&tab=expected")
        link = wait_for(
            "a return expected at ST-BKLYN",
            lambda: next((a for a in self.visible("table[aria-label='Returns'] a") if self.text(a).startswith("R-")), None),
        )
        ret = self.text(link)
        self.shot("returns-expected-at-store")
        self.press(link)
        cell = wait_for("the return's lines", lambda: self.visible("table[aria-label='Return lines'] tbody tr td:nth-child(2)"))
        sku = self.text(cell[0]).split(" ")[0]
        item = wait_for("the exchange's item field", lambda: self.labelled("Item to send (SKU or barcode)"))
        item.send_keys(sku, Keys.ENTER)
        wait_for(f"{sku} in the items to send", lambda: [r for r in self.visible("table[aria-label='Items to send'] tbody tr") if sku in self.text(r)])
        self.press(self.button("Create exchange"))
        done = wait_for("the exchange's settlement", lambda: self.visible("[data-testid='settlement']"))
        text = self.text(done[0])
        self.shot("return-exchanged")
        new = re.search(r"SO-\d+", text)
        if not new:
            raise Failure(f"the exchange of {ret} names no new order: {text!r}")
        self.go(f"/orders/{new.group(0)}")
        wait_for(
            f"the replacement order {new.group(0)} reserved for {sku}",
            lambda: [r for r in self.visible("tr") if sku in self.text(r) and "reserved" in self.text(r).lower()],
        )
        self.shot("exchange-order")
        log(f"{ret}: exchanged for {sku}; replacement order {new.group(0)} reserved ({text[:100]})")

    def rate_quotes(self) -> None:
        self.go("/fulfilment?loc=WH-EAST&tab=packed")
        row = wait_for(
            "a packed shipment at WH-EAST",
            lambda: next(iter(self.visible("[data-testid^='shipment-SO-']")), None),
        )
        shipment = (row.get_attribute("data-testid") or "").removeprefix("shipment-")
        self.go(f"/fulfilment/shipments/{shipment}")
        quotes = wait_for(
            "rate quotes on the label panel",
            lambda: [q for q in self.visible("[data-testid='quotes']") if "cheapest" in self.text(q).lower()],
        )
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", quotes[0])
        self.shot("fulfilment-rate-quotes")
        log(f"{shipment}: {self.text(quotes[0])[:120]}")

    def go(self, hash_path: str) -> None:
        """Open a screen by its address (the app uses hash routing)."""
        self.d.execute_script(f"window.location.hash = {hash_path!r};")

    def button(self, label: str):
        xp = f"//button[starts-with(normalize-space(.), {label!r})]"
        return wait_for(
            f'the "{label}" button',
            lambda: next((b for b in self.d.find_elements(By.XPATH, xp) if b.is_displayed() and b.is_enabled()), None),
        )

    def press(self, el: WebElement) -> None:
        """Click a control; when a passing notification toast covers it, click it through the page."""
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
        try:
            el.click()
        except WebDriverException:
            self.d.execute_script("arguments[0].click();", el)

    def labelled(self, text: str):
        """The visible form control whose <label> reads `text`, or None."""
        for l in self.d.find_elements(By.XPATH, f"//label[normalize-space(.)={text!r}]"):
            target = l.get_attribute("for")
            if target:
                found = self.d.find_elements(By.ID, target)
                if found and found[0].is_displayed():
                    return found[0]
        return None

    def status_is(self, words: str) -> None:
        wait_for(
            f'the shipment status "{words}"',
            lambda: any(words.lower() in self.text(e).lower() for e in self.visible("[data-testid='shipment-status']")),
        )

    def fulfil_pickup(self, number: str, sku: str, store: str) -> None:
        self.go(f"/fulfilment?loc={store}&tab=pick")
        box = wait_for(
            f"{number} in the store's Ready to pick queue",
            lambda: (self.visible(f"input[aria-label='Select {number}']") or [None])[0],
        )
        self.shot("fulfilment-ready-to-pick")
        self.d.execute_script("arguments[0].click();", box)
        self.press(self.button("Create pick list (1)"))
        pack = wait_for(
            "the pick list with its Pack link",
            lambda: next(
                (e for e in self.d.find_elements(By.CSS_SELECTOR, f"[aria-label^='Pack {number}-']") if e.is_displayed()),
                None,
            ),
        )
        self.shot("fulfilment-pick-list")
        shipment = (pack.get_attribute("aria-label") or "").removeprefix("Pack ")
        self.press(pack)
        scan = wait_for("the packing scan box", lambda: self.labelled("Scan each item"))
        scan.send_keys("NOT-A-PRODUCT", Keys.ENTER)
        wait_for("the wrong-scan message", lambda: self.visible("[data-testid='scan-error']"))
        self.shot("fulfilment-wrong-scan")
        scan = wait_for("the packing scan box", lambda: self.labelled("Scan each item"))
        scan.send_keys(sku, Keys.ENTER)
        wait_for(
            "the unit to be counted as packed",
            lambda: any(self.text(e).startswith("1 /") for e in self.visible("[data-testid='packed-count']")),
        )
        self.press(self.button("Finish packing"))
        self.status_is("ready for pick-up")
        self.shot("fulfilment-ready-for-pickup")
        log(f"{shipment} packed and ready for pick-up at {store}")

    def hand_over(self, number: str) -> None:
        self.go("/counter")
        wait_for("the Counter screen", lambda: self.visible(SCAN_INPUT))
        ActionChains(self.d).key_down(Keys.ALT).send_keys("h").key_up(Keys.ALT).perform()
        code = wait_for(
            "the hand-over scan box (Alt+H)",
            lambda: (self.visible("input[aria-label='Scan the order barcode or type the order number']") or [None])[0],
        )
        code.send_keys(number, Keys.ENTER)
        name = wait_for(
            "the name field of the hand-over",
            lambda: next(
                (
                    e
                    for e in self.d.find_elements(By.XPATH, "//label[normalize-space(.)='Name the customer gives']")
                    for e in [self.d.find_element(By.ID, e.get_attribute("for"))]
                    if e.is_displayed()
                ),
                None,
            ),
        )
        on_order = " ".join(self.text(e) for e in self.visible("[data-testid='handover-name-on-order']"))
        # A counter pick-up may carry no name: then the clerk records who collects it.
        given = "Walk-in Customer" if not on_order or "no name" in on_order.lower() else on_order
        self.shot("counter-handover-lookup")
        name.send_keys(given, Keys.ENTER)
        done = wait_for("the hand-over to be confirmed", lambda: self.visible("[data-testid='handover-done']"))
        text = self.text(done[0])
        self.shot("counter-handed-over")
        if "completed" not in text.lower():
            raise Failure(f"the hand-over of {number} did not complete the order: {text!r}")
        log(f"{number} handed over: {text}")

    def ship_and_deliver(self) -> None:
        self.go("/fulfilment?loc=WH-EAST&tab=waiting")
        row = wait_for(
            "a labelled shipment waiting for the carrier at WH-EAST",
            lambda: next(iter(self.visible("[data-testid^='shipment-SO-']")), None),
        )
        shipment = (row.get_attribute("data-testid") or "").removeprefix("shipment-")
        self.shot("fulfilment-waiting-for-carrier")
        self.go(f"/fulfilment/shipments/{shipment}")
        self.status_is("labelled")
        self.press(self.button("Handed to carrier"))
        self.status_is("shipped")
        event = wait_for(
            "the tracking event form",
            lambda: next(
                (
                    self.d.find_element(By.ID, l.get_attribute("for"))
                    for l in self.d.find_elements(By.XPATH, "//label[normalize-space(.)='Event']")
                    if l.is_displayed()
                ),
                None,
            ),
        )
        self.d.execute_script(
            "const s = arguments[0]; const o = [...s.options].find(o => /delivered/i.test(o.textContent));"
            "const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;"
            "set.call(s, o.value); s.dispatchEvent(new Event('change', { bubbles: true }));",
            event,
        )
        self.press(self.button("Add tracking event"))
        self.status_is("delivered")
        self.shot("fulfilment-delivered")
        log(f"{shipment} handed to the carrier and delivered")


def main() -> int:
    SHOTS.mkdir(parents=True, exist_ok=True)
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": APP})

    log(f"starting a session for {APP} at {WEBDRIVER_URL}")
    driver = None
    ok = False
    try:
        driver = webdriver.Remote(command_executor=WEBDRIVER_URL, options=options)
        Scenario(driver).run()
        ok = True
        log("counter order: passed")
    except Exception as e:  # noqa: BLE001 - any error fails the scenario; print it whole.
        log(f"counter order: FAILED: {e}")
        if not isinstance(e, Failure):
            traceback.print_exc()
        if driver is not None:
            try:
                driver.save_screenshot(str(SHOTS / "failure.png"))
                (SHOTS / "failure.html").write_text(driver.page_source)
                log(f"failure screenshot and page source in {SHOTS}")
            except Exception:  # noqa: BLE001 - best effort while failing.
                pass
    finally:
        # WebKitWebDriver allows one session at a time: always end it.
        if driver is not None:
            try:
                driver.quit()
            except Exception:  # noqa: BLE001
                pass
    print(f"e2e: {1 if ok else 0} passed, {0 if ok else 1} failed", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
