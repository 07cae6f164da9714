"""`truce observer ...`: a small reference field client.

It signs reports with the observer's Ed25519 key and sends them; when the
server cannot be reached (or fails), the signed report waits in a local
outbox file (one JSON object a line) and ``truce observer sync`` sends it
later, as does one refused for its token (401, 403: a new token sends it).
A report refused for its content (another 4xx) is not queued: it would be
refused again; it is written to ``<outbox>.rejected`` with the reason.
Because each report carries its own UUID, sending it twice is harmless.
"""

from __future__ import annotations

import json
import math
import os
import uuid
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from ..domain.exceptions import ValidationError
from ..domain.links import http_url
from ..service.signing import generate_key, load_private_key, private_key_pem, sign
from .common import console, err_console, fail

app = typer.Typer(help="Field client: sign, send and queue observer reports.", no_args_is_help=True)

Server = Annotated[str, typer.Option("--server", envvar="TRUCE_SERVER", help="API base URL.")]
Token = Annotated[str, typer.Option("--token", envvar="TRUCE_TOKEN", help="Your API token.")]
Outbox = Annotated[Path, typer.Option("--outbox", help="Where unsent reports wait.")]
DEFAULT_OUTBOX = Path("truce-outbox.jsonl")


def _base_url(server: str) -> str:
    """The server's base URL, http(s) only: anything else is refused before a report is signed."""
    if http_url(server) is None:
        raise ValidationError(f"--server must be an http:// or https:// URL, not {server!r}", field="server")
    return server.rstrip("/")


def _send(server: str, token: str, body: dict[str, Any]) -> tuple[str, str]:
    """('sent' | 'queue' | 'rejected', message)."""
    try:
        response = httpx.post(f"{_base_url(server)}/api/reports", json=body, timeout=30,
                              headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        return "queue", f"server not reachable ({exc.__class__.__name__})"
    if response.status_code == 201:
        replay = " (already received)" if response.headers.get("idempotent-replayed") else ""
        return "sent", f"report {body['id']} received{replay}"
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    if response.status_code >= 500 or response.status_code == 429:
        return "queue", f"server error {response.status_code}: {detail}"
    if response.status_code in (401, 403):
        return "queue", (f"token refused ({response.status_code}): {detail}; get a new token, "
                         "then run `truce observer sync --token NEW`")
    return "rejected", f"refused ({response.status_code}): {detail}"


def _not_finite(value: Any, path: str = "") -> str | None:
    """The path of the first number in ``value`` that is not finite, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return path or "(the body)"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _not_finite(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def _read_report(report: Path) -> dict[str, Any]:
    """The report file as one JSON object of finite numbers (JSON has no NaN
    or Infinity, and a signature covers only what JSON can carry)."""
    try:
        body = json.loads(report.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"cannot read {report} as JSON: {exc}", field="report") from None
    if not isinstance(body, dict):
        raise ValidationError(f"{report} must hold one JSON object", field="report")
    where = _not_finite(body)
    if where is not None:
        raise ValidationError(f"{report}: {where} is not a finite number (NaN, Infinity or too large)",
                              field="report")
    return body


def _read_outbox(path: Path) -> list[dict[str, Any]]:
    """Queued reports, each id once (a report queued twice is sent once)."""
    if not path.exists():
        return []
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return list({item.get("id"): item for item in items}.values())


def _write_lines(path: Path, items: list[dict[str, Any]], *, append: bool = False) -> None:
    """Write queued reports; the file holds exact positions, so only its owner may read it."""
    text = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
    if append:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(text)
        path.chmod(0o600)
        return
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


@app.command()
def keygen(
    key: Annotated[Path, typer.Option("--key", help="Where to write the private key (PEM).")] = Path("observer.key"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing key.")] = False,
) -> None:
    """Make an Ed25519 key pair: the private key stays on the device, the
    public key (KEY.pub) goes to an admin for `truce users key`.

    Example: truce observer keygen --key observer.key

    Example: truce observer keygen --key new.key
    """
    if key.exists() and not force:
        fail(f"{key} exists (use --force to replace it; reports signed with it stop verifying)")
    private, public = generate_key()
    key.write_bytes(private_key_pem(private))
    key.chmod(0o600)
    key.with_name(key.name + ".pub").write_text(public + "\n", "ascii")
    console.print(f"private key {key}; public key {key}.pub:")
    console.print(public, highlight=False)


@app.command()
def submit(
    report: Annotated[Path, typer.Argument(help="The report as JSON (see docs/canonical-form.md).")],
    key: Annotated[Path, typer.Option("--key", help="Your private key (from keygen).")] = Path("observer.key"),
    server: Server = "http://127.0.0.1:8000",
    token: Token = "",
    outbox: Outbox = DEFAULT_OUTBOX,
) -> None:
    """Sign a report and send it; queue it in the outbox if the server is out of reach.

    Example: truce observer submit report.json --key observer.key --server http://hq:8000 --token $T
    """
    body = _read_report(report)
    _base_url(server)
    body.setdefault("id", str(uuid.uuid4()))
    signed = sign(body, load_private_key(key))
    outcome, message = _send(server, token, signed)
    if outcome == "queue":
        _write_lines(outbox, [signed], append=True)
        console.print(f"{message}: report {signed['id']} queued in {outbox}; "
                      "run `truce observer sync` later")
    elif outcome == "rejected":
        rejected = outbox.with_name(outbox.name + ".rejected")
        _write_lines(rejected, [{"report": signed, "reason": message}], append=True)
        fail(f"{message} (the signed report is kept in {rejected})")
    else:
        console.print(message)


@app.command()
def sync(server: Server = "http://127.0.0.1:8000", token: Token = "",
         outbox: Outbox = DEFAULT_OUTBOX) -> None:
    """Send every queued report, oldest first; keep those that still cannot go.

    Example: truce observer sync --server http://hq:8000 --token $T
    """
    _base_url(server)
    queued = _read_outbox(outbox)
    if not queued:
        console.print("outbox empty")
        return
    waiting, rejected, sent = [], [], 0
    for n, body in enumerate(queued):
        outcome, message = _send(server, token, body)
        if outcome == "sent":
            sent += 1
        elif outcome == "rejected":
            rejected.append({"report": body, "reason": message})
            err_console.print(f"report {body.get('id')}: {message}", highlight=False)
        else:
            waiting.extend(queued[n:])  # the server is out of reach: keep the rest, in order
            break
    _write_lines(outbox, waiting)
    if rejected:
        _write_lines(outbox.with_name(outbox.name + ".rejected"), rejected, append=True)
    console.print(f"sent {sent}, still queued {len(waiting)}, refused {len(rejected)}")
    if waiting or rejected:
        raise typer.Exit(1)


@app.command()
def rekey(
    new_key: Annotated[Path, typer.Option("--new-key", help="The new private key (from keygen).")],
    reason: Annotated[str, typer.Option("--reason", help="Why; kept with the change.")],
    name: Annotated[str, typer.Option("--name", help="Your user name.")],
    key: Annotated[Path, typer.Option("--key", help="Your current private key.")] = Path("observer.key"),
    server: Server = "http://127.0.0.1:8000",
    token: Token = "",
) -> None:
    """Replace your signing key: a request signed with the current key, sent to the server.
    Reports signed earlier keep verifying against the old key.

    Example: truce observer rekey --name obs-north-1 --key observer.key --new-key new.key --reason "new phone"
    """
    from ..service.keys import key_request
    from ..service.signing import public_key_text

    current = load_private_key(key)
    request = sign(key_request(name, public_key_text(current), public_key_text(load_private_key(new_key)), reason),
                   current)
    try:
        response = httpx.post(f"{server.rstrip('/')}/api/users/me/key", json=request, timeout=30,
                              headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        fail(f"server not reachable ({exc.__class__.__name__}); nothing changed, try again")
    if response.status_code != 200:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text
        fail(f"refused ({response.status_code}): {detail}")
    console.print(f"{name} now signs with {response.json()['public_key']} (from {response.json()['valid_from']}); "
                  f"keep {new_key} and retire {key}", highlight=False, soft_wrap=True)
