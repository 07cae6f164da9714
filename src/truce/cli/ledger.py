"""`truce ledger ...`: the record of every write, its Merkle tree, signed
checkpoints and witnesses' cosignatures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..domain.exceptions import ValidationError
from ..service import checkpoints, key_audit
from ..service.labels import counted
from ..settings import get_settings
from ..store import actions, causes, ledger, reconcile, safeguards
from ..store.ledger_reads import uncovered
from ..verifier import (
    COSIGNATURE,
    ED25519,
    Checkpoint,
    VerificationFailed,
    Verifier,
    load_vkey,
    unpinned,
    verify_checkpoint,
)
from .common import DbOption, console, err_console, fail, open_engine

app = typer.Typer(help="The tamper-evident ledger.", no_args_is_help=True)

LogKeyFile = Annotated[Path | None, typer.Option(
    "--key", help="The log key file (default: TRUCE_LOG_KEY).", show_default=False)]
VkeyOption = Annotated[str, typer.Option(
    "--log-key", help="The log's verifier key (name+id+key), or a file holding it.")]
WitnessOption = Annotated[list[str] | None, typer.Option(
    "--witness", help="A witness's verifier key, or a file holding it; repeat for each witness.")]


def read_vkey(value: str, want: int | None = None) -> Verifier:
    """A verifier key given inline or in a file, of the kind ``want`` (the
    log's ``ED25519``, a witness's ``COSIGNATURE``); a one-line error otherwise."""
    try:
        return load_vkey(value, kind=want)
    except VerificationFailed as error:
        fail(f"{error} (give the key or the .pub file `truce ledger keygen` wrote)")


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        return Checkpoint.parse(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"cannot read checkpoint {path}: {error.strerror}")
    except (VerificationFailed, UnicodeDecodeError) as error:
        fail(f"{path}: {error} (fetch it again from /api/ledger/checkpoint)")


def _log_signer(key: Path | None) -> checkpoints.Signer:
    key = key or get_settings().log_key
    if key is None:
        raise ValidationError("no log key: pass --key or set TRUCE_LOG_KEY (create one with "
                              "`truce ledger keygen -o log.key`)", field="key")
    return checkpoints.load_key(key)


@app.command()
def verify(
    db: DbOption = None,
    checkpoint_file: Annotated[Path | None, typer.Option(
        "--checkpoint", help="A checkpoint signed earlier: the ledger must still give its root.")] = None,
    log_key: Annotated[str | None, typer.Option(
        "--log-key", help="The log's verifier key (or its file), to check --checkpoint; its name is the "
        "origin the stored cosignatures of each --witness are checked for.")] = None,
    witness: WitnessOption = None,
) -> None:
    """Check the whole record: the safeguard triggers (as the migrations
    define them), every entry's hashes, the chain and the Merkle tree
    (against the stored cosignatures and a checkpoint signed and cosigned
    earlier, if given; with --witness only the stored cosignatures that
    verify with the keys given are trusted, and one in a given witness's
    name that does not is named), then every row of every record table against its
    ledger entry, every row entry beside the action entry that caused it,
    every action one truce writes, then every key and role change (two
    admins, or signed by the key before; no approval with a token its
    proposer issued; an approval signed with a key a cosigned checkpoint
    covered before it, and none unsigned once an admin signs; once an
    admin signs, no admin key one admin registered) and every
    observer report's signature (against the key
    valid when it was received). Names each finding (table, id, field) and
    exits 1 if there is any; warns of the entries no cosigned checkpoint
    covers yet.

    Example: truce ledger verify --checkpoint cosigned.txt --log-key log.key.pub --witness arm-witness.key.pub
    """
    expected = None
    if checkpoint_file is not None:
        if log_key is None:
            fail("--checkpoint needs --log-key (the log's verifier key) to check its signature")
        try:
            note = verify_checkpoint(checkpoint_file.read_text(encoding="utf-8"), read_vkey(log_key, ED25519),
                                     [read_vkey(w, COSIGNATURE) for w in witness or []])
        except OSError as error:
            fail(f"cannot read checkpoint {checkpoint_file}: {error.strerror}")
        except VerificationFailed as error:
            fail(f"{checkpoint_file}: {error}")
        expected = (note.size, note.root)
    witnesses = [read_vkey(w, COSIGNATURE) for w in witness or []]
    origin = _origin(log_key) if witnesses else ""
    findings: list[str] = []
    unexplained: list[str] = []
    strange: list[str] = []
    identity: list[str] = []
    uncovered, bookkeeping = None, ""
    with open_engine(db).connect() as connection, _progress() as bar:
        unguarded = [str(m) for m in safeguards.missing(connection)]
        if witnesses:
            known, impostors = checkpoints.pinned_cosigned_roots(connection, witnesses, origin)
        else:
            known, impostors = checkpoints.unpinned_cosigned_roots(connection)
        entries, _root = ledger.tree_size(connection)
        task = bar.add_task("ledger entries", total=entries)
        check = ledger.verify(connection, checkpoint=expected, known=known,
                              progress=lambda n: bar.update(task, completed=n))
        bar.update(task, completed=entries)
        if check.ok:
            rows = bar.add_task("record rows", total=reconcile.record_count(connection))
            for finding in reconcile.reconcile(connection, progress=lambda n: bar.advance(rows, n)):
                findings.append(str(finding))
            linked = bar.add_task("row entries beside their actions", total=entries)
            unexplained = [str(f) for f in causes.unexplained(connection, progress=lambda n: bar.advance(linked, n))]
            strange = [str(f) for f in actions.unknown(connection)]
            signed = bar.add_task("keys, roles, signatures", total=key_audit.signed_report_count(connection))
            identity = [str(f) for f in key_audit.audit(connection, progress=lambda n: bar.advance(signed, n),
                                                        cosigned=known)]
            uncovered, bookkeeping = _uncovered(connection, known)
    for line in unguarded:
        err_console.print(f"[bold red]safeguard:[/] {line}", highlight=False, soft_wrap=True)
    for line in impostors:
        err_console.print(f"[bold red]forged:[/] {line}", highlight=False, soft_wrap=True)
    if not check.ok:
        err_console.print(f"[bold red]ledger tampered:[/] {check.reason}",
                          highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if uncovered:
        err_console.print(f"[bold yellow]warning:[/] {uncovered}", highlight=False, soft_wrap=True)
    for line in findings:
        err_console.print(f"[bold red]tampered:[/] {line}", highlight=False, soft_wrap=True)
    if findings:
        err_console.print(f"{len(findings)} rows differ from the ledger; restore them from a backup "
                          "or the ledger and find out who wrote around truce", highlight=False, soft_wrap=True)
    for line in unexplained:
        err_console.print(f"[bold red]forged:[/] {line}", highlight=False, soft_wrap=True)
    if unexplained:
        err_console.print(f"{len(unexplained)} row entries no action entry explains: undo their rows (restore "
                          "from a backup taken before them) and find out who holds the database", highlight=False,
                          soft_wrap=True)
    for line in strange:
        err_console.print(f"[bold red]forged:[/] {line}", highlight=False, soft_wrap=True)
    if strange:
        err_console.print(f"{len(strange)} entries with an action truce never writes: find out who holds the "
                          "database and the log key; a cosigned checkpoint from before them is what to trust",
                          highlight=False, soft_wrap=True)
    for line in identity:
        err_console.print(f"[bold red]identity:[/] {line}", highlight=False, soft_wrap=True)
    if identity:
        err_console.print(f"{len(identity)} key, role or signature findings: a change no second admin "
                          "approved, or a signature that does not verify; find out who made it",
                          highlight=False, soft_wrap=True)
    if findings or unexplained or strange or identity or unguarded or impostors:
        raise typer.Exit(1)
    against = f", matches checkpoint at {expected[0]}" if expected else ""
    covered = "" if uncovered else (
        f"; every entry that changes the record is covered by a cosigned checkpoint ({bookkeeping})" if bookkeeping
        else "; every entry is covered by a cosigned checkpoint")
    # the stored cosignatures vouch for keys and entries whether or not they cover the tail
    trusted = "" if witnesses or not known else " (witness keys as stored in the database: pin them with --witness)"
    covered += trusted
    console.print(f"ok: {check.entries} entries, head {check.head}{against}; every record row matches; "
                  "every row entry beside its action; every action one truce writes; every key and role change "
                  f"authorised; every safeguard trigger in place{covered}",
                  highlight=False, soft_wrap=True)


def _uncovered(connection, known: dict[int, tuple[bytes, str]]) -> tuple[str | None, str]:
    """The warning for entries that change the record and no cosigned
    checkpoint (of ``known``, the ones trusted) covers yet, or None; and a
    note of the bookkeeping entries after it that are not counted
    (``ledger_reads.BOOKKEEPING``: webhook delivery attempts), or ""."""
    size = max(known, default=0)
    waiting = uncovered(connection, size)
    bookkeeping = "" if not waiting.bookkeeping else (
        f"{counted(waiting.bookkeeping, 'webhook delivery attempt')} after it, which change no record, "
        "are not counted")
    if not waiting.count:
        return None, bookkeeping
    newest = "no checkpoint has been cosigned"
    if size:
        newest = f"the newest cosigned checkpoint covers {size}, {known[size][1]}"
    also = f"; {bookkeeping}" if bookkeeping else ""
    return (f"entries {waiting.first}..{waiting.last} ({waiting.count}) are not covered by a cosigned checkpoint "
            f"yet ({newest}{also}): no witness vouches for them, so they rest on this check alone; "
            "sign a checkpoint (`truce ledger checkpoint -o cp.txt`) and ask a witness to cosign it "
            "(`truce ledger cosign cp.txt`)"), bookkeeping


def _origin(log_key: str | None) -> str:
    """The log's origin (what a witness's cosignature covers besides the
    tree): the name of --log-key, else of TRUCE_LOG_KEY's key."""
    if log_key is not None:
        return read_vkey(log_key, ED25519).name
    if get_settings().log_key is not None:
        return _log_signer(None).name
    fail("--witness needs --log-key (the log's verifier key): the log's name is part of what a witness cosigns")


def _progress(*, only_on_a_terminal: bool = False) -> Progress:
    """A transient progress bar on standard error (with ``only_on_a_terminal``,
    none when standard error is not one: a checkpoint piped on stays exactly the note)."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    console=err_console, transient=True,
                    disable=only_on_a_terminal and not err_console.is_terminal)


@app.command()
def head(db: DbOption = None) -> None:
    """Print the newest entry's number and hash.

    Example: truce ledger head
    """
    with open_engine(db).connect() as connection:
        seq, entry_hash = ledger.head(connection)
    console.print(f"{seq} {entry_hash}", highlight=False)


@app.command()
def keygen(
    output: Annotated[Path, typer.Option("-o", "--output", help="The key file to create (mode 0600).")],
    name: Annotated[str, typer.Option("--name", help="The key's name: the log's origin, or the witness's "
                                      "name, as a schema-less URL.")] = "truce.mission/ledger",
    witness: Annotated[bool, typer.Option("--witness", help="A witness (cosigning) key, not the log's.")] = False,
) -> None:
    """Create an Ed25519 log key (or a witness key) in a file only you can read;
    print its public verifier key (also written to FILE.pub).

    Example: truce ledger keygen -o log.key --name mission.example/ledger

    Example: truce ledger keygen -o arm-witness.key --name arm.example/witness --witness
    """
    verifier = checkpoints.generate_key(output, name, witness=witness)
    console.print(verifier.vkey, highlight=False, soft_wrap=True)


@app.command()
def checkpoint(
    db: DbOption = None, key: LogKeyFile = None,
    size: Annotated[int | None, typer.Option("--size", help="A past tree size (default: now).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write it to a file.")] = None,
) -> None:
    """Print the signed checkpoint of the ledger's tree, with its cosignatures.

    Signs only once the ledger verifies (every entry's hashes, the chain,
    the stored Merkle frontier against the entries, the cosigned
    checkpoints); otherwise says what differs and signs nothing.

    Example: truce ledger checkpoint -o checkpoint.txt
    """
    signer = _log_signer(key)
    with open_engine(db).connect() as connection, _progress(only_on_a_terminal=True) as bar:
        entries, _root = ledger.tree_size(connection)
        task = bar.add_task("checking the ledger before signing", total=entries)
        note = checkpoints.verified_checkpoint(connection, signer, size,
                                               progress=lambda n: bar.update(task, completed=n))
    if output is not None:
        output.write_text(note.text, encoding="utf-8")
    else:
        typer.echo(note.text, nl=False)


@app.command()
def cosign(
    checkpoint_file: Annotated[Path, typer.Argument(help="The log's checkpoint to cosign.")],
    key: Annotated[Path, typer.Option("--key", help="Your witness key file (`truce ledger keygen --witness`).")],
    log_key: VkeyOption,
    since: Annotated[Path | None, typer.Option(
        "--since", help="The checkpoint you cosigned last: this one must extend it.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the cosigned checkpoint to a "
                                                "file (default: print it).")] = None,
    db: DbOption = None,
) -> None:
    """As a witness: check the log's signature and that the checkpoint extends
    the one you cosigned last (your cosignature stored with the ledger, and
    --since, the one you kept), cosign it (C2SP tlog-cosignature/v1) and store
    the cosignature with the ledger; prints the cosigned checkpoint. A
    conflicting history is refused, and a stored cosignature is never
    replaced (the same checkpoint again changes nothing).

    Example: truce ledger cosign checkpoint.txt --key arm-witness.key --log-key log.key.pub -o cosigned.txt
    """
    witness = checkpoints.load_key(key, witness=True)
    log = read_vkey(log_key, ED25519)
    note = read_checkpoint(checkpoint_file)
    previous = read_checkpoint(since) if since is not None else None
    now = datetime.now(UTC)
    with open_engine(db).begin() as connection:
        if previous is None and checkpoints.last_cosigned(connection, witness.verifier, note.origin) is None:
            err_console.print(f"[bold yellow]warning:[/] {witness.name} has no earlier cosignature of its own "
                              "stored here and no --since was given: this checkpoint cannot be checked for "
                              "consistency with anything you have seen (a rewritten history would look the same); "
                              "pass --since with the last checkpoint you cosigned (the file you kept)",
                              highlight=False, soft_wrap=True)
        signature, new = checkpoints.witness_cosign(connection, note, witness, log, now, since=previous)
    if not new:
        err_console.print(f"{witness.name} had already cosigned this checkpoint of {note.size} entries: "
                          "the stored cosignature is kept", highlight=False, soft_wrap=True)
    cosigned = Checkpoint(note.origin, note.size, note.root, note.extensions,
                          (*[s for s in note.signatures if s.name != witness.name], signature))
    if output is not None:
        output.write_text(cosigned.text, encoding="utf-8")
        console.print(f"cosigned checkpoint of {note.size} entries written to {output}", highlight=False)
    else:
        typer.echo(cosigned.text, nl=False)


@app.command()
def check(
    checkpoint_file: Annotated[Path, typer.Argument(help="A checkpoint (signed note).")],
    log_key: VkeyOption,
    witness: WitnessOption = None,
) -> None:
    """Check a checkpoint's log signature and each named witness's cosignature, offline.

    Example: truce ledger check cosigned.txt --log-key log.key.pub --witness arm-witness.key.pub
    """
    log = read_vkey(log_key, ED25519)
    witnesses = [read_vkey(w, COSIGNATURE) for w in witness or []]
    try:
        text = checkpoint_file.read_text(encoding="utf-8")
        note = verify_checkpoint(text, log, witnesses)
    except OSError as error:
        fail(f"cannot read checkpoint {checkpoint_file}: {error.strerror}")
    except VerificationFailed as error:
        fail(str(error))
    names = ", ".join(w.name for w in witnesses) or "no witness named (pass --witness)"
    console.print(f"ok: {note.origin} at {note.size} entries, signed by the log; cosigned by {names}",
                  highlight=False, soft_wrap=True)


def export_bundle(day_text: str | None, output: str, since: Path | None, key: Path | None, db: str | None) -> None:
    """`truce export bundle`: a day's published records with their proofs."""
    import json

    from ..service.bundles import export_bundle as build
    from .common import parse_day, unit_of_work

    day = parse_day(day_text, "date")
    if day is None:
        fail("a bundle is of one day: give --date YYYY-MM-DD")
    if output == "-":
        fail("a bundle goes to a file: give -o FILE")
    signer = _log_signer(key)
    earlier = read_checkpoint(since) if since is not None else None
    with unit_of_work(db) as uow:
        bundle = build(uow, day, get_settings().tz, signer, earlier)
    try:
        Path(output).write_text(json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror}")
    cosigned = "" if bundle["witness_keys"] else (
        f" (no witness has cosigned this tree yet, which holds the day's manifest as entry "
        f"{bundle['manifest']['entry']['seq']}: ask one to cosign `truce ledger checkpoint`, then export again)")
    err_console.print(f"Wrote {len(bundle['records'])} records of {day} with proofs to {output}{cosigned}.",
                      highlight=False, soft_wrap=True)


def verify_bundle_command(
    bundle: Annotated[Path, typer.Argument(help="A bundle from `truce export bundle`.")],
    since: Annotated[Path | None, typer.Option(
        "--since", help="A checkpoint you saw earlier: the bundle's must extend it.")] = None,
    log_key: Annotated[str | None, typer.Option(
        "--log-key", help="The log's verifier key you trust (default: the bundle's own, with a warning "
        "that it shows only that the bundle is self-consistent).")] = None,
    witness: WitnessOption = None,
) -> None:
    """Check a bundle offline, with no database: every record against its
    ledger entry, every entry's inclusion proof, the checkpoint's signature
    and cosignatures, and (with --since) that the log only grew since the
    checkpoint you saw.

    The first export of a day commits the day's manifest to the ledger; once
    a witness has cosigned a checkpoint covering it, the export again is
    the bundle that verifies with that witness.

    Example: truce export bundle --date 2020-10-14 -o 2020-10-14.bundle.json

    Example: truce ledger checkpoint -o day-checkpoint.txt

    Example: truce ledger cosign day-checkpoint.txt --key arm-witness.key --log-key log.key.pub

    Example: truce export bundle --date 2020-10-14 --since checkpoint.txt -o 2020-10-14.bundle.json

    Example: truce verify 2020-10-14.bundle.json --since checkpoint.txt --log-key log.key.pub --witness
        arm-witness.key.pub
    """
    import json

    from ..verifier import load_bundle_json, verify_bundle

    try:
        data = load_bundle_json(bundle.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"cannot read bundle {bundle}: {error.strerror}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(f"{bundle} is not a bundle ({error.__class__.__name__}); export it again with `truce export bundle`")
    except VerificationFailed as error:
        fail(f"{bundle}: {error}")
    try:
        earlier = since.read_text(encoding="utf-8") if since is not None else None
    except OSError as error:
        fail(f"cannot read checkpoint {since}: {error.strerror}")
    try:
        check = verify_bundle(data, log_key=read_vkey(log_key, ED25519) if log_key is not None else None,
                              witnesses=[read_vkey(w, COSIGNATURE) for w in witness] if witness else None,
                              since=earlier)
    except VerificationFailed as error:
        fail(f"{bundle}: {error}")
    trust = unpinned(log_key is not None, bool(witness))
    extends = f"; extends the checkpoint at {check.since} entries" if check.since is not None else ""
    console.print(f"ok: {check.records} records, all of {check.date} that its manifest lists, each in the tree "
                  f"of {check.checkpoint.size} entries signed by "
                  f"{check.checkpoint.origin} and cosigned by {', '.join(check.witnesses)}{extends}{trust}",
                  highlight=False, soft_wrap=True)
