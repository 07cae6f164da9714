"""Text (articles, statements) into proposed events, claims, places and numbers.

One module per stage: ``cleaning``, ``sentences``, ``dates``, ``places``,
``numbers``, ``events``, ``claims``, put together by ``assemble`` and
``pipeline``; ``evaluate`` scores proposals against hand-annotated gold.
"""

from .model import (
    ClaimProposal,
    DateMention,
    Dropped,
    EventProposal,
    Extraction,
    NumberMention,
    PlaceMention,
    Sentence,
)
from .pipeline import Extractor, FakeExtractor, SpacyExtractor, extract

__all__ = [
    "ClaimProposal", "DateMention", "Dropped", "EventProposal", "Extraction", "Extractor",
    "FakeExtractor", "NumberMention", "PlaceMention", "Sentence", "SpacyExtractor", "extract",
]
