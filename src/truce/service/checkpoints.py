"""Signed checkpoints of the ledger's Merkle tree and witnesses' cosignatures.

The mission's log key (Ed25519) lives in a file, mode 0600, never in the
database (``TRUCE_LOG_KEY``). A checkpoint is the C2SP tlog-checkpoint of
the tree at some size, signed with it; witnesses (the parties, mediators)
cosign checkpoints with their own keys (C2SP tlog-cosignature/v1) and the
cosignatures are stored beside the ledger and served with the checkpoint.

Key files use the signed-note private key form
``PRIVATE+KEY+<name>+<hex key id>+<base64(type || 32-byte seed)>``, type
0x01 for a log key and 0x04 for a witness key; ``<file>.pub`` holds the
verifier key ``<name>+<hex key id>+<base64(type || public key)>``.
"""

from __future__ import annotations

import base64
import os
import stat
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Connection, insert, select

from ..domain.exceptions import Conflict, LedgerTampered, ValidationError
from ..store import ledger, merkle
from ..store.ledger_reads import LedgerRepository, trusted_cosignatures
from ..store.tables import cosignatures
from ..verifier import (
    COSIGNATURE,
    ED25519,
    Checkpoint,
    Signature,
    VerificationFailed,
    Verifier,
    check_signature,
    cosigned_message,
    verify_consistency,
)

__all__ = [
    "Signer", "checkpoint_at", "checkpoint_of", "cosign", "generate_key", "last_cosigned", "load_key",
    "store_cosignature", "cosigned_roots", "covering_checkpoint", "pinned_cosigned_roots", "unpinned_cosigned_roots",
    "verified_checkpoint", "witness_cosign",
]

_PREFIX = "PRIVATE+KEY+"


@dataclass(frozen=True)
class Signer:
    name: str
    sig_type: int
    private: Ed25519PrivateKey

    @property
    def verifier(self) -> Verifier:
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, self.sig_type, raw)

    def encode(self) -> str:
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        seed = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        material = base64.b64encode(bytes([self.sig_type]) + seed).decode()
        return f"{_PREFIX}{self.name}+{self.verifier.key_id.hex()}+{material}\n"


def _check_name(name: str) -> None:
    if not name or any(ch.isspace() for ch in name) or "+" in name:
        raise ValidationError(f"key name {name!r} must be non-empty, without spaces or '+' "
                              "(e.g. mission.example/ledger)", field="name")


def generate_key(path: Path, name: str, *, witness: bool = False) -> Verifier:
    """Write a new key to ``path`` (mode 0600, never overwriting) and its
    verifier key to ``path.pub``; returns the verifier key."""
    _check_name(name)
    signer = Signer(name, COSIGNATURE if witness else ED25519, Ed25519PrivateKey.generate())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Conflict(f"{path} already exists; keys are never overwritten",
                       field="output", remedy="choose another file") from None
    except OSError as error:
        raise ValidationError(f"cannot write {path}: {error.strerror}", field="output") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(signer.encode())
    Path(f"{path}.pub").write_text(signer.verifier.vkey + "\n")
    return signer.verifier


def load_key(path: Path, *, witness: bool = False) -> Signer:
    """Read a key file; refuses one that others can read, or of the wrong kind."""
    what = "witness key" if witness else "log key"
    try:
        mode = path.stat().st_mode
    except OSError:
        raise ValidationError(f"{what} file {path} does not exist "
                              "(create one with `truce ledger keygen`)", field="key") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValidationError(f"{what} file {path} is readable by others (mode {stat.S_IMODE(mode):o}); "
                              f"run `chmod 600 {path}`", field="key")
    text = path.read_text().strip()
    parts = text[len(_PREFIX):].split("+", 2) if text.startswith(_PREFIX) else []
    try:
        name, hex_id, material = parts
        raw = base64.b64decode(material, validate=True)
        signer = Signer(name, raw[0], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        ok = signer.verifier.key_id.hex() == hex_id
    except (ValueError, IndexError):
        ok = False
    if not ok:
        raise ValidationError(f"{path} is not a truce key file (make one with `truce ledger keygen`)",
                              field="key")
    wanted = COSIGNATURE if witness else ED25519
    if signer.sig_type != wanted:
        raise ValidationError(f"{path} is not a {what} (make one with `truce ledger keygen"
                              f"{' --witness' if witness else ''}`)", field="key")
    return signer


def sign(checkpoint: Checkpoint, signer: Signer) -> Checkpoint:
    """The checkpoint with ``signer``'s log signature first."""
    line = Signature(signer.name, signer.verifier.key_id, signer.private.sign(checkpoint.body.encode()))
    rest = tuple(s for s in checkpoint.signatures if s.name != signer.name)
    return Checkpoint(checkpoint.origin, checkpoint.size, checkpoint.root, checkpoint.extensions, (line, *rest))


def checkpoint_of(log: LedgerRepository, signer: Signer, size: int | None = None) -> Checkpoint:
    """The signed checkpoint of the tree of ``size`` entries (default: all),
    with every cosignature stored for it."""
    current, root = log.tree_size()
    if size is None:
        size = current
        if root != log.root_at(current):  # the head's frontier against the tree's own nodes
            raise LedgerTampered(_NOT_SIGNED + "the stored Merkle frontier does not match the tree's nodes",
                                 remedy=_WHAT_TO_DO)
    elif not 0 <= size <= current:
        raise ValidationError(f"tree size {size} is outside 0..{current}", field="size")
    else:
        root = log.root_at(size)
    cosigs = tuple(Signature.parse(line) for line in log.cosignature_lines(size, root))
    return sign(Checkpoint(signer.name, size, root, (), cosigs), signer)


def checkpoint_at(connection: Connection, signer: Signer, size: int | None = None) -> Checkpoint:
    """``checkpoint_of`` the ledger on ``connection`` (for the commands and
    bundles that hold one)."""
    return checkpoint_of(LedgerRepository(connection), signer, size)


_NOT_SIGNED = "refusing to sign a checkpoint: "
_WHAT_TO_DO = ("a checkpoint would commit the log key to a tree that is not the ledger's; run `truce ledger verify` "
               "to see what differs, restore the database from a backup taken before it, and sign once it verifies")


def verified_checkpoint(connection: Connection, signer: Signer, size: int | None = None, *,
                        progress: Callable[[int], None] | None = None) -> Checkpoint:
    """``checkpoint_at``, once the whole ledger verifies: every entry's hashes
    and leaf, the chain, the stored frontier against the entries, and every
    stored cosigned root (``ledger.verify``); LedgerTampered otherwise. What
    `truce ledger checkpoint` signs: the log key vouches only for a tree the
    entries give."""
    check = ledger.verify(connection, progress=progress, known=cosigned_roots(connection))
    if not check.ok:
        raise LedgerTampered(f"{_NOT_SIGNED}{check.reason}", remedy=_WHAT_TO_DO)
    return checkpoint_at(connection, signer, size)


def cosign(checkpoint: Checkpoint, witness: Signer, log_key: Verifier, now: datetime, *,
           previous: Checkpoint | None = None, proof: list[bytes] | None = None) -> Signature:
    """A witness's tlog-cosignature/v1 of ``checkpoint``, after checking the
    log's signature and, given the ``previous`` checkpoint it cosigned, that
    this one extends it (``proof``: the consistency proof between them)."""
    try:
        check_signature(checkpoint, log_key)
        if previous is not None:
            verify_consistency(previous.size, checkpoint.size, previous.root, checkpoint.root, proof or [])
    except VerificationFailed as error:
        raise ValidationError(f"refusing to cosign: {error}") from None
    timestamp = int(now.timestamp())
    signature = witness.private.sign(cosigned_message(checkpoint.body, timestamp))
    return Signature(witness.name, witness.verifier.key_id, struct.pack(">Q", timestamp) + signature)


def store_cosignature(connection: Connection, checkpoint: Checkpoint, witness: Verifier,
                      signature: Signature, now: datetime) -> Signature:
    """Keep a verified cosignature of a checkpoint of this ledger; returns the
    one kept. Refuses a cosignature of a root this ledger never had, and never
    replaces one: the witness's cosignature of the same tree already stored is
    kept as it is (identical checkpoint: a no-op); of another root, or with
    another key under the same name, it is refused."""
    try:
        check_signature(Checkpoint(checkpoint.origin, checkpoint.size, checkpoint.root,
                                   checkpoint.extensions, (signature,)), witness)
    except VerificationFailed as error:
        raise ValidationError(str(error), field="cosignature") from None
    current, _root = ledger.tree_size(connection)
    if checkpoint.size > current or merkle.root_at(connection, checkpoint.size) != checkpoint.root:
        raise Conflict(f"the cosigned checkpoint (size {checkpoint.size}) is not one of this ledger's",
                       field="checkpoint")
    stored = connection.execute(select(cosignatures.c.root_hash, cosignatures.c.vkey, cosignatures.c.line).where(
        cosignatures.c.tree_size == checkpoint.size, cosignatures.c.witness == witness.name)).first()
    if stored is not None:
        if bytes(stored.root_hash) == checkpoint.root and stored.vkey == witness.vkey:
            return Signature.parse(stored.line)
        raise Conflict(f"{witness.name} already cosigned a tree of {checkpoint.size} entries "
                       f"{'with another root' if bytes(stored.root_hash) != checkpoint.root else 'with another key'}; "
                       "a stored cosignature is never replaced", field="checkpoint",
                       remedy="do not cosign: two histories of the same size were shown; report it")
    connection.execute(insert(cosignatures).values(
        tree_size=checkpoint.size, witness=witness.name, root_hash=checkpoint.root,
        line=signature.line, vkey=witness.vkey, received_at=now.astimezone(UTC)))
    return signature


def last_cosigned(connection: Connection, witness: Verifier, origin: str) -> Checkpoint | None:
    """The newest checkpoint of ``origin`` that ``witness`` (its name and key)
    cosigned, from the stored cosignatures, its cosignature checked against
    the witness's key; None if it cosigned none here."""
    row = connection.execute(select(cosignatures.c.tree_size, cosignatures.c.root_hash, cosignatures.c.line).where(
        cosignatures.c.witness == witness.name, cosignatures.c.vkey == witness.vkey)
        .order_by(cosignatures.c.tree_size.desc()).limit(1)).first()
    if row is None:
        return None
    try:
        note = Checkpoint(origin, row.tree_size, bytes(row.root_hash), (), (Signature.parse(row.line),))
        check_signature(note, witness)
    except VerificationFailed:
        raise ValidationError(f"refusing to cosign: the stored cosignature of {row.tree_size} entries by "
                              f"{witness.name} does not verify with your key: it was written around you",
                              remedy="do not cosign; cosign with --since your last "
                              "cosigned checkpoint file, and report the forged cosignature") from None
    return note


def _same_key(connection: Connection, witness: Verifier) -> None:
    """Conflict if a cosignature stored here under ``witness``'s name was made
    with another key: either the witness's key changed, or someone who can
    write the database cosigned in its name (and verify would trust that)."""
    other = connection.execute(select(cosignatures.c.tree_size, cosignatures.c.vkey).where(
        cosignatures.c.witness == witness.name, cosignatures.c.vkey != witness.vkey)
        .order_by(cosignatures.c.tree_size).limit(1)).first()
    if other is not None:
        raise Conflict(f"refusing to cosign: a cosignature by {witness.name} of {other.tree_size} entries is "
                       f"stored here with another key ({other.vkey}), not yours: someone cosigned in your name, "
                       "or your key changed", field="checkpoint",
                       remedy="do not cosign; report it (a new witness key takes a new witness name)")


def _consistent(connection: Connection, earlier: Checkpoint, note: Checkpoint, what: str) -> None:
    """Raises Conflict unless ``note`` and ``earlier`` (``what`` it is to the
    witness) are one history: the larger tree extends the smaller, with the
    same root at the same size. An older checkpoint that the newer one
    extends is no conflict: it too is part of what the witness vouched for."""
    if earlier.size == note.size:
        if earlier.root != note.root:
            raise Conflict(f"refusing to cosign: the checkpoint of {note.size} entries has another root than "
                           f"{what}: the log shows two histories", field="checkpoint",
                           remedy="do not cosign; report it")
        return
    small, large = sorted((earlier, note), key=lambda c: c.size)
    current, _root = ledger.tree_size(connection)
    if large.size > current:
        raise Conflict(f"refusing to cosign: the ledger has {current} entries, fewer than the checkpoint of "
                       f"{large.size} ({'this one' if large is note else what}): it was truncated",
                       field="checkpoint", remedy="do not cosign; report it")
    try:
        verify_consistency(small.size, large.size, small.root, large.root,
                           merkle.consistency_proof(connection, small.size, large.size))
    except VerificationFailed as error:
        sizes = (f"this checkpoint ({note.size} entries) does not extend {what} ({earlier.size} entries)"
                 if large is note else f"{what} ({earlier.size} entries) does not extend this checkpoint "
                 f"({note.size} entries)")
        raise Conflict(f"refusing to cosign: {sizes}: history was rewritten ({error})", field="checkpoint",
                       remedy="do not cosign; report it") from None


def witness_cosign(connection: Connection, note: Checkpoint, witness: Signer, log_key: Verifier, now: datetime,
                   *, since: Checkpoint | None = None) -> tuple[Signature, bool]:
    """As ``witness``: check the log's signature on ``note`` and that it
    extends the witness's own last cosigned checkpoint here (``last_cosigned``)
    and ``since`` (the one it kept, if given); cosign and store it. Returns the
    cosignature and whether it is new: the same checkpoint cosigned again
    gives the stored cosignature back, unchanged."""
    try:
        check_signature(note, log_key)
        if since is not None:
            check_signature(since, log_key)
    except VerificationFailed as error:
        raise ValidationError(f"refusing to cosign: {error}") from None
    _same_key(connection, witness.verifier)
    current, frontier_root = ledger.tree_size(connection)
    if frontier_root != merkle.root_at(connection, current):  # as `checkpoint_of` before signing
        raise LedgerTampered("refusing to cosign: the stored Merkle frontier does not match the tree's nodes",
                             remedy=_WHAT_TO_DO)
    stored = last_cosigned(connection, witness.verifier, note.origin)
    for earlier, what in ((stored, f"the one {witness.name} cosigned last"), (since, "the --since checkpoint")):
        if earlier is not None:
            _consistent(connection, earlier, note, what)
    signature = cosign(note, witness, log_key, now)
    kept = store_cosignature(connection, note, witness.verifier, signature, now)
    return kept, kept is signature



def cosigned_roots(connection: Connection) -> dict[int, tuple[bytes, str]]:
    """Every tree size a witness cosigned: its root, and ``"cosigned by
    NAME, ..."`` (what ``ledger.verify`` checks the entries against)."""
    return unpinned_cosigned_roots(connection)[0]


def unpinned_cosigned_roots(connection: Connection) -> tuple[dict[int, tuple[bytes, str]], list[str]]:
    """``cosigned_roots``, and a finding for each witness name stored with
    more than one key, whose later keys' cosignatures are left out
    (``ledger_reads.trusted_cosignatures``)."""
    trusted, findings = trusted_cosignatures(connection)
    found: dict[int, tuple[bytes, list[str]]] = {}
    for row in trusted:
        found.setdefault(row.tree_size, (bytes(row.root_hash), []))[1].append(row.witness)
    return {size: (root, f"cosigned by {', '.join(names)}") for size, (root, names) in found.items()}, findings


def pinned_cosigned_roots(connection: Connection, witnesses: list[Verifier], origin: str
                          ) -> tuple[dict[int, tuple[bytes, str]], list[str]]:
    """``cosigned_roots`` trusting only the ``witnesses`` a reader pinned: the
    stored cosignatures each verifies (as a checkpoint of ``origin``), and
    a finding for each stored under a pinned witness's name that was made
    with another key or does not verify (written around the witness). The
    cosignatures of witnesses nobody pinned are left out."""
    pinned = {w.name: w for w in witnesses}
    found: dict[int, tuple[bytes, list[str]]] = {}
    problems: list[str] = []
    rows = connection.execute(select(cosignatures.c.tree_size, cosignatures.c.root_hash, cosignatures.c.witness,
                                     cosignatures.c.line, cosignatures.c.vkey)
                              .where(cosignatures.c.witness.in_(list(pinned)))
                              .order_by(cosignatures.c.tree_size, cosignatures.c.witness))
    for size, root, name, line, vkey in rows:
        witness = pinned[name]
        where = f"the stored cosignature of {size} entries by {name}"
        if vkey != witness.vkey:
            problems.append(f"{where} names another key ({vkey}) than the one you pinned: someone cosigned in "
                            "the witness's name; it is not trusted")
            continue
        try:
            check_signature(Checkpoint(origin, size, bytes(root), (), (Signature.parse(line),)), witness)
        except VerificationFailed:
            problems.append(f"{where} does not verify with the key you pinned (for origin {origin}): it was "
                            "written around the witness; it is not trusted")
            continue
        found.setdefault(size, (bytes(root), []))[1].append(name)
    return {size: (root, f"cosigned by {', '.join(names)}") for size, (root, names) in found.items()}, problems


@dataclass(frozen=True)
class Covering:
    """The checkpoint a report prints: its note, and the entries it leaves uncovered."""

    note: Checkpoint
    entries: int

    @property
    def witnesses(self) -> list[str]:
        return [s.name for s in self.note.signatures[1:]]

    @property
    def uncovered(self) -> int:
        return self.entries - self.note.size


def covering_checkpoint(log: LedgerRepository, log_key: Path | None) -> Covering | None:
    """The newest cosigned checkpoint (else the current one), signed with the
    log key; None when this installation has no log key."""
    if log_key is None:
        return None
    entries, _root = log.tree_size()
    return Covering(checkpoint_of(log, load_key(log_key), log.newest_cosigned_size()), entries)
