"""Steps every browser walk takes (users are made with the password ``<name>-pass-2026``)."""


def login(page, base, name="clerk"):
    """Log in to the admin as ``name``, from a clean session."""
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", f"{name}-pass-2026")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
