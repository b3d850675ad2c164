"""The browser sees a working page: styles and htmx load, no CSP violations."""

from __future__ import annotations

import pytest

from learnloop.people.services import person_create
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_and_home_without_console_errors(page):
    person_create(username="ada", email="ada@example.org", password="Journey-passphrase-1")
    log_in(page, "ada", "Journey-passphrase-1")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.csp_errors == []


def test_phone_menu_opens_by_keyboard(phone):
    person_create(username="ben", email="ben@example.org", password="Journey-passphrase-2")
    log_in(phone, "ben", "Journey-passphrase-2")
    menu = phone.get_by_role("button", name="Menu")
    assert phone.locator("#site-nav").is_hidden()
    menu.focus()
    phone.keyboard.press("Enter")
    assert phone.locator("#site-nav").get_by_role("link", name="Learnings").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
