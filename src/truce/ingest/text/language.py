"""Which language a text is in: py3langid's packaged model, limited to the theatre's.

``identify(text)`` returns an ISO 639-1 code. The model ships inside the
py3langid wheel and loads once, lazily; nothing is downloaded. It chooses
among the languages the mission reads (``LANGUAGES``), so a short Russian
statement is not taken for Bulgarian. ``READ`` are the languages the pipeline
extracts in full; ``PARTIAL`` those whose places, dates and numbers are
proposed and whose text is flagged for a translator.
"""

from __future__ import annotations

import re
import threading

__all__ = ["LANGUAGES", "PARTIAL", "READ", "identify"]

LANGUAGES = ("en", "ru", "uk", "hy", "az", "ar", "tr", "fr", "de", "es", "fa", "ka")
READ = ("en", "ru")
PARTIAL = ("hy", "az", "ar", "uk", "tr", "fa", "ka", "fr", "de", "es")
_ARMENIAN = re.compile(r"[\u0530-\u058F]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LETTER = re.compile(r"[^\W\d_]")

_lock = threading.Lock()
_identifier = None


def _model():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                ident.set_languages(list(LANGUAGES))
                _identifier = ident
    return _identifier


def identify(text: str) -> str:
    """'ru' for a Russian statement, 'en' for English wire copy; 'en' for text with no
    letters. A text mostly in one script the model need not read (Armenian, Arabic) is
    named by its script."""
    sample = text[:800]  # a paragraph tells the language; the model's cost follows its length
    letters = _LETTER.findall(sample)
    if not letters:
        return "en"
    for pattern, code in ((_ARMENIAN, "hy"), (_ARABIC, "ar")):
        if len(pattern.findall(sample)) > len(letters) / 2:
            return code
    code, _probability = _model().classify(sample)
    return str(code)
