"""What a person does in the browser, shared by the browser tests."""

from playwright.sync_api import Page

from tests.factories import PASSWORD


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Through the login form, as a person would; waits for the dashboard."""
    page.goto("/connexion/")
    page.get_by_label("Courriel", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
