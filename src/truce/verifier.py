"""Checking truce's published record with nothing but this file.

This module depends only on the Python standard library and ``cryptography``
(for Ed25519), so a party can copy it, read it in an afternoon and run it on
a machine that has never seen the mission's database. ``docs/verifying.md``
describes every byte it checks, so it can be re-implemented in any language.

What it checks:

- RFC 9162 section 2.1 Merkle trees: ``leaf_hash``, ``node_hash``,
  inclusion proofs (2.1.3.2) and consistency proofs (2.1.4.2).
- C2SP signed notes, tlog-checkpoints and tlog-cosignature/v1 cosignatures
  (Ed25519): ``Checkpoint.parse``, ``verify_checkpoint``.
- A day's bundle from ``truce export bundle``: ``verify_bundle``.

Every failure is a ``VerificationFailed`` whose message names what failed
and what to do about it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__all__ = [
    "BUNDLE_FORMAT",
    "Checkpoint",
    "Signature",
    "VerificationFailed",
    "Verifier",
    "canonical_bytes",
    "entry_bytes",
    "leaf_hash",
    "load_bundle_json",
    "load_vkey",
    "node_hash",
    "parse_vkey",
    "root_from_inclusion_proof",
    "unpinned",
    "verify_bundle",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
]

BUNDLE_FORMAT = "truce-bundle/2"
MANIFEST_ACTION = "day.manifest"
ED25519 = 0x01       # C2SP signed-note signature type: Ed25519 over the note text
COSIGNATURE = 0x04   # C2SP tlog-cosignature/v1: timestamped Ed25519 over a cosigned message
KEY_KINDS = {ED25519: "log", COSIGNATURE: "witness"}
EM_DASH = "\u2014"


class VerificationFailed(Exception):
    """Something does not verify; the message names what and what to do."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice: readers that keep the first
    and readers that keep the last would otherwise see different bundles."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise VerificationFailed(f"the key {key!r} appears twice in one JSON object; a bundle gives each "
                                     "key once: export it again")
        found[key] = value
    return found


def load_bundle_json(text: str) -> Any:
    """``text`` parsed as JSON, VerificationFailed on a duplicate key
    (json.JSONDecodeError, a ValueError, if it is not JSON)."""
    return json.loads(text, object_pairs_hook=_unique_keys)


# -- RFC 9162 section 2.1: hashes and proofs ------------------------------------------

def leaf_hash(data: bytes) -> bytes:
    """MTH of one entry: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """An interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """RFC 9162 2.1.3.2: the root that ``proof`` leads to from leaf ``index``
    (zero-based) of a tree of ``size`` leaves; raises when the proof has the
    wrong shape for that index and size."""
    if not 0 <= index < size:
        raise VerificationFailed(f"leaf index {index} is outside a tree of {size} entries")
    if len(leaf) != 32 or any(len(p) != 32 for p in proof):
        raise VerificationFailed("an inclusion proof hash is not 32 bytes long")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise VerificationFailed("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationFailed("the inclusion proof is shorter than the tree is deep")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raises ``VerificationFailed`` unless ``proof`` shows ``leaf`` at ``index`` under ``root``."""
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise VerificationFailed(f"entry {index + 1} is not in the tree of {size} entries with that root")


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> None:
    """RFC 9162 2.1.4.2: raises unless the tree of ``second`` entries with
    ``second_root`` extends the tree of ``first`` entries with ``first_root``."""
    if not 0 <= first <= second:
        raise VerificationFailed(f"a tree of {second} entries cannot extend one of {first}")
    if any(len(p) != 32 for p in proof):
        raise VerificationFailed("a consistency proof hash is not 32 bytes long")
    if first == second:
        if proof or first_root != second_root:
            raise VerificationFailed(f"two different roots for the same tree size {first}")
        return
    if first == 0:
        if proof:
            raise VerificationFailed("a consistency proof from the empty tree must be empty")
        return
    if not proof:
        raise VerificationFailed("the consistency proof is empty")
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationFailed("the consistency proof is longer than the trees are deep")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0 or fr != first_root or sr != second_root:
        raise VerificationFailed(f"the tree of {second} entries does not extend the tree of {first} entries")


# -- ledger entries --------------------------------------------------------------------

def canonical_bytes(value: Any) -> bytes:
    """Canonical JSON: UTF-8, keys sorted, separators ',' and ':', non-ASCII kept, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


ENTRY_FIELDS = ("seq", "at", "actor", "action", "record_id", "content_hash", "prev_hash")


def entry_bytes(entry: dict[str, Any]) -> bytes:
    """The bytes of a ledger entry that its Merkle leaf hashes: the canonical
    JSON of its seven fields (``content`` enters through ``content_hash``)."""
    missing = [f for f in ENTRY_FIELDS if f not in entry]
    if missing:
        raise VerificationFailed(f"a ledger entry lacks {', '.join(missing)}")
    return canonical_bytes({f: entry[f] for f in ENTRY_FIELDS})


# -- C2SP signed notes, checkpoints and cosignatures ------------------------------------

def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    """SHA-256(name || 0x0A || type || public key)[:4] (C2SP signed-note)."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_key).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    """A known key: a name, a signature type (0x01 log, 0x04 witness) and the raw Ed25519 key."""

    name: str
    sig_type: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.sig_type, self.public_key)

    @property
    def vkey(self) -> str:
        """The C2SP verifier key string: ``name+hex(key id)+base64(type || key)``."""
        material = base64.b64encode(bytes([self.sig_type]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"


def parse_vkey(text: str, *, kind: int | None = None) -> Verifier:
    """Read a ``name+hexid+base64key`` verifier key; raises on anything else,
    and, given ``kind`` (``ED25519`` for the log, ``COSIGNATURE`` for a
    witness), on a key of the other kind: its type byte says which it is."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not parts[0]:
        raise VerificationFailed(f"{text.strip()!r} is not a verifier key (name+keyid+base64)")
    name, hex_id, material = parts
    try:
        raw = base64.b64decode(material, validate=True)
        wanted = bytes.fromhex(hex_id)
    except ValueError as error:
        raise VerificationFailed(f"verifier key {name!r} is not valid hex/base64") from error
    if len(raw) != 33 or raw[0] not in KEY_KINDS:
        raise VerificationFailed(f"verifier key {name!r} is not an Ed25519 log or witness key")
    verifier = Verifier(name, raw[0], raw[1:])
    if verifier.key_id != wanted:
        raise VerificationFailed(f"verifier key {name!r}: the key id does not match the key")
    if kind is not None:
        expect_kind(verifier, kind)
    return verifier


def expect_kind(verifier: Verifier, kind: int) -> Verifier:
    """``verifier`` if it is a ``kind`` key (type byte 0x01 log, 0x04 witness); raises otherwise."""
    if verifier.sig_type != kind:
        have = KEY_KINDS.get(verifier.sig_type, f"type 0x{verifier.sig_type:02x}")
        raise VerificationFailed(f"verifier key {verifier.name!r} is a {have} key (type 0x{verifier.sig_type:02x}), "
                                 f"not a {KEY_KINDS[kind]} key (type 0x{kind:02x}): give the log's key to "
                                 "--log-key and each witness's to --witness")
    return verifier


def load_vkey(value: str, *, kind: int | None = None) -> Verifier:
    """A verifier key given as the path of a file holding it (the ``.pub``
    file ``truce ledger keygen`` writes) or as its text; ``kind`` as for
    ``parse_vkey``."""
    import os

    if os.path.isfile(value):
        try:
            with open(value, encoding="utf-8") as handle:
                value = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise VerificationFailed(f"cannot read the key file {value}: {error}") from error
    elif "+" not in value:
        raise VerificationFailed(f"{value!r} is neither a key file nor a verifier key (name+keyid+base64)")
    return parse_vkey(value, kind=kind)


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes

    @property
    def line(self) -> str:
        return f"{EM_DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"

    @classmethod
    def parse(cls, line: str) -> Signature:
        """One ``— <name> <base64(key id || signature)>`` line (final newline optional)."""
        prefix, _, rest = line.rstrip("\n").partition(" ")
        name, _, encoded = rest.partition(" ")
        if prefix != EM_DASH or not name or not encoded:
            raise VerificationFailed(f"malformed signature line {line!r}")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as error:
            raise VerificationFailed(f"the signature by {name} is not base64") from error
        if len(raw) < 5:
            raise VerificationFailed(f"the signature by {name} is too short")
        return cls(name, raw[:4], raw[4:])


@dataclass(frozen=True)
class Checkpoint:
    """A C2SP tlog-checkpoint: origin, tree size, root hash (and extension lines)."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = field(default=())

    @property
    def body(self) -> str:
        """The note text: what the log signs and what cosignatures cover."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @property
    def text(self) -> str:
        """The whole signed note."""
        return self.body + "\n" + "".join(s.line for s in self.signatures)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
            raise VerificationFailed("the checkpoint contains control characters")
        body, sep, sigs = text.partition("\n\n")
        if not sep or not sigs.endswith("\n"):
            raise VerificationFailed("the checkpoint has no signature lines (it must end in a blank line and "
                                     "'\u2014 name signature' lines)")
        lines = body.split("\n")
        if len(lines) < 3:
            raise VerificationFailed("the checkpoint needs an origin, a tree size and a root hash")
        origin, size_text, root_text, *extensions = lines
        if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
            raise VerificationFailed(f"the checkpoint's tree size {size_text!r} is not a decimal number")
        try:
            root = base64.b64decode(root_text, validate=True)
        except ValueError as error:
            raise VerificationFailed("the checkpoint's root hash is not base64") from error
        if len(root) != 32:
            raise VerificationFailed("the checkpoint's root hash is not 32 bytes")
        signatures = [Signature.parse(line) for line in sigs[:-1].split("\n")]
        return cls(origin, int(size_text), root, tuple(extensions), tuple(signatures))

    def signed_by(self, verifier: Verifier) -> Signature | None:
        for s in self.signatures:
            if s.name == verifier.name and s.key_id == verifier.key_id:
                return s
        return None


def cosigned_message(body: str, timestamp: int) -> bytes:
    """What a tlog-cosignature/v1 signs: a header line, a time line, the checkpoint body."""
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def _check_ed25519(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def check_signature(checkpoint: Checkpoint, verifier: Verifier) -> int | None:
    """Raises unless ``verifier`` signed (0x01) or cosigned (0x04) ``checkpoint``;
    returns a cosignature's timestamp, None for a log signature."""
    found = checkpoint.signed_by(verifier)
    role = "log" if verifier.sig_type == ED25519 else "witness"
    if found is None:
        raise VerificationFailed(f"the checkpoint has no signature by {role} {verifier.name}; "
                                 f"ask for a checkpoint {role} {verifier.name} has signed")
    if verifier.sig_type == ED25519:
        if not _check_ed25519(verifier.public_key, found.signature, checkpoint.body.encode()):
            raise VerificationFailed(f"the {role} signature by {verifier.name} does not verify: "
                                     "the checkpoint was altered or signed with another key")
        return None
    if len(found.signature) != 72:
        raise VerificationFailed(f"the cosignature by {verifier.name} is not a timestamped Ed25519 signature")
    (timestamp,) = struct.unpack(">Q", found.signature[:8])
    if not _check_ed25519(verifier.public_key, found.signature[8:], cosigned_message(checkpoint.body, timestamp)):
        raise VerificationFailed(f"the cosignature by witness {verifier.name} does not verify: "
                                 "the checkpoint was altered or the cosignature is forged")
    return timestamp


def verify_checkpoint(text: str, log_key: Verifier, witnesses: Iterable[Verifier] = ()) -> Checkpoint:
    """Parse a checkpoint note and check the log's signature and every named
    witness's cosignature; returns the checkpoint. A witness key given as the
    log's, or the log's as a witness's, is refused (never checked as the other)."""
    expect_kind(log_key, ED25519)
    witnesses = [expect_kind(w, COSIGNATURE) for w in witnesses]
    checkpoint = Checkpoint.parse(text)
    check_signature(checkpoint, log_key)
    for witness in witnesses:
        check_signature(checkpoint, witness)
    return checkpoint


# -- bundles ----------------------------------------------------------------------------

def _b64(value: Any, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (TypeError, ValueError) as error:
        raise VerificationFailed(f"{what} is not base64") from error


BUNDLE_FIELDS = frozenset({"format", "date", "log_key", "witness_keys", "checkpoint", "manifest", "records",
                           "consistency"})
PROVEN_FIELDS = frozenset({"entry", "content", "proof"})  # the manifest; a record adds "table"
RECORD_FIELDS = PROVEN_FIELDS | {"table"}
CONSISTENCY_FIELDS = frozenset({"from", "to", "proof"})


def _only(what: str, item: dict[str, Any], allowed: Iterable[str]) -> None:
    """Refuse a field a bundle never holds: what the checks would not read,
    a reader of the bundle might, so it must not ride along unchecked."""
    extra = sorted(set(item) - set(allowed), key=str)
    if extra:
        raise VerificationFailed(f"{what} has a field {extra[0]!r} that no bundle holds: the bundle was altered "
                                 "after export; export it again")


def _check_entry(what: str, item: Any, checkpoint: Checkpoint, allowed: Iterable[str] = PROVEN_FIELDS
                 ) -> dict[str, Any]:
    """``item`` (``entry``, ``content``, ``proof``, and no other field but
    ``allowed``): its content hashes to its entry's ``content_hash`` and the
    proof puts the entry (its seven fields, no other) in the checkpoint's tree."""
    try:
        entry, content, proof = item["entry"], item["content"], item["proof"]
    except (KeyError, TypeError) as error:
        raise VerificationFailed(f"{what} of the bundle lacks {error}; export it again") from error
    if not isinstance(entry, dict) or not isinstance(proof, list):
        raise VerificationFailed(f"{what} of the bundle is malformed; export it again")
    where = f"{what} (ledger entry {entry.get('seq')}, {entry.get('record_id')})"
    _only(where, item, allowed)
    _only(f"{where}: its entry", entry, ENTRY_FIELDS)
    if hashlib.sha256(canonical_bytes(content)).hexdigest() != entry.get("content_hash"):
        raise VerificationFailed(f"{where}: its content does not match its ledger entry; "
                                 "the record was altered after export")
    seq = entry.get("seq")
    if not isinstance(seq, int):
        raise VerificationFailed(f"{where}: the entry has no sequence number")
    try:
        verify_inclusion(seq - 1, checkpoint.size, leaf_hash(entry_bytes(entry)),
                         [_b64(p, f"{where}: a proof hash") for p in proof], checkpoint.root)
    except VerificationFailed as error:
        raise VerificationFailed(f"{where}: {error}; the entry or its proof was altered, "
                                 "or the proof is for another tree") from error
    return entry


def check_manifest(bundle: dict[str, Any], checkpoint: Checkpoint) -> None:
    """The day's manifest is in the tree, is of the bundle's date, and lists
    exactly the bundle's records (``record_id`` and ``content_hash`` each)."""
    manifest = bundle.get("manifest")
    if not isinstance(manifest, dict):
        raise VerificationFailed("the bundle has no day manifest; export it again with `truce export bundle`")
    entry = _check_entry("the day's manifest", manifest, checkpoint)
    content = manifest["content"]
    listed = content.get("records") if isinstance(content, dict) else None
    if entry.get("action") != MANIFEST_ACTION or not isinstance(listed, list):
        raise VerificationFailed(f"the bundle's manifest (ledger entry {entry.get('seq')}) is not a day manifest; "
                                 "export it again")
    committed = content.get("date")
    if bundle.get("date") != committed or entry.get("record_id") != f"day/{committed}":
        raise VerificationFailed(f"the bundle says it is of {bundle.get('date')} but its manifest (ledger entry "
                                 f"{entry['seq']}) is of {committed}: the date was changed")
    try:
        wanted = {(r["record_id"], r["content_hash"]) for r in listed}
    except (KeyError, TypeError) as error:
        raise VerificationFailed("the bundle's manifest lists a malformed record; export it again") from error
    held = [(r["entry"].get("record_id"), r["entry"].get("content_hash")) for r in bundle["records"]]
    missing = sorted(wanted - set(held))
    if missing:
        raise VerificationFailed(f"the bundle lacks {missing[0][0]}, which the day's manifest (ledger entry "
                                 f"{entry['seq']}) lists: a record of {committed} was removed")
    extra = [record_id for record_id, content_hash in held if (record_id, content_hash) not in wanted]
    if extra:
        raise VerificationFailed(f"the bundle holds {extra[0]}, which the day's manifest (ledger entry "
                                 f"{entry['seq']}) does not list: a record was added")
    if len(held) != len(wanted):
        raise VerificationFailed(f"the bundle holds a record twice; the day's manifest (ledger entry "
                                 f"{entry['seq']}) lists {len(wanted)}")


@dataclass(frozen=True)
class BundleCheck:
    checkpoint: Checkpoint
    records: int
    witnesses: tuple[str, ...]
    since: int | None
    date: str | None = None


def _carried(text: Any, what: str, kind: int) -> Verifier:
    try:
        return parse_vkey(str(text), kind=kind)
    except VerificationFailed as error:
        raise VerificationFailed(f"the bundle's {what} is not a verifier key ({error}): the bundle was altered "
                                 "after export; export it again") from error


def _carried_keys_match(bundle: dict[str, Any], log_key: Verifier | None,
                        witnesses: Sequence[Verifier] | None) -> None:
    """Refuse a bundle whose carried ``log_key``, or a carried witness key of
    the name of a pinned one, is not the key pinned: a reader who pins keys
    is told the bundle says otherwise, not left to trust what it carries."""
    if log_key is not None and bundle.get("log_key") is not None:
        carried = _carried(bundle["log_key"], "log_key", ED25519)
        if carried != log_key:
            raise VerificationFailed(f"the bundle's log_key {carried.vkey} is not the --log-key you pinned "
                                     f"({log_key.vkey}): the bundle was altered after export, or is another "
                                     "log's")
    if witnesses is None or not isinstance(bundle.get("witness_keys"), list):
        return
    pinned = {w.name: w for w in witnesses}
    for text in bundle["witness_keys"]:
        carried = _carried(text, "witness_keys", COSIGNATURE)
        if carried.name in pinned and carried != pinned[carried.name]:
            raise VerificationFailed(f"the bundle's witness key {carried.vkey} is not the --witness {carried.name} "
                                     f"you pinned ({pinned[carried.name].vkey}): the bundle was altered after "
                                     "export")


def verify_bundle(bundle: dict[str, Any], *, log_key: Verifier | None = None,
                  witnesses: Sequence[Verifier] | None = None, since: str | None = None) -> BundleCheck:
    """Check a bundle from ``truce export bundle``.

    Keys passed in (``log_key``, ``witnesses``) are the ones the reader
    trusts; without them the bundle's own keys are used, which proves the
    bundle is self-consistent but not who made it. ``since`` is the text of
    an earlier checkpoint the reader saw: the bundle's checkpoint must extend it.
    """
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise VerificationFailed(f"not a {BUNDLE_FORMAT} bundle; make one with `truce export bundle`")
    _only("the bundle", bundle, BUNDLE_FIELDS)
    if isinstance(bundle.get("consistency"), dict):
        _only("the bundle's consistency proof", bundle["consistency"], CONSISTENCY_FIELDS)
    _carried_keys_match(bundle, log_key, witnesses)
    try:
        log = log_key if log_key is not None else parse_vkey(bundle["log_key"], kind=ED25519)
        trusted = (list(witnesses) if witnesses is not None
                   else [parse_vkey(k, kind=COSIGNATURE) for k in bundle["witness_keys"]])
        checkpoint = verify_checkpoint(bundle["checkpoint"], log, trusted)
        records = bundle["records"]
    except (KeyError, TypeError) as error:
        raise VerificationFailed(f"the bundle lacks {error}; export it again") from error
    if not trusted:
        raise VerificationFailed("the checkpoint has no witness cosignature to check; "
                                 "ask a witness to cosign (`truce ledger cosign`) and export again")
    if not isinstance(records, list):
        raise VerificationFailed("the bundle's records are not a list; export it again")
    for n, record in enumerate(records, 1):
        entry = _check_entry(f"record {n}", record, checkpoint, RECORD_FIELDS)
        if record.get("table") != str(entry.get("record_id", "")).split("/", 1)[0]:
            raise VerificationFailed(f"record {n} ({entry.get('record_id')}): its table {record.get('table')!r} "
                                     "is not its ledger entry's; the bundle was altered after export")
    check_manifest(bundle, checkpoint)
    since_size = None
    if since is not None:
        seen = Checkpoint.parse(since)
        if seen.origin != checkpoint.origin:
            raise VerificationFailed(f"the --since checkpoint is another log's checkpoint: origin {seen.origin}, "
                                     f"expected {checkpoint.origin} (the bundle's); give the last checkpoint of "
                                     "this log you saw")
        try:
            earlier = verify_checkpoint(since, log)
        except VerificationFailed as error:
            raise VerificationFailed(f"the --since checkpoint: {error}") from None
        consistency = bundle.get("consistency")
        if earlier.size > checkpoint.size:
            raise VerificationFailed(f"the bundle's checkpoint ({checkpoint.size} entries) is older than "
                                     f"the one you saw ({earlier.size}); the log was truncated or rolled back")
        if not isinstance(consistency, dict) or consistency.get("from") != earlier.size:
            raise VerificationFailed(f"the bundle has no consistency proof from tree size {earlier.size}; "
                                     f"export it again with --since")
        proof = [_b64(p, "a consistency proof hash") for p in consistency.get("proof", [])]
        try:
            verify_consistency(earlier.size, checkpoint.size, earlier.root, checkpoint.root, proof)
        except VerificationFailed as error:
            raise VerificationFailed(f"{error}: the log's history was rewritten since the checkpoint "
                                     "you saw; report it to the commission") from error
        since_size = earlier.size
    return BundleCheck(checkpoint, len(records), tuple(w.name for w in trusted), since_size, bundle["date"])


def unpinned(log_key_pinned: bool, witnesses_pinned: bool) -> str:
    """What an ``ok`` line adds when keys were taken from the bundle itself
    (``truce verify`` and ``python verifier.py`` print the same): such a
    check shows that the bundle is self-consistent, not who made it."""
    taken = [what for what, pinned in (("the log key", log_key_pinned), ("the witness keys", witnesses_pinned))
             if not pinned]
    if not taken:
        return ""
    flags = " and ".join(flag for flag, pinned in (("--log-key", log_key_pinned), ("--witness", witnesses_pinned))
                         if not pinned)
    return (f" (warning: {' and '.join(taken)} taken from the bundle itself: this shows the bundle is "
            f"self-consistent, not who made it; pin the keys you were given with {flags})")


def main(argv: Sequence[str] | None = None) -> int:
    """``python verifier.py BUNDLE [--since CHECKPOINT] [--log-key KEY] [--witness KEY ...]``; each
    KEY is a ``.pub`` file (as ``truce ledger keygen`` writes) or the verifier key itself."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Check a truce bundle offline.")
    parser.add_argument("bundle")
    parser.add_argument("--since", help="a checkpoint file you saw earlier")
    parser.add_argument("--log-key", help="the log's verifier key: its .pub file, or the key (name+id+key)")
    parser.add_argument("--witness", action="append", help="a witness's verifier key (.pub file or key); repeat")
    args = parser.parse_args(argv)
    try:
        with open(args.bundle, encoding="utf-8") as handle:
            bundle = load_bundle_json(handle.read())
        since = None
        if args.since:
            with open(args.since, encoding="utf-8") as handle:
                since = handle.read()
        log_key = load_vkey(args.log_key, kind=ED25519) if args.log_key is not None else None
        witnesses = [load_vkey(w, kind=COSIGNATURE) for w in args.witness] if args.witness else None
        check = verify_bundle(bundle, log_key=log_key, witnesses=witnesses, since=since)
    except (OSError, ValueError, VerificationFailed) as error:
        print(f"error: {args.bundle}: {error}", file=sys.stderr)
        return 1
    print(f"ok: {check.records} records, all of {check.date} that its manifest lists, in the tree of "
          f"{check.checkpoint.size} entries, "
          f"cosigned by {', '.join(check.witnesses)}{unpinned(log_key is not None, witnesses is not None)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
