"""The store's places are indexed once per process and database, until a place is added."""

from __future__ import annotations

from truce.service import review
from truce.store.uow import UnitOfWork

from .conftest import make_place


def test_the_store_index_is_reused_until_a_place_is_added(db):
    with UnitOfWork(db) as uow:
        first = review.place_index(uow)
        assert review.place_index(uow) is first
        assert first is not None and first.lookup("Zzyzxville") is None
    with UnitOfWork(db) as uow:
        assert review.place_index(uow) is first  # another unit of work, the same places
        uow.places.add_many([make_place("gn:999999001", "Zzyzxville", "AZ", ())])
        uow.commit()
    with UnitOfWork(db) as uow:
        again = review.place_index(uow)
    assert again is not first
    assert again.lookup("Zzyzxville")[0].id == "gn:999999001"
