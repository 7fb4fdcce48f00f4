"""bin/serve runs the guide and the mail worker together; with no SMTP server set, mail
lands in the mail folder as .eml files a newcomer can open."""

import email
import os
import signal
import subprocess
import tempfile
import time
from email import policy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

from tests.e2e.conftest import _database_url, _free_port, _wait_until_up


@pytest.fixture(scope="module")
def served(live_url):
    """bin/serve on its own port, on the browser tests' database (seeded by live_url)."""
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="guide-mail-")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "STATIC_ROOT": tempfile.mkdtemp(prefix="guide-static-"),
        "SECRET_KEY": "serve-test-only-" + "x" * 40,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "MAIL_FOLDER": folder,
        "MAIL_POLL_SECONDS": "1",
        "FORM_MIN_SECONDS": "1",
        "WEB_CONCURRENCY": "1",
        "CONN_MAX_AGE": "0",
    }
    env.pop("EMAIL_HOST", None)
    log = Path(folder, "serve.log")
    # Its output goes to a file: a full pipe would stall the server.
    with log.open("w") as output:
        process = subprocess.Popen(
            ["bin/serve"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    process.log = log
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/healthz", process, seconds=120)
        yield base, Path(folder), process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def test_bin_serve_serves_the_guide_and_its_worker_writes_mail_to_the_folder(browser, served):
    base, folder, process = served
    page = browser.new_page()
    page.goto(f"{base}/fr/clusters/vitagora/")
    page.get_by_role("link", name="Demander une mise en relation").click()
    page.get_by_label("Votre nom").fill("Jean Thériault")
    page.get_by_label("Votre organisation").fill("Coopérative de l’Île")
    page.locator("#id_country").select_option("PM")
    page.get_by_label("Votre adresse e-mail").fill("jean@cooperative.example")
    page.get_by_label("Que recherchez-vous ?").fill("Des partenaires pour nos produits.")
    page.get_by_label("Plus tard, ou pas encore décidé").check()
    page.get_by_label("J’accepte que la CACIMA utilise ces informations").check()
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Envoyer ma demande").click()
    reference = page.locator(".reference").inner_text()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    page.close()

    # The worker may first send mail other browser tests left in the queue.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        messages = [
            email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in folder.glob("*.eml")
        ]
        ours = [m for m in messages if reference in m["Subject"]]
        if len(ours) == 2:
            break
        time.sleep(0.5)
    subjects = {message["To"]: message["Subject"] for message in ours}
    assert subjects["jean@cooperative.example"] == (
        f"Votre demande de mise en relation {reference}"
    )
    assert reference in subjects[settings.STAFF_INBOX_EMAIL]

    # Stopping bin/serve stops both the web server and the worker.
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    output = process.log.read_text()
    assert "web.1 stopped" in output and "worker.1 stopped" in output
