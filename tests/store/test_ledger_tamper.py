"""Altering, deleting or reordering any single ledger row is detected."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from truce.store import ledger
from truce.store.uow import UnitOfWork


@pytest.fixture
def chain(engine):
    with UnitOfWork(engine, actor="analyst") as uow:
        for n in range(1, 6):
            uow.record("test.write", f"r{n}", {"n": n})
        uow.commit()
    return engine


def verify(engine) -> ledger.LedgerCheck:
    with engine.connect() as c:
        return ledger.verify(c)


def test_untouched_chain_verifies(chain):
    check = verify(chain)
    assert check.ok and check.entries == 5


@pytest.mark.parametrize("seq", [1, 3, 5])
def test_altered_content_is_detected_at_that_entry(chain, seq):
    with chain.begin() as c:
        c.execute(text("UPDATE ledger SET content = :v WHERE seq = :s"), {"v": '{"n": 99}', "s": seq})
    check = verify(chain)
    assert not check.ok and check.first_bad == seq


def test_altered_actor_is_detected(chain):
    with chain.begin() as c:
        c.execute(text("UPDATE ledger SET actor = 'someone else' WHERE seq = 2"))
    assert verify(chain).first_bad == 2


@pytest.mark.parametrize("seq", [1, 3, 5])
def test_deleted_entry_is_detected(chain, seq):
    with chain.begin() as c:
        c.execute(text("DELETE FROM ledger WHERE seq = :s"), {"s": seq})
    check = verify(chain)
    assert not check.ok and check.first_bad == seq


def test_swapped_entries_are_detected(chain):
    with chain.begin() as c:
        c.execute(text("UPDATE ledger SET seq = 100 WHERE seq = 2"))
        c.execute(text("UPDATE ledger SET seq = 2 WHERE seq = 3"))
        c.execute(text("UPDATE ledger SET seq = 3 WHERE seq = 100"))
    check = verify(chain)
    assert not check.ok and check.first_bad == 2


def test_altered_merkle_leaf_is_detected(chain):
    with chain.begin() as c:
        c.execute(text("UPDATE ledger SET leaf_hash = :h WHERE seq = 4"), {"h": b"\x00" * 32})
    check = verify(chain)
    assert not check.ok and check.first_bad == 4 and "Merkle leaf" in check.reason


def test_altered_frontier_is_detected(chain):
    with chain.begin() as c:
        c.execute(text("UPDATE ledger_head SET frontier = :f"), {"f": b"\x01" * 64})
    check = verify(chain)
    assert not check.ok and "frontier" in check.reason
