"""A history rewritten with every hash recomputed, on SQLite and PostgreSQL,
is placed between the newest cosigned checkpoint that still matches and the
oldest that does not: `truce ledger verify` names that range of entries."""

from __future__ import annotations

from datetime import UTC, datetime

from tamper_kit import checkpoint, rewrite_history, verify
from truce.service.users import add_user
from truce.store import ledger
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork


def _add_user(url: str, name: str) -> tuple[str, int]:
    """A new analyst; (its id, the ledger's size after)."""
    engine = make_engine(url)
    with UnitOfWork(engine, actor="admin-1") as uow:
        user, _token = add_user(uow, name, "analyst", datetime.now(UTC))
        uow.commit()
    with engine.connect() as c:
        size = ledger.head(c)[0]
    engine.dispose()
    return user.id, size


def test_a_rewrite_is_placed_between_the_checkpoints_that_still_match_and_do_not(victim, keys):
    _first, _ = _add_user(victim, "an-a")
    first = checkpoint(victim, keys, "a", cosign=True)
    target, before = _add_user(victim, "an-b")
    checkpoint(victim, keys, "b", cosign=True)
    _third, after = _add_user(victim, "an-c")
    checkpoint(victim, keys, "c", cosign=True)
    rewrite_history(victim, "users", target, "role", "admin")
    code, output = verify(victim)
    assert code == 1
    size_a = int(open(first).read().split("\n")[1])
    assert (f"entries {size_a + 1}..{before} differ from what the checkpoint at {before} entries "
            f"(cosigned by arm.example/k) committed; the checkpoint at {size_a} entries (cosigned by "
            f"arm.example/k) still matches") in output, output
    # the checkpoint a reader kept gives the same range
    code, output = verify(victim, "--checkpoint", first, "--log-key", str(keys / "log.key.pub"))
    assert code == 1 and f"entries {size_a + 1}..{before} differ" in output, output
    assert after > before
